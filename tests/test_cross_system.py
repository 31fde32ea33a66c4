"""Cross-system checks (CRM ↔ 1C ↔ telephony): tiny exports written in the systems' own byte
formats, loaded through `discover` + `load`, with exact expected values; then the sample data
against every cross-system value in sample_data/TRUTH.json.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from checks.runner import run_checks
from connectors.load import discover, load
from export_writers import bitrix_csv, broken, inn10, onec_xlsx

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
EXPORTS = SAMPLE / "exports" if (SAMPLE / "exports").is_dir() else SAMPLE
AS_OF = dt.date(2026, 11, 20)
CROSS = ("cross.counterparties.unmatched_share", "cross.companies.unmatched_share", "cross.matched.conflict_share",
         "cross.deals.won_without_document_share", "cross.payments.without_deal_share",
         "cross.calls.inbound_unlinked_share")


# --------------------------------------------------------------------------- writers

INN_A, INN_B, INN_C, INN_D = inn10("770100001"), inn10("770100002"), inn10("770100003"), inn10("770100004")
INN_V1, INN_V2 = inn10("770100005"), inn10("160100006")


COMPANY_HEADER = ["ID", "Название компании", "Тип компании", "Телефон", "E-mail", "ИНН", "Ответственный",
                  "Дата создания", "Дата изменения"]
DEAL_HEADER = ["ID", "Название сделки", "Сумма", "Валюта", "Компания", "Контакт", "Стадия сделки", "Ответственный",
               "Дата создания", "Дата изменения", "Дата завершения"]
CP_HEADER = ["Наименование", "Полное наименование", "Вид контрагента", "ИНН", "КПП", "Телефон", "Электронная почта"]
DOC_HEADER = ["Дата", "Номер", "Контрагент", "Сумма", "Валюта", "Организация", "Ответственный", "Комментарий"]
PAY_HEADER = ["Дата", "Номер", "Сумма документа", "Валюта", "Контрагент", "Вид операции", "Назначение платежа",
              "Организация", "Ответственный"]


def company(id_, name, phone="", email="", inn=""):
    return [id_, name, "Клиент", phone, email, inn, "Иван Петров", "01.02.2026 10:00:00", "01.02.2026 10:00:00"]


def deal(id_, company_name, stage, closed="", modified="01.06.2026 10:00:00"):
    return [id_, f"Сделка {id_}", "100000.00", "Российский рубль", company_name, "", stage, "Иван Петров",
            "01.02.2026 10:00:00", modified, closed]


def counterparty(name, full="", inn="", phone="", email=""):
    return [name, full, "Юридическое лицо", inn, "", phone, email]


def document(date, number, name):
    return [date, number, name, 100000, "руб.", "Наша фирма ООО", "Бухгалтер"]


def payment(date, number, name):
    return [date, number, 100000, "руб.", name, "Оплата от покупателя", "Оплата по счету", "Наша фирма ООО", "Бухгалтер"]


def write_crm(d: Path, companies=None, deals=None) -> list[Path]:
    out = []
    if companies is not None:
        out.append(bitrix_csv(d / "COMPANY_20261120_0a1b2c3d_0a1b2c3d4e5f6.csv", COMPANY_HEADER, companies))
    if deals is not None:
        out.append(bitrix_csv(d / "DEAL_20261120_0a1b2c3d_0a1b2c3d4e5f6.csv", DEAL_HEADER, deals))
    return out


# The scenario: eight CRM companies, seven 1C counterparties.
COMPANIES = [
    company("1", "ООО «Альфа»", "8 (495) 111-11-11", "info@alfa.ru", INN_A),      # = Альфа by INN
    company("2", "ООО «Бета»", "8 (495) 222-22-22"),                               # = Бета by name + phone (no INN)
    company("3", "ООО «Гамма»", "8 (495) 333-33-33", "g@gamma.ru", broken(INN_C)),  # = Гамма by full name + e-mail; phones differ
    company("4", "ООО «Дельта»", "", "", INN_D),                                   # = Дельта-Сервис by INN; names differ
    company("5", "ООО «Вектор»", "8 (495) 555-55-55", "", INN_V1),                 # ≠ Вектор АО: two valid INNs
    company("6", "ООО «Эпсилон»", "8 (495) 666-66-66"),                            # name only, nothing shared: no match
    company("7", "ИП Иванов Иван Иванович"),                                       # CRM only
    company("8", '"AЛЬФA"', "", "", INN_A),                                        # duplicate of 1 (Latin A), = Альфа by INN
]
COUNTERPARTIES = [
    counterparty("Альфа ООО", 'Общество с ограниченной ответственностью "Альфа"', INN_A, "+7 495 1111111", "INFO@alfa.ru"),
    counterparty("Бета ООО", "", INN_B, "+74952222222"),
    counterparty("Гамма-Трейд ООО", 'Общество с ограниченной ответственностью "Гамма"', INN_C, "+7 495 9999999", "g@gamma.ru"),
    counterparty("Дельта-Сервис ООО", "", INN_D),
    counterparty("Вектор АО", "", INN_V2, "+7 495 5555555"),
    counterparty("Эпсилон ООО", "", "", "+7 495 7777777"),
    counterparty("Омега ООО", "", inn10("770100009")),                            # 1C only
]
DEALS = [
    deal("101", "ООО «Альфа»", "Сделка успешна", "15.03.2026 10:00:00"),    # invoice 30 days later: has a document
    deal("102", "ООО «Бета»", "Сделка успешна", "01.03.2026 10:00:00"),     # sale by name 4 days later: has one
    deal("103", "ООО «Гамма»", "Сделка успешна", "01.03.2026 10:00:00"),    # invoice 31 days later: none
    deal("104", "ООО «Вектор»", "Сделка успешна", "01.03.2026 10:00:00"),   # invoice to the other Вектор: none
    deal("105", "ООО «Дельта»", "Сделка успешна", "", "01.05.2026 12:00:00"),  # no close date: last change, sale 19 days later
    deal("106", "", "Сделка успешна", "01.03.2026 10:00:00"),               # no company: none
    deal("107", "ООО «Зета»", "Сделка успешна", "01.03.2026 10:00:00"),     # not in the CRM list, 1C «Зета» by name only: none
    deal("108", "ИП Иванов Иван Иванович", "Сделка провалена", "01.03.2026 10:00:00"),
    deal("109", "ООО «Эпсилон»", "Новая"),
]
INVOICES = [
    document("14.04.2026", "СВ-1", "Альфа ООО"),
    document("01.04.2026", "СВ-2", "Гамма-Трейд ООО"),
    document("01.03.2026", "СВ-3", "Вектор АО"),
    document("02.03.2026", "СВ-4", "Зета ООО"),
]
SALES = [
    document("05.03.2026", "СВ-1", "Бета ООО"),
    document("20.05.2026", "СВ-2", "Дельта-Сервис ООО"),
]
RECEIPTS = [
    payment("20.03.2026", "1", "Альфа ООО"),    # CRM company 1 has a deal
    payment("21.03.2026", "2", "Омега ООО"),    # 1C only: without a deal
    payment("22.03.2026", "3", "Вектор АО"),    # not the CRM Вектор: without a deal
    payment("23.03.2026", "4", "Эпсилон ООО"),  # same name as CRM company 6, no INN, nothing shared: possible match only
]
WRITE_OFFS = [payment("24.03.2026", "1", "Омега ООО")]  # outgoing: not counted


def write_1c(d: Path, counterparties=True, documents=True, payments=True) -> list[Path]:
    out = []
    if counterparties:
        out.append(onec_xlsx(d / "Контрагенты.xlsx", CP_HEADER, COUNTERPARTIES))
    if documents:
        out.append(onec_xlsx(d / "Счета на оплату.xlsx", DOC_HEADER, INVOICES))
        out.append(onec_xlsx(d / "Реализация товаров и услуг.xlsx", DOC_HEADER, SALES))
    if payments:
        out.append(onec_xlsx(d / "Поступление на расчетный счет.xlsx", PAY_HEADER, RECEIPTS))
        out.append(onec_xlsx(d / "Списание с расчетного счета.xlsx", PAY_HEADER, WRITE_OFFS))
    return out


def audit(paths: list[Path]):
    con = duckdb.connect()
    _, counts = load(discover([str(p) for p in paths]), con)
    result = run_checks(con, as_of=AS_OF, only=lambda c: c.id.startswith("cross."))
    return con, counts, result.metrics


def evidence(con, m) -> list[str]:
    return [r[0] for r in con.execute(m.evidence.query).fetchall()]


def share(m):
    return (m.numerator, m.denominator, m.value, m.status)


# --------------------------------------------------------------------------- tiny scenario

def test_scenario_loads_as_intended(tmp_path):
    _, counts, _ = audit(write_crm(tmp_path, COMPANIES, DEALS) + write_1c(tmp_path))
    assert {k: counts[k] for k in ("companies", "deals", "counterparties", "documents", "payments")} == {
        "companies": 8, "deals": 9, "counterparties": 7, "documents": 6, "payments": 5}


def test_company_matching(tmp_path):
    con, _, m = audit(write_crm(tmp_path, COMPANIES, DEALS) + write_1c(tmp_path))
    pairs = con.execute("""SELECT company_ref, split_part(counterparty_ref, ':', -1), rule
                           FROM dq.company_match ORDER BY 1, 2""").fetchall()
    # counterparty refs are file:line; line 2 is the first data row
    assert pairs == [("1", "2", "inn"), ("2", "3", "name+phone"), ("3", "4", "name+email"), ("4", "5", "inn"),
                     ("8", "2", "inn")]
    c = m["cross.companies.unmatched_share"]
    assert share(c)[:3] == (3, 8, 0.375) and evidence(con, c) == ["5", "6", "7"]
    p = m["cross.counterparties.unmatched_share"]
    assert share(p)[:3] == (3, 7, round(3 / 7, 6))
    assert [e.rsplit(":", 1)[1] for e in evidence(con, p)] == ["6", "7", "8"]


def test_conflicts(tmp_path):
    con, _, m = audit(write_crm(tmp_path, COMPANIES, DEALS) + write_1c(tmp_path))
    c = m["cross.matched.conflict_share"]
    assert share(c)[:3] == (2, 5, 0.4)
    # Гамма: phones differ (names agree through the full name); Дельта: names differ
    assert [e.split(" ↔ ")[0] for e in evidence(con, c)] == ["3", "4"]


def test_won_deals_without_document(tmp_path):
    con, _, m = audit(write_crm(tmp_path, COMPANIES, DEALS) + write_1c(tmp_path))
    w = m["cross.deals.won_without_document_share"]
    assert share(w)[:3] == (4, 7, round(4 / 7, 6))
    assert evidence(con, w) == ["103", "104", "106", "107"]


def test_payments_without_deal(tmp_path):
    con, _, m = audit(write_crm(tmp_path, COMPANIES, DEALS) + write_1c(tmp_path))
    p = m["cross.payments.without_deal_share"]
    assert share(p)[:3] == (3, 4, 0.75)  # the outgoing payment is not counted
    assert [e.rsplit(":", 1)[1] for e in evidence(con, p)] == ["3", "4", "5"]


def test_a_name_alone_is_a_possible_match_not_the_same_company(tmp_path):
    """Contract, "same company": ООО «Эпсилон» (CRM, phone 666) and Эпсилон ООО (1C, phone 777, no INN
    on either side) share only a name: one possible match to review, counted nowhere as a match."""
    con, _, m = audit(write_crm(tmp_path, COMPANIES, DEALS) + write_1c(tmp_path))
    pm = m["cross.possible_matches.name_only_count"]
    assert (pm.value, pm.unit) == (1, "count")
    assert [e.split(" ↔ ")[0] for e in evidence(con, pm)] == ["6"]
    assert con.execute("SELECT count(*) FROM dq.company_match WHERE company_ref = '6'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM dq.onec_company WHERE company_ref = '6'").fetchone()[0] == 0


def test_everything_matched_is_zero(tmp_path):
    companies = [company("1", "ООО «Альфа»", "8 (495) 111-11-11", "info@alfa.ru", INN_A)]
    deals = [deal("101", "ООО «Альфа»", "Сделка успешна", "15.03.2026 10:00:00")]
    paths = write_crm(tmp_path, companies, deals)
    paths.append(onec_xlsx(tmp_path / "Контрагенты.xlsx", CP_HEADER, COUNTERPARTIES[:1]))
    paths.append(onec_xlsx(tmp_path / "Счета на оплату.xlsx", DOC_HEADER, INVOICES[:1]))
    paths.append(onec_xlsx(tmp_path / "Поступление на расчетный счет.xlsx", PAY_HEADER, RECEIPTS[:1]))
    _, _, m = audit(paths)
    for mid, nd in [("cross.counterparties.unmatched_share", (0, 1)), ("cross.companies.unmatched_share", (0, 1)),
                    ("cross.matched.conflict_share", (0, 1)), ("cross.deals.won_without_document_share", (0, 1)),
                    ("cross.payments.without_deal_share", (0, 1))]:
        assert share(m[mid]) == (*nd, 0.0, "ok"), mid


def test_all_blank_keys_match_nothing(tmp_path):
    """Names only, no INN, phone or e-mail on either side: nothing is provably the same company."""
    companies = [company("1", "ООО «Альфа»"), company("2", "ООО «Бета»")]
    cps = [counterparty("Альфа ООО"), counterparty("Бета ООО"), counterparty("Гамма ООО")]
    paths = write_crm(tmp_path, companies) + [onec_xlsx(tmp_path / "Контрагенты.xlsx", CP_HEADER, cps)]
    _, _, m = audit(paths)
    assert share(m["cross.companies.unmatched_share"]) == (2, 2, 1.0, "fail")
    assert share(m["cross.counterparties.unmatched_share"]) == (3, 3, 1.0, "fail")
    c = m["cross.matched.conflict_share"]
    assert (c.value, c.status, c.numerator, c.denominator) == (None, "n/a", 0, 0)
    assert c.reason == "no CRM company matches a 1C counterparty"


def test_no_won_deals_and_no_incoming_payments(tmp_path):
    deals = [deal("1", "ООО «Альфа»", "Сделка провалена", "15.03.2026 10:00:00")]
    paths = write_crm(tmp_path, COMPANIES, deals) + write_1c(tmp_path, payments=False)
    paths.append(onec_xlsx(tmp_path / "Списание с расчетного счета.xlsx", PAY_HEADER, WRITE_OFFS))
    _, _, m = audit(paths)
    w = m["cross.deals.won_without_document_share"]
    assert (w.value, w.status, w.denominator, w.reason) == (None, "n/a", 0, "no won deals")
    p = m["cross.payments.without_deal_share"]
    assert (p.value, p.status, p.denominator, p.reason) == (None, "n/a", 0, "no incoming 1C payments loaded")


def test_no_1c_export(tmp_path):
    _, _, m = audit(write_crm(tmp_path, COMPANIES, DEALS))
    reasons = {k: (m[k].value, m[k].status, m[k].reason) for k in CROSS}
    assert reasons == {
        "cross.counterparties.unmatched_share": (None, "n/a", "no 1C counterparties loaded"),
        "cross.companies.unmatched_share": (None, "n/a", "no 1C counterparties loaded"),
        "cross.matched.conflict_share": (None, "n/a", "needs both CRM companies and a 1C counterparties list"),
        "cross.deals.won_without_document_share": (None, "n/a", "no 1C invoices or sales loaded"),
        "cross.payments.without_deal_share": (None, "n/a", "no 1C payments loaded"),
        "cross.calls.inbound_unlinked_share": (None, "n/a", "no telephony export loaded"),
    }


def test_no_crm_export(tmp_path):
    _, _, m = audit(write_1c(tmp_path))
    reasons = {k: (m[k].value, m[k].status, m[k].reason) for k in CROSS}
    assert reasons == {
        "cross.counterparties.unmatched_share": (None, "n/a", "no CRM companies loaded"),
        "cross.companies.unmatched_share": (None, "n/a", "no CRM companies loaded"),
        "cross.matched.conflict_share": (None, "n/a", "needs both CRM companies and a 1C counterparties list"),
        "cross.deals.won_without_document_share": (None, "n/a", "no CRM deals loaded"),
        "cross.payments.without_deal_share": (None, "n/a", "no CRM deals loaded"),
        "cross.calls.inbound_unlinked_share": (None, "n/a", "no telephony export loaded"),
    }


def test_deals_without_a_companies_export_stand_for_their_company(tmp_path):
    """amoCRM-style: deals carry the company's name and the contact's phone, no companies export.
    The deal stands for its company: the same company as a 1C counterparty by name plus a shared
    phone (Альфа, Бета); a name alone (Зета, Вектор, Гамма) is only a possible match."""
    header = DEAL_HEADER + ["Рабочий телефон"]
    phones = {"101": "+7 (495) 111-11-11", "102": "8 495 222 22 22", "104": "+7 495 000-00-00"}
    rows = [d + [phones.get(d[0], "")] for d in DEALS]
    paths = [bitrix_csv(tmp_path / "DEAL_20261120_0a1b2c3d_0a1b2c3d4e5f6.csv", header, rows)] + write_1c(tmp_path)
    con, _, m = audit(paths)
    w = m["cross.deals.won_without_document_share"]
    # 101: Альфа by name + phone, invoice 30 days later; 102: Бета by name + phone, sale 4 days later.
    # 103 Гамма and 107 Зета: name only; 104: its phone is not Вектор АО's; 105: «Дельта-Сервис» is
    # another name; 106: no company.
    assert share(w)[:3] == (5, 7, round(5 / 7, 6))
    assert evidence(con, w) == ["103", "104", "105", "106", "107"]
    p = m["cross.payments.without_deal_share"]
    # Альфа's receipt has a deal (101); Омега, Вектор АО and Эпсилон (name only, deal 109 has no phone) do not
    assert share(p)[:3] == (3, 4, 0.75)


# --------------------------------------------------------------------------- calls: linked to the CRM

MASTER_ROW = ('"","{src}","{dst}","{ctx}","""{src}"" <{src}>","PJSIP/{chan}-0001","PJSIP/{dchan}-0002","Dial",'
              '"PJSIP/{dchan},25,t","{start}",{answer},"{end}",10,{billsec},"{disp}","DOCUMENTATION","{uid}","","",'
              '"{lid}",{seq}')


def leg(seq, src, dst, start, answered, uid, lid=None, ctx=None):
    inbound = len(src) > 6
    ans = f'"{start}"' if answered else ""
    return MASTER_ROW.format(src=src, dst=dst, ctx=ctx or ("ext-group" if inbound else "from-internal"),
                             chan="trunk" if inbound else src, dchan=dst if len(dst) <= 6 else "trunk", start=start,
                             answer=ans, end=start, billsec=5 if answered else 0,
                             disp="ANSWERED" if answered else "NO ANSWER", uid=uid, lid=uid if lid is None else lid,
                             seq=seq)


def test_inbound_calls_linked_to_crm_phones(tmp_path):
    master = tmp_path / "Master.csv"
    master.write_text("\n".join([
        leg(1, "84951111111", "101", "2026-10-01 10:00:00", True, "1.1"),       # company 1's phone: linked
        leg(2, "+74952222222", "600", "2026-10-01 11:00:00", False, "1.2"),      # company 2: linked (two legs)
        leg(3, "+74952222222", "600", "2026-10-01 11:00:00", True, "1.3", "1.2"),
        leg(4, "79169999999", "101", "2026-10-01 12:00:00", True, "1.4"),        # unknown
        leg(5, "101", "84959999999", "2026-10-01 13:00:00", True, "1.5"),        # outbound: not counted
        leg(6, "89169999999", "101", "2026-10-01 14:00:00", False, "1.6"),       # unknown
    ]) + "\n", encoding="utf-8")
    con, counts, m = audit(write_crm(tmp_path, COMPANIES) + [master])
    assert counts["calls"] == 6
    u = m["cross.calls.inbound_unlinked_share"]
    assert share(u)[:3] == (2, 4, 0.5)
    assert evidence(con, u) == ["1.4", "1.6"]


def test_inbound_calls_with_no_crm_export(tmp_path):
    master = tmp_path / "Master.csv"
    master.write_text(leg(1, "84951111111", "101", "2026-10-01 10:00:00", True, "1.1") + "\n", encoding="utf-8")
    _, _, m = audit([master])
    u = m["cross.calls.inbound_unlinked_share"]
    assert (u.value, u.status, u.reason) == (None, "n/a", "no CRM contacts, companies or leads loaded")


# --------------------------------------------------------------------------- the sample data

@pytest.fixture(scope="module")
def sample():
    con = duckdb.connect()
    load(discover([str(EXPORTS)]), con)
    result = run_checks(con, as_of=AS_OF, only=lambda c: c.id.startswith(("cross.", "process.calls", "process.leads")))
    truth = json.loads((SAMPLE / "TRUTH.json").read_text(encoding="utf-8"))["metrics"]
    return con, result.metrics, truth


@pytest.mark.parametrize("metric_id", CROSS)
def test_sample_matches_truth(sample, metric_id):
    con, metrics, truth = sample
    m, t = metrics[metric_id], truth[metric_id]
    assert (m.numerator, m.denominator) == (t["numerator"], t["denominator"])
    assert m.value == round(t["value"], 6)
    assert m.evidence.total == t["numerator"]


def test_sample_evidence_is_the_truth(sample):
    con, metrics, truth = sample
    ids = {k: evidence(con, metrics[k]) for k in CROSS}
    assert ids["cross.companies.unmatched_share"] == truth["cross.companies.unmatched_share"]["ids"]
    assert [int(r.rsplit(":", 1)[1]) for r in ids["cross.counterparties.unmatched_share"]] == \
        truth["cross.counterparties.unmatched_share"]["rows"]
    assert ids["cross.deals.won_without_document_share"] == truth["cross.deals.won_without_document_share"]["ids"]


def test_sample_conflict_kinds(sample):
    con, _, truth = sample
    kinds = con.execute("""
        SELECT count(*) FILTER (WHERE c.name_norm <> p.name_norm AND c.name_norm IS DISTINCT FROM p.full_name_norm),
               count(*) FILTER (WHERE len(c.phones) > 0 AND len(p.phones) > 0 AND len(list_intersect(c.phones, p.phones)) = 0),
               count(*) FILTER (WHERE len(c.emails) > 0 AND len(p.emails) > 0 AND len(list_intersect(c.emails, p.emails)) = 0)
        FROM dq.company_match m
        JOIN stg.companies c ON m._c_key = c._file || ':' || c._record
        JOIN stg.counterparties p ON m._p_key = p._file || ':' || p._record""").fetchone()
    t = truth["cross.matched.conflict_share"]["pairs_with_difference_in"]
    assert kinds == (t["name"], t["phone"], t["email"])


def test_possible_matches_have_a_work_list_to_review(tmp_path):
    import openpyxl

    from auditor import audit as run_audit

    out = tmp_path / "out"
    run_audit([str(p) for p in write_crm(tmp_path, COMPANIES, DEALS) + write_1c(tmp_path)], out_dir=out,
              as_of=AS_OF, lang="en", use_gx=False, show_pii=True)
    ws = openpyxl.load_workbook(out / "scorecard.xlsx")["Same name, to check"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = next(i for i, r in enumerate(rows) if r[0] == "Source id")
    assert rows[head][:4] == ["Source id", "File", "Line", "Company"]
    body = [r for r in rows[head + 1:] if r[0] is not None]
    assert len(body) == 1 and body[0][0] == "6" and body[0][3] == "ООО «Эпсилон»"
    assert body[0][7].endswith("Контрагенты.xlsx:7") and body[0][8] == "Эпсилон ООО"

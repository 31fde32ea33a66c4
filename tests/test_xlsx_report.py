"""scorecard.xlsx: sheets and headers per language, work lists that match their metrics exactly,
personal data masked by default, and no cell a spreadsheet would run as a formula."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

import auditor
from auditor import AuditResult, audit
from auditor.report.xlsx_report import write_xlsx

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = ROOT / "sample_data" / "exports"
AS_OF = dt.date(2026, 11, 20)
FORMULA_START = ("=", "+", "-", "@")

SHEETS_RU = ["Сводка", "Дубли контактов", "Дубли компаний", "Дубли контрагентов 1С", "Проигрыши без причины",
             "Контрагенты 1С без пары", "Компании CRM без пары в 1С", "Совпало только название", "Звонящие не из CRM",
             "Пропущенные без перезвона", "Зависшие сделки"]
SHEETS_EN = ["Summary", "Duplicate contacts", "Duplicate companies", "Duplicate 1C counterparties",
             "Lost without reason", "1C counterparties not in CRM", "CRM companies not in 1C", "Same name, to check",
             "Callers not in CRM",
             "Missed calls not returned", "Stuck deals"]
# after the work lists: the roadmap (auditor/report/history_xlsx.py; tested in test_roadmap.py)
ROADMAP = {"ru": "Дорожная карта", "en": "Roadmap"}
# sheet index (in SHEETS_*) → the metric whose evidence the list holds
LISTS = {
    1: "duplicates.contacts.redundant_share",
    2: "duplicates.companies.redundant_share",
    3: "duplicates.counterparties.redundant_share",
    4: "refusal.deals.lost_without_reason_share",
    5: "cross.counterparties.unmatched_share",
    6: "cross.companies.unmatched_share",
    # 7: possible matches — none in the sample data; its list is checked in test_cross_system.py
    8: "cross.calls.inbound_unlinked_share",
    9: "process.calls.missed_without_callback_share",
    10: "process.deals.stuck_share",
}
FIRST_HEADER = {"ru": ("Группа", "ID в источнике", "Номер"), "en": ("Cluster", "Source id", "Number")}


# --------------------------------------------------------------------------- fixtures and helpers

@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[AuditResult, Path]:
    out = tmp_path_factory.mktemp("xlsx-sample")
    result = audit([str(EXPORTS)], out, as_of=AS_OF, lang="ru", use_gx=False)
    return result, out


@pytest.fixture(scope="module")
def db(sample):
    _, out = sample
    con = duckdb.connect(str(out / "audit.duckdb"), read_only=True)
    yield con
    con.close()


def write_variant(result: AuditResult, con, path: Path, *, lang: str = "ru", show_pii: bool = False,
                  cap: int | None = None) -> openpyxl.Workbook:
    kwargs = {"cap": cap} if cap else {}
    write_xlsx(dataclasses.replace(result, lang=lang), con, path, show_pii=show_pii, **kwargs)
    return openpyxl.load_workbook(path)


def table(ws, lang: str = "ru") -> tuple[list[str], list[dict]]:
    """(headers, data rows as dicts) of a work list sheet: the header row is the first row whose
    first cell is a known first header; a trailing note row (the cap note) is not data."""
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r and r[0] in FIRST_HEADER[lang])
    headers = [h for h in rows[at] if h is not None]
    data = [dict(zip(headers, r)) for r in rows[at + 1:] if any(v is not None for v in r[1:len(headers)])]
    return headers, data


def all_strings(wb: openpyxl.Workbook) -> list[str]:
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def evidence_ids(con, result: AuditResult, metric_id: str) -> list[str]:
    m = result.metrics[metric_id]
    sql = m.evidence.query
    params = {"as_of": dt.datetime.combine(result.as_of, dt.time.max)} if "$as_of" in sql else {}
    return [str(r[0]) for r in con.execute(sql, params).fetchall()]


# --------------------------------------------------------------------------- the Python API

def test_api_reexports_audit(sample):
    from auditor.run import audit as run_audit

    assert audit is run_audit
    assert set(auditor.__all__) >= {"audit", "AuditResult"}
    assert "from auditor import audit" in auditor.__doc__
    result, _ = sample
    assert isinstance(result, AuditResult)
    assert result.metrics["refusal.deals.lost_without_reason_share"].numerator == 137


# --------------------------------------------------------------------------- sheets and headers

def test_pipeline_writes_the_scorecard(sample):
    _, out = sample
    wb = openpyxl.load_workbook(out / "scorecard.xlsx")
    assert wb.sheetnames == [*SHEETS_RU, ROADMAP["ru"]]


@pytest.mark.parametrize("lang,names", [("ru", SHEETS_RU), ("en", SHEETS_EN)])
def test_sheet_names_and_headers_per_language(sample, db, tmp_path, lang, names):
    result, _ = sample
    wb = write_variant(result, db, tmp_path / f"{lang}.xlsx", lang=lang)
    assert wb.sheetnames == [*names, ROADMAP[lang]]
    assert all(len(n) <= 31 for n in names)
    summary = [c for row in wb[names[0]].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    if lang == "ru":
        assert {"Уровень зрелости", "Уверенность", "Метрика", "Числитель", "Знаменатель", "Статус"} <= set(summary)
        expect = {"ID в источнике", "Файл", "Строка", "Сделка", "Ответственный", "Стадия", "Сумма",
                  "Последнее изменение", "Дней без движения"}
    else:
        assert {"Maturity level", "Confidence", "Metric", "Numerator", "Denominator", "Status"} <= set(summary)
        expect = {"Source id", "File", "Line", "Deal", "Owner", "Stage", "Amount", "Last change", "Days idle"}
    assert {"Q1", "Q2", "Q3", "Q4", "Q5"} <= set(summary)
    assert set(result.metrics) <= set(summary)              # every metric is listed
    headers, _ = table(wb[names[10]], lang)
    assert expect <= set(headers)
    ref, first_call, file_line = (("ID в источнике", "ID первого звонка", {"Файл", "Строка"}) if lang == "ru"
                                  else ("Source id", "First call id", {"File", "Line"}))
    for i in LISTS:                                        # every row says where the record is
        headers, _ = table(wb[names[i]], lang)
        assert file_line <= set(headers), names[i]
        assert ref in headers or first_call in headers, names[i]


def test_headers_frozen_and_filtered(sample):
    _, out = sample
    wb = openpyxl.load_workbook(out / "scorecard.xlsx")
    for name in SHEETS_RU[1:]:
        ws = wb[name]
        rows = list(ws.iter_rows(values_only=True))
        at = next(i for i, r in enumerate(rows) if r and r[0] in FIRST_HEADER["ru"]) + 1   # 1-based header row
        assert ws.freeze_panes == f"A{at + 1}", name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith(f"A{at}:"), name
        assert all(ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width for i in range(3)), name
    assert wb["Сводка"].auto_filter.ref


# --------------------------------------------------------------------------- lists match their metrics

def test_each_list_matches_its_metric(sample, db):
    result, out = sample
    wb = openpyxl.load_workbook(out / "scorecard.xlsx")
    for i, metric_id in LISTS.items():
        m = result.metrics[metric_id]
        assert m.evidence is not None, metric_id
        total = m.evidence.total
        assert total > 0, metric_id
        _, rows = table(wb[SHEETS_RU[i]])
        ids = evidence_ids(db, result, metric_id)
        assert len(ids) == total
        if metric_id.startswith("duplicates."):
            counted = [r for r in rows if r["Учтена в метрике"] == "да"]
            assert len(counted) == total, metric_id
            assert sorted(r["ID в источнике"] for r in counted) == sorted(ids)
            by_cluster: dict = {}
            for r in rows:
                by_cluster.setdefault(r["Группа"], []).append(r)
            for members in by_cluster.values():       # each cluster: its size, one survivor to keep
                assert len(members) == members[0]["Записей в группе"] >= 2
                keep = [r for r in members if r["Предлагаемое действие"].startswith("оставить")]
                assert len(keep) == 1
                assert all(r["Учтена в метрике"] == "нет" for r in keep)
        elif metric_id == "cross.calls.inbound_unlinked_share":
            assert sum(r["Звонков"] for r in rows) == total
            distinct = db.execute(f"SELECT count(DISTINCT coalesce(number, '-')) FROM dq.calls "
                                  f"WHERE ref IN ({m.evidence.query})").fetchall()[0][0]
            assert len(rows) == distinct                    # one row per calling number
            assert all(r["Файл"] and r["Строка"] for r in rows)
        else:
            assert len(rows) == total, metric_id
            assert sorted(str(r["ID в источнике"]) for r in rows) == sorted(ids), metric_id
            assert all(r["Файл"] and isinstance(r["Строка"], int) for r in rows), metric_id


def test_known_counts_on_sample(sample):
    _, out = sample
    wb = openpyxl.load_workbook(out / "scorecard.xlsx")
    assert len(table(wb["Проигрыши без причины"])[1]) == 137
    assert len(table(wb["Зависшие сделки"])[1]) == 138
    assert len(table(wb["Пропущенные без перезвона"])[1]) == 72


def test_stuck_deals_days_idle(sample):
    _, out = sample
    _, rows = table(openpyxl.load_workbook(out / "scorecard.xlsx")["Зависшие сделки"])
    for r in rows:
        assert r["Дней без движения"] > 14
        assert (dt.datetime.combine(AS_OF, dt.time.max) - r["Последнее изменение"]).days == r["Дней без движения"]


def test_cap_cuts_with_a_note(sample, db, tmp_path):
    result, _ = sample
    wb = write_variant(result, db, tmp_path / "cap.xlsx", cap=10)
    ws = wb["Проигрыши без причины"]
    _, rows = table(ws)
    assert len(rows) == 10
    last = [c for c in list(ws.iter_rows(values_only=True))[-1] if c is not None]
    assert last and "10" in last[0] and "137" in last[0]
    summary = [r for r in wb["Сводка"].iter_rows(values_only=True) if r[0] == "Проигрыши без причины"]
    assert summary[0][1] == 137


# --------------------------------------------------------------------------- privacy

def _pii(con) -> tuple[set[str], set[str], set[str]]:
    phones, emails, names = set(), set(), set()
    for t in ("contacts", "companies", "counterparties", "leads", "deals"):
        for (raw, normalised) in con.execute(f"SELECT phone, phones FROM stg.{t} WHERE phone IS NOT NULL").fetchall():
            phones.update(p.strip() for p in re.split(r"[,;]", raw) if len(re.sub(r"\D", "", p)) >= 7)
            phones.update(normalised or [])
        for (raw,) in con.execute(f"SELECT email FROM stg.{t} WHERE email LIKE '%@%'").fetchall():
            emails.update(e for e in re.split(r"[\s,;]+", raw) if re.match(r"[^@]{2,}@", e))
    phones.update(n for (n,) in con.execute("SELECT number FROM dq.calls WHERE number IS NOT NULL").fetchall())
    for first, last in con.execute("SELECT first_name, last_name FROM stg.contacts "
                                   "WHERE first_name IS NOT NULL AND last_name IS NOT NULL").fetchall():
        names.update({f"{last} {first}", f"{first} {last}"})
    return phones, emails, names


def test_personal_data_masked_by_default(sample, db):
    _, out = sample
    text = "\n".join(all_strings(openpyxl.load_workbook(out / "scorecard.xlsx")))
    phones, emails, names = _pii(db)
    assert phones and emails and names
    assert [p for p in phones if p in text] == []
    assert [e for e in emails if e in text] == []
    assert [n for n in names if n in text] == []
    assert "***" in text


def test_show_pii_shows_them_neutralised(sample, db, tmp_path):
    result, _ = sample
    strings = all_strings(write_variant(result, db, tmp_path / "pii.xlsx", show_pii=True))
    text = "\n".join(strings)
    phones, emails, names = _pii(db)
    assert sum(e in text for e in emails) > 50
    assert sum(n in text for n in names) > 50
    plus = [s for s in strings if s.startswith("'+7")]
    assert plus                                           # `+7 916 …` kept as text, never a formula
    assert not [s for s in strings if s.startswith(FORMULA_START)]


# --------------------------------------------------------------------------- formula neutralisation

HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(1)", "-1+1", "+7 (916) 000-00-00"]


def _bitrix(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    def line(cells):
        return "".join('"' + str(c).replace('"', '""') + '";' for c in cells)
    path.write_bytes(("\ufeff" + "\n".join([line(header), *map(line, rows)]) + "\n").encode("utf-8"))
    return path


def hostile_export(d: Path) -> list[Path]:
    company = _bitrix(
        d / "COMPANY_20261120_0a1b2c3d_0a1b2c3d4e5f6.csv",
        ["ID", "Название компании", "Тип компании", "Телефон", "E-mail", "ИНН", "Ответственный", "Кем создана",
         "Дата создания", "Дата изменения"],
        [["1", HOSTILE[0], "Клиент", "+7 916 123-45-67", "=evil@x.ru", "7707083893", "=Анна Смирнова", "Анна Смирнова",
          "01.03.2026 10:00:00", "01.03.2026 10:00:00"],
         ["2", HOSTILE[1], "Клиент", "+7 916 123-45-67", "", "7707083893", "@Иван", "Анна Смирнова",
          "02.03.2026 10:00:00", "02.03.2026 10:00:00"],
         ["3", HOSTILE[2], "Клиент", "-8 916 765-43-21", "", "7707083893", "-Пётр", "Анна Смирнова",
          "03.03.2026 10:00:00", "03.03.2026 10:00:00"]])
    contact = _bitrix(
        d / "CONTACT_20261120_0a1b2c3d_0a1b2c3d4e5f6.csv",
        ["ID", "Имя", "Фамилия", "Отчество", "Телефон", "E-mail", "Компания", "Должность", "Ответственный",
         "Кем создан", "Дата создания", "Дата изменения"],
        [["10", "=Иван", "Петров", "", "+7 916 111-22-33", "ivan@x.ru", HOSTILE[0], "-директор", "Анна Смирнова",
          "Анна Смирнова", "01.03.2026 10:00:00", "01.03.2026 10:00:00"],
         ["11", "Иван", "Петров", "", "+7 916 111-22-33", "ivan@x.ru", HOSTILE[0], "@бот", "Анна Смирнова",
          "Анна Смирнова", "02.03.2026 10:00:00", "02.03.2026 10:00:00"]])
    deal = _bitrix(
        d / "DEAL_20261120_0a1b2c3d_0a1b2c3d4e5f6.csv",
        ["ID", "Название сделки", "Сумма", "Валюта", "Компания", "Контакт", "Стадия сделки", "Ответственный",
         "Дата создания", "Дата изменения", "Дата завершения", "Причина отказа"],
        [["100", HOSTILE[0], "1000.00", "Российский рубль", HOSTILE[0], "=Иван Петров", "Сделка провалена",
          "=Анна Смирнова", "01.09.2026 10:00:00", "01.10.2026 10:00:00", "01.10.2026 10:00:00", ""],
         ["101", HOSTILE[1], "-5.00", "Российский рубль", HOSTILE[1], "", "Сделка провалена", "@Иван",
          "01.09.2026 10:00:00", "02.10.2026 10:00:00", "02.10.2026 10:00:00", ""],
         ["102", HOSTILE[2], "2000.00", "Российский рубль", HOSTILE[2], "", "Новая", "-Пётр",
          "01.09.2026 10:00:00", "03.09.2026 10:00:00", "", ""],
         ["103", "+1", "3000.00", "Российский рубль", "@SUM(A1:A9)", "", "Новая", "+Ольга",
          "01.09.2026 10:00:00", "04.09.2026 10:00:00", "", ""]])
    return [company, contact, deal]


@pytest.mark.parametrize("show_pii", [False, True])
def test_no_cell_is_a_formula(tmp_path, show_pii):
    files = hostile_export(tmp_path)
    out = tmp_path / "out"
    result = audit([str(p) for p in files], out, as_of=AS_OF, lang="en", use_gx=False, show_pii=show_pii)
    assert result.metrics["refusal.deals.lost_without_reason_share"].numerator == 2
    path = out / "scorecard.xlsx"
    wb = openpyxl.load_workbook(path)
    strings = all_strings(wb)
    assert not [s for s in strings if s.startswith(FORMULA_START)]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode("utf-8"), name
    # the hostile values are there, as text
    for value in HOSTILE[:3]:
        assert "'" + value in strings, value
    _, lost = table(wb["Lost without reason"], "en")
    assert {r["Company"] for r in lost} == {"'" + HOSTILE[0], "'" + HOSTILE[1]}
    assert {r["Owner"] for r in lost} == {"'=Анна Смирнова", "'@Иван"}
    _, stuck = table(wb["Stuck deals"], "en")
    assert {r["Company"] for r in stuck} == {"'" + HOSTILE[2], "'@SUM(A1:A9)"}
    _, companies = table(wb["Duplicate companies"], "en")
    assert len(companies) == 3 and sum(r["Counted in metric"] == "yes" for r in companies) == 2
    phones = {r["Phone"] for r in companies}
    if show_pii:
        assert "'+7 916 123-45-67" in phones and "'-8 916 765-43-21" in phones
    else:
        assert phones == {"'+7916***4567", "8916***4321"}


def test_lists_stay_exact_when_ids_repeat_across_files(tmp_path):
    """Two exports holding the same deal ids: a ref maps to each of its records once, so the list
    still has exactly the evidence total (not the square of the repeats)."""
    src = next((EXPORTS / "bitrix24").glob("DEAL_*.csv"))
    a = tmp_path / "DEAL_20261120_0a1b2c3d_0a1b2c3d4e5f6.csv"
    b = tmp_path / "DEAL_20261120_1a1b2c3d_1a1b2c3d4e5f6.csv"
    a.write_bytes(src.read_bytes())
    b.write_bytes(src.read_bytes())
    out = tmp_path / "out"
    result = audit([str(a), str(b)], out, as_of=AS_OF, lang="en", use_gx=False)
    wb = openpyxl.load_workbook(out / "scorecard.xlsx")
    for sheet, metric_id in (("Lost without reason", "refusal.deals.lost_without_reason_share"),
                             ("Stuck deals", "process.deals.stuck_share")):
        total = result.metrics[metric_id].evidence.total
        _, rows = table(wb[sheet], "en")
        assert len(rows) == total
        assert {(r["File"], r["Line"]) for r in rows} and len({(r["File"], r["Line"]) for r in rows}) == total
    assert result.metrics["refusal.deals.lost_without_reason_share"].evidence.total == 2 * 137

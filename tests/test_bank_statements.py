"""1CClientBankExchange: direction, flow and counterparty for every document kind, and the
statement's ВсегоПоступило / ВсегоСписано cross-check (connectors/readers/bank_exchange.py).

Shaped as banks write it (FORMATS.md §3.3): windows-1251, CRLF, key=value, a СекцияРасчСчет
with the totals, one СекцияДокумент per document whatever its kind.
"""
from __future__ import annotations

import datetime as dt

import duckdb

from connectors.load import discover, load

OWN = "40702810938000012345"
BANK_INCOME = "70601810938002700001"  # the bank's own income account: its commission
CORR = "30101810400000000225"         # a correspondent account in ПлательщикСчет, the client's in ПлательщикРасчСчет


def _doc(kind: str, number: str, date: str, amount: str, payer: dict, payee: dict, **extra) -> list[str]:
    lines = [f"СекцияДокумент={kind}", f"Номер={number}", f"Дата={date}", f"Сумма={amount}"]
    lines += [f"Плательщик{k}={v}" for k, v in payer.items()] + [f"Получатель{k}={v}" for k, v in payee.items()]
    lines += [f"{k}={v}" for k, v in extra.items()] + ["КонецДокумента"]
    return lines


US = {"Счет": OWN, "1": 'ООО "Северный Ветер"', "ИНН": "7701234567", "БИК": "044525225"}


def statement(docs: list[list[str]], credits: str, debits: str, own: str = OWN) -> str:
    head = ["1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows", "Отправитель=Сбербанк Бизнес Онлайн",
            "Получатель=Бухгалтерия предприятия", "ДатаСоздания=02.04.2024", "ДатаНачала=01.03.2024",
            "ДатаКонца=31.03.2024", f"РасчСчет={own}", "Документ=Платежное поручение",
            "СекцияРасчСчет", "ДатаНачала=01.03.2024", "ДатаКонца=31.03.2024", f"РасчСчет={own}",
            "НачальныйОстаток=100000.00", f"ВсегоПоступило={credits}", f"ВсегоСписано={debits}",
            "КонечныйОстаток=0.00", "КонецРасчСчет"]
    return "\r\n".join(head + [ln for d in docs for ln in d] + ["КонецФайла"]) + "\r\n"


KINDS = [
    _doc("Платежное поручение", "512", "14.03.2024", "120000.00",
         {"Счет": CORR, "РасчСчет": "40702810100000000777", "1": 'ООО "Башнефтьснаб"', "ИНН": "0274062111"},
         US, ДатаПоступило="14.03.2024", НазначениеПлатежа="Оплата по счету 101"),
    _doc("Банковский ордер", "9001", "15.03.2024", "450.00", US,
         {"Счет": BANK_INCOME, "1": "ПАО Сбербанк", "ИНН": "7707083893"}, ДатаСписано="15.03.2024",
         НазначениеПлатежа="Комиссия за ведение счета"),
    _doc("Мемориальный ордер", "9002", "16.03.2024", "1500.00",
         {"Счет": "47422810938000000001", "1": "ПАО Сбербанк", "ИНН": "7707083893"},
         {**US, "Счет": CORR, "РасчСчет": OWN}, ДатаПоступило="16.03.2024",  # our account in ПолучательРасчСчет
         НазначениеПлатежа="Возврат излишне удержанной комиссии"),
    _doc("Платежное требование", "33", "18.03.2024", "20000.00", US,
         {"Счет": "40702810500000000999", "1": 'АО "Энергосбыт"', "ИНН": "7736520080"}, ДатаСписано="18.03.2024",
         НазначениеПлатежа="Электроэнергия за февраль"),
    _doc("Инкассовое поручение", "7", "20.03.2024", "3000.00", US,
         {"Счет": "40101810045250010041", "1": "УФК по г. Москве (ИФНС № 1)", "ИНН": "7701107259"},
         ДатаСписано="20.03.2024", НазначениеПлатежа="Взыскание налога"),
]


def _load(tmp_path, text: str, name: str = "kl_to_1c.txt"):
    path = tmp_path / name
    path.write_bytes(text.encode("cp1251"))
    con = duckdb.connect()
    [rep], _ = load(discover([str(path)]), con)
    return con, rep


def test_every_document_kind_gets_direction_flow_and_counterparty(tmp_path):
    con, rep = _load(tmp_path, statement(KINDS, credits="121500.00", debits="23450.00"))
    assert (rep.system, rep.entity, rep.encoding, rep.rows_loaded, rep.problem) == ("1c", "payments", "cp1251", 5, None)
    assert "statement totals match the documents: ВсегоПоступило=121500.00 (2 documents), ВсегоСписано=23450.00 " \
           "(3 documents)" in rep.warnings
    got = con.execute("""SELECT operation, direction, flow, counterparty_name, counterparty_inn, pay_date, amount
                         FROM stg.payments ORDER BY _line""").fetchall()
    assert got == [
        ("Платежное поручение", "Поступление", "in", 'ООО "Башнефтьснаб"', "0274062111", dt.datetime(2024, 3, 14), 120000.0),
        ("Банковский ордер", "Списание", "out", "ПАО Сбербанк", "7707083893", dt.datetime(2024, 3, 15), 450.0),
        ("Мемориальный ордер", "Поступление", "in", "ПАО Сбербанк", "7707083893", dt.datetime(2024, 3, 16), 1500.0),
        ("Платежное требование", "Списание", "out", 'АО "Энергосбыт"', "7736520080", dt.datetime(2024, 3, 18), 20000.0),
        ("Инкассовое поручение", "Списание", "out", "УФК по г. Москве (ИФНС № 1)", "7701107259", dt.datetime(2024, 3, 20),
         3000.0),
    ]


def _anonymised(docs: list[list[str]]) -> list[list[str]]:
    """Accounts masked as some banks' exports for third parties do (and the header's own account too)."""
    return [[ln.split("=")[0] + "=40702810**********" if "Счет=" in ln else ln for ln in d] for d in docs]


def test_anonymised_accounts_fall_back_to_debit_and_credit_dates(tmp_path):
    text = statement(_anonymised(KINDS), credits="121500.00", debits="23450.00", own="40702810XXXXXXXX0000")
    con, rep = _load(tmp_path, text)
    assert rep.problem is None and any(w.startswith("statement totals match") for w in rep.warnings)
    assert [r[0] for r in con.execute("SELECT flow FROM stg.payments ORDER BY _line").fetchall()] == [
        "in", "out", "in", "out", "out"]
    assert con.execute("SELECT count(*) FROM stg.payments WHERE counterparty_name IS NULL").fetchone()[0] == 0


def test_totals_that_do_not_add_up_are_the_files_problem(tmp_path):
    docs = _anonymised(KINDS)
    docs[1] = [ln for ln in docs[1] if not ln.startswith("ДатаСписано")]  # the commission lost its debit date
    con, rep = _load(tmp_path, statement(docs, credits="121500.00", debits="23450.00", own="40702810XXXXXXXX0000"))
    assert rep.rows_loaded == 5
    assert rep.problem == ("statement totals do not match its documents (ВсегоСписано=23450.00, documents 23000.00 (2)): "
                           "some directions or documents are wrong or missing; check the bank's statement before trusting "
                           "payments figures")
    assert con.execute("SELECT flow FROM stg.payments WHERE number = '9001'").fetchone() == (None,)

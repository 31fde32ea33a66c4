"""1C connectors: list exports (XLSX, TXT, CSV), CommerceML 2 and 1CClientBankExchange statements.

Every fixture is written here, in the byte format 1C (or its exchange partners) produce, and loaded
through the public path `discover` + `load`; the assertions are exact values in `stg.*`.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
import pytest

from connectors import registry
from connectors.load import discover, load
from connectors.sniff import peek

NBSP = "\u00a0"


# --------------------------------------------------------------------------- helpers

def inn10(body: str) -> str:
    """A valid organisation INN from 9 digits (FORMATS.md §6.1)."""
    w = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    return body + str(sum(a * int(d) for a, d in zip(w, body)) % 11 % 10)


def inn12(body: str) -> str:
    """A valid personal INN from 10 digits (FORMATS.md §6.1)."""
    w11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    w12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    d11 = str(sum(a * int(d) for a, d in zip(w11, body)) % 11 % 10)
    return body + d11 + str(sum(a * int(d) for a, d in zip(w12, body + d11)) % 11 % 10)


def broken(inn: str) -> str:
    return inn[:-1] + str((int(inn[-1]) + 1) % 10)


INN_ZERO = inn10("027406211")       # Bashkortostan: leading zero must survive
INN_ORG = inn10("770708389")        # = 7707083893, Сбербанк (checked in FORMATS.md)
INN_PERSON = inn12("5001007322")    # = 500100732259
INN_BAD = broken(inn10("502401234"))


def run(*paths: Path):
    con = duckdb.connect()
    reports, counts = load(discover([str(p) for p in paths]), con)
    return con, reports, counts


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def report(reports, entity: str):
    found = [r for r in reports if r.entity == entity]
    assert len(found) == 1, [(r.path, r.entity, r.problem) for r in reports]
    return found[0]


def test_inn_helpers_match_known_values() -> None:
    assert INN_ORG == "7707083893" and INN_PERSON == "500100732259"
    assert INN_ZERO.startswith("0") and len(INN_ZERO) == 10


# --------------------------------------------------------------------------- list exports: XLSX

def write_xlsx(path: Path, title: str | None, header: list[str], data: list[list], sheet: str = "TDSheet") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
        ws.append([])
    ws.append(header)
    for row in data:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def counterparties_xlsx(tmp_path: Path) -> Path:
    header = ["Наименование", "Полное наименование", "Вид контрагента", "ИНН", "КПП", "Код по ОКПО",
              "Головной контрагент", "Телефон", "Электронная почта", "Код"]
    data = [
        ["Башнефтьснаб ООО", 'ООО "Башнефтьснаб"', "Юридическое лицо", INN_ZERO, "027401001", "12345678",
         "Башнефтьснаб ООО", "+7 (347) 246-11-22", "info@bns.ru", "00-000001"],
        ["Сбербанк ПАО", 'ПАО "Сбербанк России"', "Юридическое лицо", INN_ORG, "773601001", None,
         "Сбербанк ПАО", "8 800 555-55-50", None, "00-000002"],
        ["Иванов Иван Иванович ИП", "Индивидуальный предприниматель Иванов Иван Иванович", "Физическое лицо",
         INN_PERSON, None, None, None, "8 (916) 123-45-67", "ivanov@mail.ru", "00-000003"],
        ["Лютик ООО", 'ООО "Лютик"', "Юридическое лицо", INN_BAD, "502401001", None, None, None, None, "00-000004"],
    ]
    return write_xlsx(tmp_path / "export.xlsx", "Контрагенты", header, data)


def test_counterparties_xlsx_detected_as_1c(counterparties_xlsx: Path) -> None:
    sample = peek(counterparties_xlsx)
    assert (sample.kind, sample.sheet, sample.header_row) == ("xlsx", "TDSheet", 2)
    best, problem = registry.detect(sample)
    assert problem is None and (best.system, best.entity) == ("1c", "counterparties")
    assert best.confidence >= 0.8


def test_counterparties_xlsx_values(counterparties_xlsx: Path) -> None:
    con, reports, counts = run(counterparties_xlsx)
    rep = report(reports, "counterparties")
    assert (rep.system, rep.rows_read, rep.rows_loaded, rep.rows_rejected, rep.problem) == ("1c", 4, 4, 0, None)
    assert rep.mapped["inn"] == ["ИНН"] and rep.mapped["kind"] == ["Вид контрагента"] and rep.mapped["code"] == ["Код"]
    assert counts["counterparties"] == 4
    got = rows(con, """SELECT _line, name, full_name, inn, inn_valid, kpp, kind, code, phones, emails
                       FROM stg.counterparties ORDER BY _line""")
    assert got == [
        (4, "Башнефтьснаб ООО", 'ООО "Башнефтьснаб"', INN_ZERO, True, "027401001", "Юридическое лицо", "00-000001",
         ["+73472461122"], ["info@bns.ru"]),
        (5, "Сбербанк ПАО", 'ПАО "Сбербанк России"', "7707083893", True, "773601001", "Юридическое лицо", "00-000002",
         ["+78005555550"], []),
        (6, "Иванов Иван Иванович ИП", "Индивидуальный предприниматель Иванов Иван Иванович", "500100732259", True,
         None, "Физическое лицо", "00-000003", ["+79161234567"], ["ivanov@mail.ru"]),
        (7, "Лютик ООО", 'ООО "Лютик"', INN_BAD, False, "502401001", "Юридическое лицо", "00-000004", [], []),
    ]
    assert rows(con, "SELECT name_norm FROM stg.counterparties WHERE _line = 4") == [("башнефтьснаб",)]


@pytest.fixture
def invoices_xlsx(tmp_path: Path) -> Path:
    header = ["Дата", "Номер", "Контрагент", "Сумма", "Валюта", "Организация", "Ответственный", "Комментарий", "Проведен"]
    data = [
        [dt.datetime(2024, 3, 12, 10, 15), "СВ00-000101", "Башнефтьснаб ООО", 1234.56, "руб.", "Северный Ветер ООО",
         "Петров П.П.", None, "Да"],
        ["13.03.2024 9:05:00", "СВ00-000102", "Сбербанк ПАО", f"1{NBSP}234{NBSP}567,89", "руб.", "Северный Ветер ООО",
         "Петров П.П.", "аванс", "Да"],
        ["14.03.2024", "СВ00-000103", "Лютик ООО", "12 300,00", "руб.", "Северный Ветер ООО", None, None, "Нет"],
        ["Итого", None, None, 1247100.45, None, None, None, None, None],
    ]
    return write_xlsx(tmp_path / "list.xlsx", "Счета на оплату покупателям", header, data)


def test_invoices_xlsx_title_row_gives_doc_type(invoices_xlsx: Path) -> None:
    con, reports, counts = run(invoices_xlsx)
    rep = report(reports, "documents")
    assert (rep.system, rep.rows_read, rep.rows_loaded, rep.rows_rejected) == ("1c", 4, 3, 1)
    assert any("title row" in w and "invoice" in w for w in rep.warnings)
    got = rows(con, """SELECT _line, doc_type, number, doc_date, amount, currency, counterparty_name, organization,
                              owner, status, comment FROM stg.documents ORDER BY _line""")
    assert got == [
        (4, "invoice", "СВ00-000101", dt.datetime(2024, 3, 12, 10, 15), 1234.56, "руб.", "Башнефтьснаб ООО",
         "Северный Ветер ООО", "Петров П.П.", "posted", None),
        (5, "invoice", "СВ00-000102", dt.datetime(2024, 3, 13, 9, 5), 1234567.89, "руб.", "Сбербанк ПАО",
         "Северный Ветер ООО", "Петров П.П.", "posted", "аванс"),
        (6, "invoice", "СВ00-000103", dt.datetime(2024, 3, 14), 12300.0, "руб.", "Лютик ООО",
         "Северный Ветер ООО", None, "not_posted", None),
    ]
    assert rows(con, "SELECT line, reason FROM meta.rejects") == [(7, "totals row, not a record")]


def test_sales_doc_type_from_sheet_name(tmp_path: Path) -> None:
    header = ["Дата", "Номер", "Контрагент", "Сумма", "Валюта", "Организация", "Ответственный"]
    path = write_xlsx(tmp_path / "x.xlsx", None, header,
                      [[dt.date(2024, 4, 1), "0001", "Лютик ООО", 500, "руб.", "Северный Ветер ООО", "Петров П.П."]],
                      sheet="Реализация товаров и услуг")
    con, reports, _ = run(path)
    assert report(reports, "documents").system == "1c"
    assert rows(con, "SELECT _line, doc_type, amount, doc_date FROM stg.documents") == [
        (2, "sale", 500.0, dt.datetime(2024, 4, 1))]


def test_payments_xlsx_direction_from_title(tmp_path: Path) -> None:
    header = ["Дата", "Номер", "Сумма документа", "Валюта", "Контрагент", "Вид операции", "Вх. номер", "Вх. дата",
              "Организация", "Ответственный", "Комментарий"]
    data = [
        ["15.03.2024", "0000-000045", f"1{NBSP}234,56", "руб.", "Башнефтьснаб ООО", "Оплата от покупателя", "512",
         "15.03.2024", "Северный Ветер ООО", "Бухгалтер", None],
        ["16.03.2024", "0000-000046", "99 000", "руб.", "Сбербанк ПАО", "Прочее поступление", None, None,
         "Северный Ветер ООО", "Бухгалтер", "проценты"],
    ]
    path = write_xlsx(tmp_path / "bank.xlsx", "Поступления на расчетный счет", header, data)
    sample = peek(path)
    best, problem = registry.detect(sample)
    assert problem is None and (best.system, best.entity) == ("1c", "payments")
    con, reports, _ = run(path)
    rep = report(reports, "payments")
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (2, 2, 0)
    assert rows(con, """SELECT _line, number, pay_date, amount, direction, flow, operation, counterparty_name, organization
                        FROM stg.payments ORDER BY _line""") == [
        (4, "0000-000045", dt.datetime(2024, 3, 15), 1234.56, "Поступление", "in", "Оплата от покупателя",
         "Башнефтьснаб ООО", "Северный Ветер ООО"),
        (5, "0000-000046", dt.datetime(2024, 3, 16), 99000.0, "Поступление", "in", "Прочее поступление",
         "Сбербанк ПАО", "Северный Ветер ООО"),
    ]


def test_bank_journal_csv_with_in_and_out_columns(tmp_path: Path) -> None:
    """БП 3.0 "Банковские выписки" journal: separate Поступление / Списание sums, re-saved as `;`-CSV."""
    text = ("Дата;Номер;Поступление;Списание;Контрагент;Назначение платежа;Вид операции;Организация\r\n"
            "01.04.2024;11;5 000,00;;Башнефтьснаб ООО;Оплата по счету 101;Оплата от покупателя;Северный Ветер ООО\r\n"
            "02.04.2024;12;;1 500,50;Лютик ООО;Оплата по договору;Оплата поставщику;Северный Ветер ООО\r\n")
    path = tmp_path / "journal.csv"
    path.write_bytes(text.encode("cp1251"))
    con, reports, _ = run(path)
    rep = report(reports, "payments")
    assert (rep.system, rep.encoding, rep.rows_read, rep.rows_loaded) == ("1c", "cp1251", 2, 2)
    assert rows(con, "SELECT _line, amount, direction, flow, purpose FROM stg.payments ORDER BY _line") == [
        (2, 5000.0, "Поступление", "in", "Оплата по счету 101"),
        (3, 1500.5, "Списание", "out", "Оплата по договору"),
    ]


# --------------------------------------------------------------------------- list exports: TXT

def test_txt_cp1251_tab_separated_documents(tmp_path: Path) -> None:
    """1C "Текстовый документ (ANSI)": windows-1251, tab-separated, quotes verbatim, no CSV quoting."""
    lines = [
        "Дата\tНомер\tВид документа\tКонтрагент\tСумма документа\tВалюта\tОрганизация\tКомментарий",
        f"12.03.2024 10:15:00\tСВ00-000101\tСчет на оплату покупателю\t\"Лютик\" ООО\t1{NBSP}234,56\tруб.\tСеверный Ветер ООО\tпервый",
        "13.03.2024 11:00:00\tСВ00-000055\tРеализация (акт, накладная, УПД)\tООО \"Ромашка\"\t99 000,00\tруб.\tСеверный Ветер ООО",
        "",
        "14.03.2024 12:00:00\tСВ00-000056\tВозврат товаров от покупателя\tИванов И.И.\t-500,00\tруб.\tСеверный Ветер ООО\t",
    ]
    path = tmp_path / "docs.txt"
    path.write_bytes("\r\n".join(lines).encode("cp1251") + b"\r\n")
    sample = peek(path)
    assert (sample.kind, sample.encoding, sample.delimiter) == ("csv", "cp1251", "\t")
    best, problem = registry.detect(sample)
    assert problem is None and (best.system, best.entity) == ("1c", "documents")
    con, reports, _ = run(path)
    rep = report(reports, "documents")
    assert (rep.encoding, rep.rows_read, rep.rows_loaded, rep.rows_rejected) == ("cp1251", 3, 3, 0)
    assert any("fewer cells" in w for w in rep.warnings)  # line 3 ends without its empty comment cell
    assert rows(con, """SELECT _line, doc_type, number, doc_date, amount, counterparty_name, comment
                        FROM stg.documents ORDER BY _line""") == [
        (2, "invoice", "СВ00-000101", dt.datetime(2024, 3, 12, 10, 15), 1234.56, '"Лютик" ООО', "первый"),
        (3, "sale", "СВ00-000055", dt.datetime(2024, 3, 13, 11, 0), 99000.0, 'ООО "Ромашка"', None),
        (5, "return", "СВ00-000056", dt.datetime(2024, 3, 14, 12, 0), -500.0, "Иванов И.И.", None),
    ]


def test_txt_utf8_counterparties(tmp_path: Path) -> None:
    lines = ["Наименование\tПолное наименование\tИНН\tКПП\tВид контрагента",
             f"Башнефтьснаб ООО\tООО \"Башнефтьснаб\"\t{INN_ZERO}\t027401001\tЮридическое лицо"]
    path = tmp_path / "k.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8"))
    con, reports, _ = run(path)
    rep = report(reports, "counterparties")
    assert (rep.system, rep.rows_loaded) == ("1c", 1)
    assert rows(con, "SELECT _line, name, inn, inn_valid FROM stg.counterparties") == [
        (2, "Башнефтьснаб ООО", INN_ZERO, True)]


# --------------------------------------------------------------------------- detection boundaries

def _detect_csv(tmp_path: Path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return registry.detect(peek(path))


def test_bitrix24_companies_not_taken_for_1c(tmp_path: Path) -> None:
    text = ('\ufeff"ID";"Название компании";"Тип компании";"Сфера деятельности";"ИНН";"КПП";"Телефон";"E-mail";'
            '"Ответственный";"Дата создания";"Кем создана";\n'
            '"1";"Ромашка";"Клиент";"Производство";"7707083893";"770701001";"+7 495 123-45-67";"a@b.ru";'
            '"Петров";"01.02.2024 10:00:00";"Петров";\n')
    best, problem = _detect_csv(tmp_path, "c.csv", text)
    assert problem is None and (best.system, best.entity) == ("bitrix24", "companies")
    assert all(d.system != "1c" for d in registry.rank(peek(tmp_path / "c.csv")))


def test_generic_companies_not_taken_for_1c(tmp_path: Path) -> None:
    text = ("account,sector,year_established,revenue,employees,office_location,subsidiary_of\n"
            "Acme Corporation,technolgy,1996,1100.04,2822,United States,\n")
    best, problem = _detect_csv(tmp_path, "accounts.csv", text)
    assert problem is None and (best.system, best.entity) == ("generic", "companies")
    assert all(d.system != "1c" for d in registry.rank(peek(tmp_path / "accounts.csv")))


def test_1c_counterparties_not_taken_for_crm_companies(tmp_path: Path) -> None:
    text = ("Наименование;Полное наименование;Вид контрагента;ИНН;КПП;Код по ОКПО;Головной контрагент\n"
            f"Ромашка ООО;ООО \"Ромашка\";Юридическое лицо;{INN_ORG};770701001;;Ромашка ООО\n")
    best, problem = _detect_csv(tmp_path, "k.csv", text, "cp1251")
    assert problem is None and (best.system, best.entity) == ("1c", "counterparties")
    ranked = registry.rank(peek(tmp_path / "k.csv"))
    others = [d for d in ranked if d.system != "1c"]
    assert not others or others[0].confidence < 0.5


def test_1c_payments_list_not_taken_for_documents(tmp_path: Path) -> None:
    text = ("Дата\tНомер\tСумма\tВалюта\tКонтрагент\tВид операции\tВх. номер\tВх. дата\tОрганизация\tОтветственный\n"
            "15.03.2024\t45\t100,00\tруб.\tРомашка ООО\tОплата от покупателя\t1\t15.03.2024\tСеверный Ветер ООО\tБух\n")
    best, problem = _detect_csv(tmp_path, "p.txt", text)
    assert problem is None and (best.system, best.entity) == ("1c", "payments")


# --------------------------------------------------------------------------- CommerceML

def cml_party(ident: str, name: str, official: str | None, inn: str, kpp: str | None, phone: str | None,
              email: str | None, role: str | None = None, person: bool = False) -> str:
    parts = [f"<Ид>{ident}</Ид>", f"<Наименование>{name}</Наименование>"]
    if person:
        parts.append(f"<ПолноеНаименование>{official}</ПолноеНаименование>")
    elif official:
        parts.append(f"<ОфициальноеНаименование>{official}</ОфициальноеНаименование>")
    parts.append(f"<ИНН>{inn}</ИНН>")
    if kpp:
        parts.append(f"<КПП>{kpp}</КПП>")
    contacts = []
    if phone:
        contacts.append(f"<Контакт><Тип>Телефон рабочий</Тип><Значение>{phone}</Значение></Контакт>")
    if email:
        contacts.append(f"<Контакт><Тип>Почта</Тип><Значение>{email}</Значение></Контакт>")
    if contacts:
        parts.append("<Контакты>" + "".join(contacts) + "</Контакты>")
    # a bank account and a representative: their names must not leak into the counterparty
    parts.append("<РасчетныеСчета><РасчетныйСчет><НомерСчета>40702810900000000009</НомерСчета>"
                 "<Банк><Наименование>ПАО БАНК</Наименование></Банк></РасчетныйСчет></РасчетныеСчета>")
    parts.append("<Представители><Представитель><Контрагент><Отношение>Контактное лицо</Отношение>"
                 "<Наименование>Сидоров</Наименование></Контрагент></Представитель></Представители>")
    if role:
        parts.append(f"<Роль>{role}</Роль>")
    return "<Контрагент>" + "".join(parts) + "</Контрагент>"


def cml_document(ident: str, number: str, date: str, operation: str, amount: str, party: str,
                 requisites: dict[str, str]) -> str:
    reqs = "".join(f"<ЗначениеРеквизита><Наименование>{k}</Наименование><Значение>{v}</Значение></ЗначениеРеквизита>"
                   for k, v in requisites.items())
    return "\n".join([
        "  <Документ>",
        f"    <Ид>{ident}</Ид>", f"    <Номер>{number}</Номер>", f"    <Дата>{date}</Дата>",
        f"    <ХозОперация>{operation}</ХозОперация>", "    <Роль>Продавец</Роль>", "    <Валюта>руб</Валюта>",
        "    <Курс>1</Курс>", f"    <Сумма>{amount}</Сумма>",
        f"    <Контрагенты>{party}</Контрагенты>",
        "    <Время>10:15:00</Время>",
        "    <Товары><Товар><Ид>t1</Ид><Наименование>Болт</Наименование><ЗначенияРеквизитов><ЗначениеРеквизита>"
        "<Наименование>Проведен</Наименование><Значение>товарный</Значение></ЗначениеРеквизита></ЗначенияРеквизитов>"
        "</Товар></Товары>",
        f"    <ЗначенияРеквизитов>{reqs}</ЗначенияРеквизитов>",
        "  </Документ>",
    ])


def line_of(text: str, needle: str, nth: int = 1) -> int:
    pos = -1
    for _ in range(nth):
        pos = text.index(needle, pos + 1)
    return text.count("\n", 0, pos) + 1


@pytest.fixture
def cml_orders(tmp_path: Path) -> tuple[Path, str]:
    party_a = cml_party("p-1", "Башнефтьснаб ООО", 'ООО "Башнефтьснаб"', INN_ZERO, "027401001", "+7 347 246-11-22",
                        "info@bns.ru", "Покупатель")
    party_b = cml_party("p-2", "Иванов И.И.", "Иванов Иван Иванович", INN_PERSON, None, None, None, "Покупатель",
                        person=True)
    text = "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'ВерсияСхемы="2.10" ДатаФормирования="2024-03-20T10:00:00">',
        cml_document("d-1", "ЗК-101", "2024-03-12", "Заказ товара", "12345.67", party_a,
                     {"Проведен": "true", "ПометкаУдаления": "false", "Статус заказа": "[N] Принят",
                      "Дата оплаты по 1С": "T", "Неинтересный реквизит": "x"}),
        cml_document("d-2", "СЧ-7", "2024-03-13", "Счет на оплату", "500.00", party_b,
                     {"Проведен": "false", "ПометкаУдаления": "true"}),
        "  <Контрагенты>",
        "    " + cml_party("p-3", "Лютик ООО", 'ООО "Лютик"', INN_BAD, "502401001", "8 (916) 123-45-67", "a@lutik.ru"),
        "  </Контрагенты>",
        "</КоммерческаяИнформация>",
    ])
    path = tmp_path / "orders.xml"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_commerceml_namespaced_documents_and_counterparties(cml_orders) -> None:
    path, text = cml_orders
    best, problem = registry.detect(peek(path))
    assert problem is None and (best.system, best.entity) == ("1c", "documents")
    con, reports, counts = run(path)
    docs, parties = report(reports, "documents"), report(reports, "counterparties")
    assert (docs.system, docs.rows_read, docs.rows_loaded, docs.rows_rejected, docs.problem) == ("1c", 2, 2, 0, None)
    assert (parties.system, parties.rows_read, parties.rows_loaded) == ("1c", 1, 1)
    assert docs.raw_table != parties.raw_table
    assert docs.mapped["status"] == ["Статус заказа"] and docs.mapped["counterparty_id"] == ["Контрагент.Ид"]
    assert counts["documents"] == 2 and counts["counterparties"] == 1
    assert rows(con, """SELECT _line, record_id, doc_type, number, doc_date, amount, currency, counterparty_name,
                               counterparty_inn, counterparty_inn_valid, counterparty_id, status
                        FROM stg.documents ORDER BY _line""") == [
        (line_of(text, "<Документ>"), "d-1", "order", "ЗК-101", dt.datetime(2024, 3, 12), 12345.67, "руб",
         "Башнефтьснаб ООО", INN_ZERO, True, "p-1", "[N] Принят"),
        (line_of(text, "<Документ>", 2), "d-2", "invoice", "СЧ-7", dt.datetime(2024, 3, 13), 500.0, "руб",
         "Иванов И.И.", INN_PERSON, True, "p-2", None),
    ]
    raw = rows(con, f"""SELECT "Проведен", "ПометкаУдаления", "Дата оплаты по 1С", "Контрагент.Телефон",
                               "Контрагент.Почта", "Контрагент.ПолноеНаименование" FROM {docs.raw_table} ORDER BY _line""")
    assert raw == [("true", "false", None, "+7 347 246-11-22", "info@bns.ru", 'ООО "Башнефтьснаб"'),
                   ("false", "true", None, None, None, "Иванов Иван Иванович")]
    raw_cols = [c for (c,) in rows(con, f"SELECT column_name FROM (DESCRIBE {docs.raw_table})")]
    assert "Неинтересный реквизит" not in raw_cols and "Статус заказа" in raw_cols and "Отменен" not in raw_cols
    assert rows(con, """SELECT _line, record_id, name, full_name, kind, inn, inn_valid, kpp, phones, emails
                        FROM stg.counterparties""") == [
        (line_of(text, "<Контрагент><Ид>p-3"), "p-3", "Лютик ООО", 'ООО "Лютик"', "Юридическое лицо", INN_BAD, False,
         "502401001", ["+79161234567"], ["a@lutik.ru"])]


def test_commerceml_without_namespace_in_cp1251(tmp_path: Path) -> None:
    party = cml_party("p-9", "Ромашка ООО", 'ООО "Ромашка"', INN_ORG, "770701001", "8 495 111-22-33", None)
    text = "\n".join([
        '<?xml version="1.0" encoding="windows-1251"?>',
        '<КоммерческаяИнформация ВерсияСхемы="2.05" ДатаФормирования="2024-03-20T10:00:00">',
        "<Контрагенты>", party, "</Контрагенты>",
        "</КоммерческаяИнформация>",
    ])
    path = tmp_path / "contragents.xml"
    path.write_bytes(text.encode("cp1251"))
    sample = peek(path)
    assert (sample.kind, sample.encoding) == ("xml", "cp1251")
    con, reports, _ = run(path)
    rep = report(reports, "counterparties")
    assert (rep.system, rep.rows_read, rep.rows_loaded, rep.encoding) == ("1c", 1, 1, "cp1251")
    assert rows(con, "SELECT _line, name, full_name, inn, inn_valid, phones FROM stg.counterparties") == [
        (4, "Ромашка ООО", 'ООО "Ромашка"', INN_ORG, True, ["+74951112233"])]


def test_commerceml_windows1251_documents_namespace_205(tmp_path: Path) -> None:
    party = cml_party("p-5", "Ромашка ООО", 'ООО "Ромашка"', INN_ORG, "770701001", None, None, "Покупатель")
    text = "\n".join([
        '<?xml version="1.0" encoding="windows-1251"?>',
        '<cml:КоммерческаяИнформация xmlns:cml="urn:1C.ru:commerceml_205" ВерсияСхемы="2.05" ДатаФормирования="2024-03-20">',
        cml_document("d-9", "Р-1", "2024-02-01", "Отпуск товара", "1000.50", party, {"Проведен": "true"})
        .replace("<", "<cml:").replace("<cml:/", "</cml:"),
        "</cml:КоммерческаяИнформация>",
    ])
    path = tmp_path / "sales.xml"
    path.write_bytes(text.encode("cp1251"))
    con, reports, _ = run(path)
    rep = report(reports, "documents")
    assert (rep.rows_read, rep.rows_loaded, rep.problem) == (1, 1, None)
    assert rep.mapped["status"] == ["status"]  # computed from Проведен / ПометкаУдаления
    assert rows(con, "SELECT _line, doc_type, amount, counterparty_name, status FROM stg.documents") == [
        (3, "sale", 1000.5, "Ромашка ООО", "posted")]


def test_commerceml_catalogue_is_recognised_but_has_no_records(tmp_path: Path) -> None:
    text = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_210" ВерсияСхемы="2.10" ДатаФормирования="2024-03-20T10:00:00">
  <Каталог СодержитТолькоИзменения="false">
    <Ид>cat-1</Ид><ИдКлассификатора>cl-1</ИдКлассификатора><Наименование>Основной каталог</Наименование>
    <Владелец><Ид>org-1</Ид><Наименование>Северный Ветер ООО</Наименование>
      <ОфициальноеНаименование>ООО "Северный Ветер"</ОфициальноеНаименование><ИНН>7707083893</ИНН></Владелец>
    <Товары><Товар><Ид>t-1</Ид><Наименование>Болт</Наименование></Товар></Товары>
  </Каталог>
</КоммерческаяИнформация>
"""
    path = tmp_path / "import.xml"
    path.write_text(text, encoding="utf-8")
    con, reports, counts = run(path)
    assert len(reports) == 1
    rep = reports[0]
    assert rep.system == "1c" and rep.rows_read == 0 and rep.raw_table is None
    assert rep.problem.startswith("CommerceML file with no documents or counterparties (Каталог")
    assert counts["counterparties"] == 0 and counts["documents"] == 0


def test_commerceml_truncated_is_one_line_problem(cml_orders, tmp_path: Path) -> None:
    _, text = cml_orders
    path = tmp_path / "cut.xml"
    path.write_text(text[: text.index("<Документ>", text.index("<Документ>") + 1) + 40], encoding="utf-8")
    con, reports, counts = run(path)
    assert len(reports) == 1
    rep = reports[0]
    assert rep.system == "1c" and rep.raw_table is None and "\n" not in rep.problem
    assert rep.problem.startswith("malformed XML at line ") and rep.problem.endswith("re-export it from 1C")
    assert counts["documents"] == 0
    assert rows(con, "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'raw'") == [(0,)]


# --------------------------------------------------------------------------- bank statements

OWN = "40702810900000000001"
OWN2 = "40702810900000000002"


def bank_text(encoding_name: str = "Windows") -> str:
    return "\r\n".join([
        "1CClientBankExchange",
        "ВерсияФормата=1.03",
        f"Кодировка={encoding_name}",
        "Отправитель=Бухгалтерия предприятия, редакция 3.0",
        "ДатаНачала=01.03.2024",
        "ДатаКонца=31.03.2024",
        f"РасчСчет={OWN}",
        f"РасчСчет={OWN2}",
        "СекцияРасчСчет",
        "ДатаНачала=01.03.2024",
        f"РасчСчет={OWN}",
        "НачальныйОстаток=1000.00",
        "КонецРасчСчет",
        "СекцияДокумент=Платежное поручение",                          # line 14: incoming
        "Номер=512",
        "Дата=14.03.2024",
        "Сумма=1234.56",
        "ПлательщикСчет=40702810100000000777",
        f"Плательщик=ИНН {INN_ZERO} ООО \"Башнефтьснаб\"",
        f"ПлательщикИНН={INN_ZERO}",
        "Плательщик1=ООО \"Башнефтьснаб\"",
        f"ПолучательСчет={OWN}",
        "Получатель1=ООО \"Северный Ветер\"",
        f"ПолучательИНН={INN_ORG}",
        "ДатаПоступило=15.03.2024",
        "НазначениеПлатежа=Оплата по счету СВ00-000101 от 12.03.2024",
        "КонецДокумента",
        "СекцияДокумент=Платежное поручение",                          # line 28: outgoing
        "Номер=77",
        "Дата=16.03.2024",
        "Сумма=99000.00",
        f"ПлательщикСчет={OWN}",
        "Плательщик1=ООО \"Северный Ветер\"",
        f"ПлательщикИНН={INN_ORG}",
        "ПолучательСчет=40702810100000000888",
        "Получатель=ООО \"Лютик\"",
        f"ПолучательИНН={INN_BAD}",
        "ДатаСписано=16.03.2024",
        "НазначениеПлатежа=Оплата по договору 5",
        "НДС не облагается",
        "КонецДокумента",
        "СекцияДокумент=Платежное поручение",                          # line 42: own accounts
        "Номер=78",
        "Дата=17.03.2024",
        "Сумма=5000.00",
        f"ПлательщикСчет={OWN}",
        f"ПолучательСчет={OWN2}",
        "ДатаСписано=17.03.2024",
        "ДатаПоступило=17.03.2024",
        "НазначениеПлатежа=Перевод между своими счетами",
        "КонецДокумента",
        "КонецФайла",
    ]) + "\r\n"


def test_bank_statement_cp1251(tmp_path: Path) -> None:
    path = tmp_path / "kl_to_1c.txt"
    path.write_bytes(bank_text().encode("cp1251"))
    sample = peek(path)
    assert (sample.kind, sample.encoding) == ("bank", "cp1251")
    best, problem = registry.detect(sample)
    assert problem is None and (best.system, best.entity) == ("1c", "payments")
    con, reports, counts = run(path)
    rep = report(reports, "payments")
    assert (rep.system, rep.encoding, rep.rows_read, rep.rows_loaded, rep.rows_rejected, rep.problem) == (
        "1c", "cp1251", 3, 3, 0, None)
    assert rep.mapped["pay_date"] == ["ДатаОперации"] and rep.mapped["counterparty_name"] == ["Контрагент"]
    assert counts["payments"] == 3
    assert rows(con, """SELECT _line, number, pay_date, amount, direction, flow, counterparty_name, counterparty_inn,
                               counterparty_inn_valid, organization, operation, purpose
                        FROM stg.payments ORDER BY _line""") == [
        (14, "512", dt.datetime(2024, 3, 15), 1234.56, "Поступление", "in", 'ООО "Башнефтьснаб"', INN_ZERO, True,
         'ООО "Северный Ветер"', "Платежное поручение", "Оплата по счету СВ00-000101 от 12.03.2024"),
        (28, "77", dt.datetime(2024, 3, 16), 99000.0, "Списание", "out", 'ООО "Лютик"', INN_BAD, False,
         'ООО "Северный Ветер"', "Платежное поручение", "Оплата по договору 5\nНДС не облагается"),
        (42, "78", dt.datetime(2024, 3, 17), 5000.0, "Перемещение", None, None, None, False,
         None, "Платежное поручение", "Перевод между своими счетами"),
    ]
    # every key of the documents is a raw column, as written
    assert rows(con, f'SELECT "Дата", "Плательщик", "ДатаПоступило" FROM {rep.raw_table} ORDER BY _line LIMIT 1') == [
        ("14.03.2024", f'ИНН {INN_ZERO} ООО "Башнефтьснаб"', "15.03.2024")]


def test_bank_statement_dos_encoding(tmp_path: Path) -> None:
    path = tmp_path / "statement.dat"
    path.write_bytes(bank_text("DOS").encode("cp866"))
    con, reports, _ = run(path)
    rep = report(reports, "payments")
    assert (rep.encoding, rep.rows_loaded) == ("cp866", 3)
    assert rows(con, "SELECT counterparty_name FROM stg.payments ORDER BY _line LIMIT 1") == [('ООО "Башнефтьснаб"',)]


def test_bank_statement_in_utf8_despite_windows_declaration(tmp_path: Path) -> None:
    path = tmp_path / "statement.txt"
    path.write_bytes(bank_text().encode("utf-8"))
    con, reports, _ = run(path)
    rep = report(reports, "payments")
    assert (rep.encoding, rep.rows_loaded) == ("utf-8", 3)
    assert any("UTF-8" in w for w in rep.warnings)
    assert rows(con, "SELECT counterparty_name FROM stg.payments ORDER BY _line LIMIT 1") == [('ООО "Башнефтьснаб"',)]


def test_bank_statement_truncated_document_is_rejected(tmp_path: Path) -> None:
    text = bank_text()
    cut = text[: text.index("Сумма=5000.00")]
    path = tmp_path / "cut.txt"
    path.write_bytes(cut.encode("cp1251"))
    con, reports, _ = run(path)
    rep = report(reports, "payments")
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected, rep.problem) == (3, 2, 1, None)
    assert rows(con, "SELECT _line, direction FROM stg.payments ORDER BY _line") == [(14, "Поступление"), (28, "Списание")]
    (line, reason, raw), = rows(con, "SELECT line, reason, raw FROM meta.rejects")
    assert line == 42 and "КонецДокумента" in reason and "truncated" in reason
    assert raw.startswith("СекцияДокумент=Платежное поручение\nНомер=78")

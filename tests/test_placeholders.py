"""Placeholders that mean "empty" (connectors/canonical/macros.sql `is_blank`, `is_blank_ref`).

Salesforce writes the empty id `000000000000000AAA` (18 characters; 15 in the case-sensitive form)
for an unset lookup; Bitrix24's REST gives `0` for an unset ASSIGNED_BY_ID / COMPANY_ID / CONTACT_ID;
1C writes the zero GUID for an empty reference; people type `-` and `N/A`. Completeness and
linking must count them as empty; a `0` amount stays a number.
"""
from __future__ import annotations


import duckdb
import pytest

from checks.runner import run_checks
from connectors.canonical.build import install_macros
from connectors.load import discover, load
from export_writers import quoted_csv

SF_EMPTY_18, SF_EMPTY_15 = "000000000000000AAA", "000000000000000"
ZERO_GUID = "00000000-0000-0000-0000-000000000000"


@pytest.fixture(scope="module")
def macros():
    con = duckdb.connect()
    install_macros(con)
    return con


@pytest.mark.parametrize("value,blank_ref,blank", [
    (SF_EMPTY_18, True, False), (SF_EMPTY_15, True, False), (ZERO_GUID, True, False), ("0", True, False),
    ("000", True, False), ("-", True, True), ("N/A", True, True), ("n/a", True, True), ("", True, True), (None, True, True),
    ("0015g00000XyZ01AAA", False, False), ("001000000000000AAA", False, False), ("10", False, False),
    ("9b1c0e2a-0000-0000-0000-000000000000", False, False), ("Иванов", False, False),
])
def test_blank_rules(macros, value, blank_ref, blank):
    assert macros.execute("SELECT is_blank_ref(?), is_blank(?)", [value, value]).fetchone() == (blank_ref, blank)


_csv = quoted_csv


SF_CONTACT_HEADER = ["Id", "AccountId", "LastName", "FirstName", "MailingCity", "Phone", "Email", "OwnerId",
                     "CreatedDate", "ReportsToId"]


def test_salesforce_empty_ids_are_blank_for_completeness_and_linking(tmp_path):
    accounts = _csv(tmp_path / "Account.csv",
                    ["Id", "Name", "BillingCity", "BillingCountry", "Industry", "OwnerId", "ParentId", "AccountSource"],
                    [["0015g00000XyZ01AAA", "Acme Corp", "Austin", "USA", "Technology", "0055g000001OwnAAA",
                      SF_EMPTY_18, "Web"],
                     ["0015g00000XyZ02AAA", "Globex", "Dallas", "USA", "Energy", "0055g000001OwnAAA",
                      "0015g00000XyZ01AAA", "Web"]])
    contacts = _csv(tmp_path / "Contact.csv", SF_CONTACT_HEADER, [
        ["0035g00000Aa001AAA", "0015g00000XyZ01AAA", "Smith", "John", "Austin", "(512) 757-6000", "j@acme.com",
         "0055g000001OwnAAA", "2024-01-10T10:00:00.000Z", SF_EMPTY_18],
        ["0035g00000Aa002AAA", SF_EMPTY_18, "Doe", "Jane", "Austin", "", "jane@example.com", "0055g000001OwnAAA",
         "2024-01-11T10:00:00.000Z", SF_EMPTY_18],
        ["0035g00000Aa003AAA", SF_EMPTY_15, "Roe", "Rick", "Dallas", "", "rick@example.com", SF_EMPTY_18,
         "2024-01-12T10:00:00.000Z", SF_EMPTY_18],
        ["0035g00000Aa004AAA", "N/A", "Poe", "Pam", "Dallas", "", "pam@example.com", "0055g000001OwnAAA",
         "2024-01-13T10:00:00.000Z", SF_EMPTY_18],
    ])
    con = duckdb.connect()
    reports, _ = load(discover([str(accounts), str(contacts)]), con)
    assert {(r.system, r.entity) for r in reports} == {("salesforce", "companies"), ("salesforce", "contacts")}
    rows = con.execute("SELECT record_id, company_id, owner FROM stg.contacts ORDER BY _line").fetchall()
    assert rows == [("0035g00000Aa001AAA", "0015g00000XyZ01AAA", "0055g000001OwnAAA"),
                    ("0035g00000Aa002AAA", None, "0055g000001OwnAAA"),
                    ("0035g00000Aa003AAA", None, None),
                    ("0035g00000Aa004AAA", None, "0055g000001OwnAAA")]
    assert con.execute("SELECT name, parent FROM stg.companies ORDER BY _line").fetchall() == [
        ("Acme Corp", None), ("Globex", "0015g00000XyZ01AAA")]
    res = run_checks(con, only=lambda c: c.id in ("completeness.contacts.company_id", "completeness.contacts.owner",
                                                  "completeness.companies.parent"))
    m = res.metrics["completeness.contacts.company_id"]
    assert (m.numerator, m.denominator, m.value) == (1, 4, 0.25)
    assert (res.metrics["completeness.contacts.owner"].numerator, res.metrics["completeness.companies.parent"].numerator) == (3, 1)


def test_1c_zero_guid_reference_and_record_id(tmp_path):
    """1C list export (XLSX) of documents whose counterparty reference is the zero GUID."""
    from export_writers import onec_xlsx, quoted_csv

    path = onec_xlsx(tmp_path / "Реализация.xlsx",
                     ["Ид", "Дата", "Номер", "Контрагент", "Контрагент.Ид", "Организация", "Сумма документа", "Валюта"],
                     [["5f0c1a2e-8d3b-11ee-b9d1-0242ac120002", "12.03.2024 10:00:00", "0000-000123", 'ООО "Ромашка"',
                       "7a1b2c3d-8d3b-11ee-b9d1-0242ac120002", 'ООО "Мы"', "1 200,00", "руб."],
                      [ZERO_GUID, "13.03.2024 11:00:00", "0000-000124", "Частное лицо", ZERO_GUID, 'ООО "Мы"', "0",
                       "руб."]])
    con = duckdb.connect()
    [rep], _ = load(discover([str(path)]), con)
    assert (rep.system, rep.entity) == ("1c", "documents"), rep.problem
    rows = con.execute("SELECT record_id, counterparty_id, amount, ref FROM stg.documents ORDER BY _line").fetchall()
    assert rows[0][:3] == ("5f0c1a2e-8d3b-11ee-b9d1-0242ac120002", "7a1b2c3d-8d3b-11ee-b9d1-0242ac120002", 1200.0)
    assert rows[1][:3] == (None, None, 0.0)  # the amount 0 is a number, the zero GUID is no id
    assert rows[1][3] == f"{rep.path}:3"


def test_amocrm_not_closed_is_no_date(tmp_path):
    path = _csv(tmp_path / "amocrm_export_leads.csv",
                ["ID", "Название сделки", "Бюджет ", "Ответственный", "Дата создания сделки", "Кем создана сделка",
                 "Этап сделки", "Воронка", "Дата закрытия", "Полное имя контакта"],
                [["101", "Ворота", "45000", "Иван", "12.03.2024 10:15:00", "Иван", "Первичный контакт", "Воронка",
                  "не закрыта", "Пётр"],
                 ["102", "Шлагбаум", "0", "Иван", "13.03.2024 10:15:00", "Иван", "Успешно реализовано", "Воронка",
                  "20.03.2024 12:00:00", "-"]])
    con = duckdb.connect()
    [rep], _ = load(discover([str(path)]), con)
    assert (rep.system, rep.entity) == ("amocrm", "deals")
    rows = con.execute("SELECT closed_at IS NULL, amount, contact_name FROM stg.deals ORDER BY _line").fetchall()
    assert rows == [(True, 45000.0, "Пётр"), (False, 0.0, None)]

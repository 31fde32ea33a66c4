"""Bitrix24 REST dumps (connectors/systems/bitrix24_rest.py): CSV an integrator wrote from
crm.deal.list / crm.contact.list / crm.company.list / crm.lead.list with the API field names.

Values as the REST API returns them: ids as numbers (`0` when unset), dates ISO 8601 with an
offset, `CLOSED` Y/N, `STAGE_SEMANTIC_ID` P/S/F, stages as ids in non-default pipelines
(`C2:LOSE`), PHONE / EMAIL multi-fields as lists of {"ID", "VALUE_TYPE", "VALUE", "TYPE_ID"}.
"""
from __future__ import annotations

import csv
import datetime as dt
import json

import duckdb

from connectors import registry
from connectors.load import discover, load
from connectors.sniff import peek

DEAL_HEADER = ["ID", "TITLE", "TYPE_ID", "CATEGORY_ID", "STAGE_ID", "STAGE_SEMANTIC_ID", "PROBABILITY", "CURRENCY_ID",
               "OPPORTUNITY", "COMPANY_ID", "CONTACT_ID", "BEGINDATE", "CLOSEDATE", "OPENED", "CLOSED", "ASSIGNED_BY_ID",
               "CREATED_BY_ID", "MODIFY_BY_ID", "DATE_CREATE", "DATE_MODIFY", "SOURCE_ID", "LEAD_ID", "COMMENTS",
               "UF_CRM_1753862633986"]
DEALS = [
    ["101", "Поставка ворот", "SALE", "0", "WON", "S", "100", "RUB", "150000.00", "12", "34", "2024-03-01T03:00:00+03:00",
     "2024-03-20T03:00:00+03:00", "Y", "Y", "1", "1", "1", "2024-03-01T10:15:00+03:00", "2024-03-20T11:00:00+03:00",
     "WEB", "0", "", ""],
    ["102", "Шлагбаум", "SALE", "2", "C2:LOSE", "F", "0", "RUB", "45000.00", "0", "0", "2024-03-02T03:00:00+03:00",
     "2024-03-25T03:00:00+03:00", "Y", "Y", "7", "1", "7", "2024-03-02T09:00:00+03:00", "2024-03-25T12:00:00+03:00",
     "CALL", "55", "", "Дорого"],
    ["103", "Монтаж", "SERVICE", "2", "C2:PREPARATION", "P", "30", "RUB", "9900.50", "13", "0", "2024-03-05T03:00:00+03:00",
     "2024-04-30T03:00:00+03:00", "Y", "N", "7", "7", "7", "2024-03-05T14:30:00+03:00", "2024-03-06T08:00:00+03:00",
     "WEB", "0", "перезвонить", ""],
    ["104", "Ремонт", "SALE", "0", "APOLOGY", "F", "0", "RUB", "0", "12", "34", "2024-03-06T03:00:00+03:00",
     "2024-03-07T03:00:00+03:00", "Y", "Y", "0", "1", "1", "2024-03-06T10:00:00+03:00", "2024-03-07T10:00:00+03:00",
     "", "0", "", ""],
]


def _write(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def _load(*paths):
    con = duckdb.connect()
    reports, _ = load(discover([str(p) for p in paths]), con)
    return con, reports


def test_rest_deals_are_bitrix24_deals_with_ui_semantics(tmp_path):
    path = _write(tmp_path / "deals.csv", DEAL_HEADER, DEALS)
    best, problem = registry.detect(peek(path))
    assert problem is None and (best.system, best.entity, best.profile) == ("bitrix24", "deals", "bitrix24.deals.rest")
    con, [rep] = _load(path)
    assert (rep.system, rep.entity, rep.rows_loaded, rep.problem) == ("bitrix24", "deals", 4, None)
    assert rep.mapped["expected_close_at"] == ["CLOSEDATE"] and "closed_at" not in rep.mapped  # as the UI's planned date
    assert "loss_reason" not in rep.mapped  # 2 lost deals are too few to tell a reason column by its content
    rows = con.execute("""SELECT record_id, state, amount, currency, company_id, contact_id, lead_id, owner, pipeline,
                                 probability, created_at, expected_close_at, source, loss_reason
                          FROM stg.deals ORDER BY _line""").fetchall()
    assert rows == [
        ("101", "won", 150000.0, "RUB", "12", "34", None, "1", "0", 100.0, dt.datetime(2024, 3, 1, 10, 15),
         dt.datetime(2024, 3, 20, 3, 0), "WEB", None),
        ("102", "lost", 45000.0, "RUB", None, None, "55", "7", "2", 0.0, dt.datetime(2024, 3, 2, 9, 0),
         dt.datetime(2024, 3, 25, 3, 0), "CALL", None),
        ("103", "open", 9900.5, "RUB", "13", None, None, "7", "2", 30.0, dt.datetime(2024, 3, 5, 14, 30),
         dt.datetime(2024, 4, 30, 3, 0), "WEB", None),
        ("104", "lost", 0.0, "RUB", "12", "34", None, None, "0", 0.0, dt.datetime(2024, 3, 6, 10, 0),
         dt.datetime(2024, 3, 7, 3, 0), None, None),
    ]


def _multi(*values, kind="PHONE"):
    return json.dumps([{"ID": str(100 + i), "VALUE_TYPE": "WORK", "VALUE": v, "TYPE_ID": kind} for i, v in enumerate(values)],
                      ensure_ascii=False)


def test_rest_contacts_and_companies_with_multifields(tmp_path):
    contacts = _write(tmp_path / "contacts.csv",
                      ["ID", "HONORIFIC", "NAME", "SECOND_NAME", "LAST_NAME", "POST", "COMPANY_ID", "TYPE_ID", "SOURCE_ID",
                       "ASSIGNED_BY_ID", "CREATED_BY_ID", "DATE_CREATE", "DATE_MODIFY", "PHONE", "EMAIL", "ADDRESS_CITY"],
                      [["34", "", "Пётр", "Ильич", "Щукин", "Директор", "12", "CLIENT", "WEB", "1", "1",
                        "2024-02-01T10:00:00+03:00", "2024-02-02T10:00:00+03:00",
                        _multi("+7 (916) 123-45-67", "8 495 123-45-67"), _multi("p@schukin.ru", kind="EMAIL"), "Москва"],
                       ["35", "", "Анна", "", "Жукова", "", "0", "CLIENT", "CALL", "7", "7",
                        "2024-02-03T10:00:00+03:00", "2024-02-03T10:00:00+03:00",
                        str([{"ID": "7", "VALUE_TYPE": "MOBILE", "VALUE": "89031234567", "TYPE_ID": "PHONE"}]), "", ""]])
    companies = _write(tmp_path / "companies.csv",
                       ["ID", "TITLE", "COMPANY_TYPE", "INDUSTRY", "EMPLOYEES", "CURRENCY_ID", "REVENUE", "ASSIGNED_BY_ID",
                        "CREATED_BY_ID", "DATE_CREATE", "DATE_MODIFY", "PHONE", "WEB", "ADDRESS_CITY"],
                       [["12", 'ООО "Ёлка"', "CUSTOMER", "MANUFACTURING", "EMPLOYEES_2", "RUB", "1000000", "1", "1",
                         "2024-01-10T10:00:00+03:00", "2024-01-10T10:00:00+03:00", _multi("+7 495 765-43-21"),
                         json.dumps([{"ID": "9", "VALUE_TYPE": "WORK", "VALUE": "elka.ru", "TYPE_ID": "WEB"}]), "Москва"]])
    con, reports = _load(contacts, companies)
    assert sorted((r.system, r.entity, r.rows_loaded, r.problem) for r in reports) == [
        ("bitrix24", "companies", 1, None), ("bitrix24", "contacts", 2, None)]
    assert con.execute("SELECT record_id, first_name, last_name, company_id, phones, emails FROM stg.contacts ORDER BY _line"
                       ).fetchall() == [
        ("34", "Пётр", "Щукин", "12", ["+79161234567", "+74951234567"], ["p@schukin.ru"]),
        ("35", "Анна", "Жукова", None, ["+79031234567"], []),
    ]
    assert con.execute("SELECT name, company_type, phones FROM stg.companies").fetchone() == (
        'ООО "Ёлка"', "CUSTOMER", ["+74957654321"])


def test_rest_leads(tmp_path):
    path = _write(tmp_path / "leads.csv",
                  ["ID", "TITLE", "NAME", "SECOND_NAME", "LAST_NAME", "COMPANY_TITLE", "SOURCE_ID", "STATUS_ID",
                   "STATUS_SEMANTIC_ID", "STATUS_DESCRIPTION", "OPPORTUNITY", "CURRENCY_ID", "ASSIGNED_BY_ID",
                   "DATE_CREATE", "PHONE"],
                  [["7", "Заявка с сайта", "Иван", "", "Петров", "ИП Петров", "WEB", "JUNK", "F", "спам", "0", "RUB", "1",
                    "2024-03-01T10:00:00+03:00", _multi("+79161234567")]])
    con, [rep] = _load(path)
    assert (rep.system, rep.entity, rep.problem) == ("bitrix24", "leads", None)
    assert con.execute("SELECT title, status, phones, created_at FROM stg.leads").fetchone() == (
        "Заявка с сайта", "JUNK", ["+79161234567"], dt.datetime(2024, 3, 1, 10, 0))


def test_rest_closedate_is_the_close_date_of_closed_deals(tmp_path):
    """CLOSEDATE, as in the UI export: the close date of deals in a final stage, a plan on open ones."""
    con, _ = _load(_write(tmp_path / "deals.csv", DEAL_HEADER, DEALS))
    got = {r[0]: r[1:] for r in con.execute("SELECT ref, state, closed_at FROM stg.deals").fetchall()}
    assert got["101"][0] == "won" and got["101"][1].date() == dt.date(2024, 3, 20)
    assert got["102"][0] == "lost" and got["102"][1].date() == dt.date(2024, 3, 25)
    assert got["103"] == ("open", None)

"""Close dates as each CRM writes them, the reference date, and the audit's self-test
(issue: Bitrix24 close dates; dates without time; default reference date).

Bitrix24's deal grid export keeps one close date, CLOSEDATE, titled «Предполагаемая дата
закрытия» and written DD.MM.YYYY (FORMATS.md §1.4); Salesforce's Data Loader writes `CloseDate`
as a date (YYYY-MM-DD) and `CreatedDate` as an ISO UTC timestamp; both keep a plan in that column
while a deal is open.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

import duckdb
from export_writers import bitrix_csv

from checks.runner import run_checks
from checks.selftest import self_test
from connectors.load import discover, load

BITRIX_HEADER = ["ID", "Название сделки", "Стадия сделки", "Сумма", "Валюта", "Предполагаемая дата закрытия",
                 "Ответственный", "Дата создания", "Дата изменения"]


def bx(id_, stage, closedate, created="01.03.2026 10:00:00", modified="10.11.2026 09:00:00"):
    return [id_, f"Сделка {id_}", stage, "10000.00", "RUB", closedate, "Анна", created, modified]


DEALS = [
    bx("1", "Сделка успешна", "15.10.2026"),
    bx("2", "Сделка успешна", "01.02.2026", created="01.12.2025 10:00:00", modified="01.02.2026 10:00:00"),
    bx("3", "Сделка провалена", "20.09.2025", created="01.09.2025 10:00:00", modified="20.09.2025 10:00:00"),  # > 12 months
    bx("4", "Сделка провалена", "30.12.2026"),            # closed, dated after every change: a planned date
    bx("5", "В работе", "25.12.2026"),                     # open: a plan, not a close
    bx("6", "Сделка успешна", "01.03.2026", created="01.03.2026 18:30:00"),   # closed the day it was created
    bx("7", "Сделка успешна", "28.02.2026", created="01.03.2026 18:30:00"),   # closed the day before: a finding
]


def load_deals(tmp_path, header=BITRIX_HEADER, rows=DEALS):
    path = bitrix_csv(tmp_path / "DEAL_20261120_0a1b2c3d_0a1b2c3d4e5f6.csv", header, rows)
    con = duckdb.connect()
    load(discover([str(path)]), con)
    return con


def test_bitrix24_closedate_is_the_close_date_of_closed_deals_only(tmp_path):
    con = load_deals(tmp_path)
    got = dict(con.execute("SELECT ref, closed_at FROM stg.deals").fetchall())
    assert got["1"] == dt.datetime(2026, 10, 15) and got["3"] == dt.datetime(2025, 9, 20)
    assert got["5"] is None
    assert con.execute("SELECT expected_close_at FROM stg.deals WHERE ref = '5'").fetchone()[0] == dt.datetime(2026, 12, 25)


def test_closed_last_12_months_and_the_evidence_says_which_date(tmp_path):
    con = load_deals(tmp_path)
    run = run_checks(con)
    assert run.as_of == dt.date(2026, 11, 10)               # the latest change, not the planned 30.12.2026
    assert run.reference.source == "deals.modified_at"
    m = run.metrics["volume.deals.closed_last_12_months"]
    assert (m.value, m.status) == (4, "ok")                 # 1, 2, 6, 7; 3 is older, 4 is after the reference date
    rule = m.details["field_rules"][0]
    assert rule["system"] == "bitrix24" and "CLOSEDATE" in rule["rule"] and rule["records"] == 6
    late = run.metrics["sanity.deals.closed_after_reference"]
    assert (late.numerator, late.denominator) == (1, 6) and late.evidence.ids == ("4",)


def test_a_close_date_without_time_compares_by_day(tmp_path):
    m = run_checks(load_deals(tmp_path)).metrics["sanity.deals.closed_before_created"]
    assert m.numerator == 1 and m.evidence.ids == ("7",)    # 6 was closed the day it was created


def test_no_close_date_anywhere_is_na_not_zero(tmp_path):
    header = [h for h in BITRIX_HEADER if h != "Предполагаемая дата закрытия"]
    rows = [r[:5] + r[6:] for r in DEALS]
    con = load_deals(tmp_path, header, rows)
    run = run_checks(con)
    m = run.metrics["volume.deals.closed_last_12_months"]
    assert (m.value, m.status) == (None, "n/a") and "close date" in m.reason
    assert run.metrics["volume.deals.closed_count"].value == 6
    assert self_test(con, run.metrics) == []


def test_the_self_test_catches_an_ok_zero_over_an_empty_column(tmp_path):
    header = [h for h in BITRIX_HEADER if h != "Предполагаемая дата закрытия"]
    con = load_deals(tmp_path, header, [r[:5] + r[6:] for r in DEALS])
    metrics = dict(run_checks(con).metrics)
    bad = metrics["volume.deals.closed_last_12_months"]
    metrics[bad.id] = dataclasses.replace(bad, value=0.0, status="ok", numerator=0, reason=None)
    problems = self_test(con, metrics)
    assert len(problems) == 1 and problems[0].startswith("volume.deals.closed_last_12_months is ok with a zero numerator")


def test_salesforce_closedate_on_open_opportunities_is_a_plan(tmp_path):
    header = ["Id", "Name", "AccountId", "StageName", "Amount", "Probability", "CloseDate", "IsClosed", "IsWon",
              "OwnerId", "CreatedDate", "LastModifiedDate"]
    rows = [["0065g00000AbCdEAA1", "Big deal", "0015g00000XyZaBAA1", "Closed Won", "5000", "100", "2026-10-01", "true",
             "true", "0055g00000Ab1CdAA1", "2026-10-01T15:30:00.000Z", "2026-10-01T16:00:00.000Z"],
            ["0065g00000AbCdEAA2", "Open deal", "0015g00000XyZaBAA1", "Prospecting", "900", "10", "2027-01-31", "false",
             "false", "0055g00000Ab1CdAA1", "2026-09-01T10:00:00.000Z", "2026-11-02T10:00:00.000Z"]]
    path = tmp_path / "Opportunity.csv"
    path.write_text(",".join(header) + "\n" + "\n".join(",".join(f'"{c}"' for c in r) for r in rows) + "\n", encoding="utf-8")
    con = duckdb.connect()
    reports, _ = load(discover([str(path)]), con)
    assert reports[0].system == "salesforce"
    got = con.execute("SELECT ref, state, closed_at, expected_close_at FROM stg.deals ORDER BY ref").fetchall()
    assert got[0][1:3] == ("won", dt.datetime(2026, 10, 1))
    assert got[1][1:] == ("open", None, dt.datetime(2027, 1, 31))
    run = run_checks(con)
    assert run.as_of == dt.date(2026, 11, 2)
    assert run.metrics["sanity.deals.closed_before_created"].numerator == 0     # created and closed on 1 October


def test_a_late_as_of_is_warned_about(tmp_path):
    con = load_deals(tmp_path)
    ref = run_checks(con, as_of=dt.date(2027, 3, 1)).reference
    assert ref.source == "--as-of" and ref.latest_event == dt.date(2026, 11, 10)
    assert "111 days after the last event" in ref.warning
    assert run_checks(con, as_of=dt.date(2026, 11, 20)).reference.warning is None

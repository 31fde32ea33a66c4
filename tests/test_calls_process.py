"""Call grouping and the call-process checks: missed calls without a callback, unreturned
numbers, first response to leads. Fixtures are an Asterisk cdr_csv Master.csv (headerless,
21 fields) and Bitrix24 lead / deal CSVs, loaded through `discover` + `load`; then the sample.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from checks.runner import run_checks
from connectors.load import discover, load

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
EXPORTS = SAMPLE / "exports" if (SAMPLE / "exports").is_dir() else SAMPLE
AS_OF = dt.date(2026, 11, 20)
MISSED = "process.calls.missed_without_callback_share"
NUMBERS = "process.calls.missed_unreturned_numbers"
FIRST = "process.leads.first_response_median_minutes"

# --------------------------------------------------------------------------- writers

_ROW = ('"","{src}","{dst}","{ctx}","""{src}"" <{src}>","{chan}","{dchan}","Dial","{dchan},25,t","{start}",{answer},'
        '"{start}",10,{billsec},"{disp}","DOCUMENTATION","{uid}","","","{lid}",{seq}')


def leg(src: str, dst: str, start: str, answered: bool, uid: str = "", lid: str | None = None) -> str:
    """One Asterisk cdr_csv row (newcdrcolumns, 21 fields); `lid` defaults to `uid`."""
    inbound = len(src) > 6
    return _ROW.format(src=src, dst=dst, ctx="ext-group" if inbound else "from-internal",
                       chan="PJSIP/trunk-01" if inbound else f"PJSIP/{src}-01",
                       dchan=f"PJSIP/{dst}-02" if len(dst) <= 6 else "PJSIP/trunk-02", start=start,
                       answer=f'"{start}"' if answered else "", billsec=5 if answered else 0,
                       disp="ANSWERED" if answered else "NO ANSWER", uid=uid, lid=uid if lid is None else lid, seq=1)


def master(d: Path, rows: list[str]) -> Path:
    p = d / "Master.csv"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return p


def bitrix_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    def line(cells):
        return "".join('"' + str(c).replace('"', '""') + '";' for c in cells)
    path.write_bytes(("\ufeff" + "\n".join([line(header), *map(line, rows)]) + "\n").encode("utf-8"))
    return path


LEAD_HEADER = ["ID", "Название лида", "Имя", "Фамилия", "Телефон", "E-mail", "Название компании", "Статус", "Источник",
               "Город", "Ответственный", "Кем создан", "Дата создания", "Дата изменения"]
DEAL_HEADER = ["ID", "Название сделки", "Сумма", "Компания", "Телефон", "Стадия сделки", "Ответственный",
               "Дата создания", "Дата изменения"]


def leads(d: Path, rows: list[tuple[str, str, str]]) -> Path:
    return bitrix_csv(d / "LEAD_20261120_0a1b2c3d_0a1b2c3d4e5f6.csv", LEAD_HEADER,
                      [[i, f"Лид {i}", "Иван", "Петров", phone, "", "", "Новый", "Звонок", "Москва", "Анна Смирнова",
                        "Анна Смирнова", created, created] for i, phone, created in rows])


def deals(d: Path, rows: list[tuple[str, str, str]]) -> Path:
    return bitrix_csv(d / "DEAL_20261120_0a1b2c3d_0a1b2c3d4e5f6.csv", DEAL_HEADER,
                      [[i, f"Сделка {i}", "1000.00", "", phone, "Новая", "Анна Смирнова", created, created]
                       for i, phone, created in rows])


def audit(paths: list[Path]):
    con = duckdb.connect()
    _, counts = load(discover([str(p) for p in paths]), con)
    result = run_checks(con, as_of=AS_OF, only=lambda c: c.id.startswith(("process.calls", "process.leads")))
    return con, counts, result.metrics


def evidence(con, m) -> list[str]:
    return [r[0] for r in con.execute(m.evidence.query).fetchall()]


# The scenario (every number an outside caller; 101/102 extensions; 600 the ring group)
CALLS = [
    # C1 missed (three ring-group legs), returned by an unanswered outbound call 5 h later
    leg("89161111111", "600", "2026-10-01 10:00:00", False, "100.1"),
    leg("89161111111", "600", "2026-10-01 10:00:00", False, "100.1"),
    leg("89161111111", "600", "2026-10-01 10:00:00", False, "100.1"),
    leg("101", "89161111111", "2026-10-01 15:00:00", False, "100.2"),
    # C2 missed, returned by an answered inbound call from it 23:59:59 later
    leg("+79162222222", "600", "2026-10-02 09:00:00", False, "100.3"),
    leg("79162222222", "102", "2026-10-03 08:59:59", True, "100.4"),
    # C3 missed at 09:00 and C4 at 10:00 (not an answer to C3); an outbound call 24 h + 1 s after
    # C3 returns C4 only
    leg("79163333333", "600", "2026-10-03 09:00:00", False, "100.5"),
    leg("79163333333", "600", "2026-10-03 10:00:00", False, "100.6"),
    leg("101", "+79163333333", "2026-10-04 09:00:01", True, "100.7"),
    # C5: a transfer — two legs with their own uniqueid sharing the linkedid; one answered: not missed
    leg("89164444444", "600", "2026-10-05 12:00:00", False, "100.8"),
    leg("89164444444", "102", "2026-10-05 12:00:30", True, "100.9", "100.8"),
    # internal call: not counted anywhere
    leg("101", "102", "2026-10-05 13:00:00", True, "100.10"),
    # two legs without any id: each is a call of its own; both missed, neither returned
    leg("89166666666", "600", "2026-10-06 10:00:00", False, ""),
    leg("89166666666", "600", "2026-10-06 11:00:00", False, ""),
]


def test_calls_grouped_one_row_per_call(tmp_path):
    con, counts, _ = audit([master(tmp_path, CALLS)])
    assert counts["calls"] == 14
    got = con.execute("""SELECT ref, direction, answered, number, legs, CAST(started_at AS VARCHAR)
                         FROM dq.calls ORDER BY started_at, ref""").fetchall()
    path = str(tmp_path / "Master.csv")
    assert got == [
        ("100.1", "inbound", False, "+79161111111", 3, "2026-10-01 10:00:00"),
        ("100.2", "outbound", False, "+79161111111", 1, "2026-10-01 15:00:00"),
        ("100.3", "inbound", False, "+79162222222", 1, "2026-10-02 09:00:00"),
        ("100.4", "inbound", True, "+79162222222", 1, "2026-10-03 08:59:59"),
        ("100.5", "inbound", False, "+79163333333", 1, "2026-10-03 09:00:00"),
        ("100.6", "inbound", False, "+79163333333", 1, "2026-10-03 10:00:00"),
        ("100.7", "outbound", True, "+79163333333", 1, "2026-10-04 09:00:01"),
        ("100.8", "inbound", True, "+79164444444", 2, "2026-10-05 12:00:00"),
        ("100.10", "internal", True, None, 1, "2026-10-05 13:00:00"),
        (f"{path}:13", "inbound", False, "+79166666666", 1, "2026-10-06 10:00:00"),
        (f"{path}:14", "inbound", False, "+79166666666", 1, "2026-10-06 11:00:00"),
    ]


def test_missed_without_callback(tmp_path):
    con, _, m = audit([master(tmp_path, CALLS)])
    x = m[MISSED]
    assert (x.numerator, x.denominator, x.value, x.status) == (3, 6, 0.5, "fail")
    path = str(tmp_path / "Master.csv")
    assert evidence(con, x) == ["100.5", f"{path}:13", f"{path}:14"]
    n = m[NUMBERS]
    assert (n.numerator, n.denominator, n.value, n.unit) == (2, 4, 2, "count")
    # each number's latest unreturned missed call, newest first (call ids, never phone numbers)
    assert evidence(con, n) == [f"{path}:14", "100.5"]


def test_every_missed_call_returned_is_zero(tmp_path):
    _, _, m = audit([master(tmp_path, CALLS[:6])])
    assert (m[MISSED].numerator, m[MISSED].denominator, m[MISSED].value, m[MISSED].status) == (0, 2, 0.0, "ok")
    assert m[NUMBERS].value == 0


def test_first_response_without_crm_is_na(tmp_path):
    _, _, m = audit([master(tmp_path, CALLS)])
    f = m[FIRST]
    assert (f.value, f.status, f.reason) == (None, "n/a", "no CRM leads or deals loaded")


def test_no_missed_calls_is_na(tmp_path):
    _, _, m = audit([master(tmp_path, [CALLS[5], CALLS[8]])])
    assert (m[MISSED].value, m[MISSED].status, m[MISSED].reason) == (None, "n/a", "no missed inbound calls")


def test_no_telephony_is_na(tmp_path):
    _, _, m = audit([leads(tmp_path, [("1", "89161111111", "01.10.2026 09:59:00")])])
    for k in (MISSED, NUMBERS, FIRST):
        assert (m[k].value, m[k].status, m[k].reason) == (None, "n/a", "no telephony export loaded"), k


# --------------------------------------------------------------------------- first response to leads

LEADS = [
    ("1", "8 (916) 111-11-11", "01.10.2026 09:59:00"),  # C1 (10:00) is missed; the outbound call at 15:00 → 301 min
    ("2", "+7 916 222-22-22", "02.10.2026 08:59:59"),   # C2 missed; answered inbound next day → 1440 min
    ("3", "79163333333", "04.10.2026 08:50:01"),        # outbound 09:00:01 → 10 min
    ("4", "89167777777", "01.10.2026 10:00:00"),        # never called: left out
    ("5", "", "01.10.2026 10:00:00"),                   # no phone: not a lead with a phone
    ("6", "89161111111", "01.10.2026 15:00:00"),        # the call starts at its creation: not strictly after
]


def test_first_response_median(tmp_path):
    con, _, m = audit([master(tmp_path, CALLS), leads(tmp_path, LEADS)])
    f = m[FIRST]
    assert (f.numerator, f.denominator, f.value, f.unit, f.status) == (3, 5, 301.0, "minutes", "fail")
    assert evidence(con, f) == ["2", "1", "3"]  # longest wait first


def test_first_response_even_count_and_deals_when_no_leads(tmp_path):
    rows = [("7", "89161111111", "01.10.2026 14:50:00"), ("8", "79163333333", "04.10.2026 08:30:01")]
    _, _, m = audit([master(tmp_path, CALLS), deals(tmp_path, rows)])
    f = m[FIRST]
    assert (f.numerator, f.denominator, f.value) == (2, 2, 20.0)  # median of 10 and 30


def test_first_response_nobody_called(tmp_path):
    _, _, m = audit([master(tmp_path, CALLS), leads(tmp_path, [LEADS[3], LEADS[4]])])
    f = m[FIRST]
    assert (f.numerator, f.denominator, f.value, f.status) == (0, 1, None, "n/a")
    assert f.reason == "no lead was called after it was created"


def test_first_response_no_leads_with_phone(tmp_path):
    _, _, m = audit([master(tmp_path, CALLS), leads(tmp_path, [LEADS[4]])])
    f = m[FIRST]
    assert (f.numerator, f.denominator, f.value, f.reason) == (0, 0, None, "no leads with a phone")


# --------------------------------------------------------------------------- the sample data

@pytest.fixture(scope="module")
def sample():
    con = duckdb.connect()
    load(discover([str(EXPORTS)]), con)
    result = run_checks(con, as_of=AS_OF, only=lambda c: c.id.startswith(("process.calls", "process.leads")))
    truth = json.loads((SAMPLE / "TRUTH.json").read_text(encoding="utf-8"))
    return con, result.metrics, truth


def test_sample_calls(sample):
    con, _, truth = sample
    by_dir = dict(con.execute("SELECT direction, count(*) FROM dq.calls GROUP BY 1").fetchall())
    assert by_dir == truth["details"]["calls"]
    legs = [f["records"] for name, f in truth["files"].items() if name.endswith("Master.csv")]
    assert con.execute("SELECT sum(legs) FROM dq.calls").fetchone()[0] == legs[0]


def test_sample_missed_without_callback(sample):
    con, metrics, truth = sample
    m, t = metrics[MISSED], truth["metrics"][MISSED]
    assert (m.numerator, m.denominator, m.value) == (t["numerator"], t["denominator"], round(t["value"], 6))
    assert evidence(con, m) == t["linkedids"]


def test_sample_first_response(sample):
    _, metrics, truth = sample
    m, t = metrics[FIRST], truth["metrics"][FIRST]
    assert (m.value, m.unit, m.numerator, m.denominator) == (t["value"], t["unit"], t["leads_called"], t["leads_with_phone"])

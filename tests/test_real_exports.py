"""Every public real export in ../shared/real_exports loads as what it is, with exact counts.

Expected values are computed independently from the files (Python's csv module, phonenumbers) or
taken from FORMATS.md §7 / real_exports/README.md; the files themselves are only read.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import duckdb
import phonenumbers
import pytest
from export_writers import csv_records
from typer.testing import CliRunner

from auditor.cli import app
from connectors.load import discover, load

REAL = Path(__file__).resolve().parents[2] / "shared" / "real_exports"
if not REAL.is_dir():  # the checkout may live elsewhere; the shared folder is fixed
    REAL = Path("/work/shared/real_exports")
FILES = sorted(p.relative_to(REAL).as_posix() for p in REAL.rglob("*") if p.is_file())
CONTRACT_KEYS = {"path", "sha256", "system", "entity", "encoding", "rows_read", "rows_loaded", "rows_rejected"}

# relative path -> (system, entity, rows loaded); None rows = not a data file (unknown + problem)
EXPECTED = {
    "README.md": ("unknown", "unknown", None),
    "amocrm/leads_test.csv": ("amocrm", "deals", 20),
    "amocrm/contacts_test.csv": ("amocrm", "contacts", 19),
    "asterisk/Master.csv": ("asterisk", "calls", 84),
    "commerceml/commerceml-2.10.xsd": ("unknown", "unknown", None),
    "maven_crm/sales_pipeline.csv": ("generic", "deals", 8800),
    "maven_crm/accounts.csv": ("generic", "companies", 85),
    "maven_crm/products.csv": ("generic", "products", 7),
    "maven_crm/sales_teams.csv": ("generic", "users", 35),
    "maven_crm/data_dictionary.csv": ("unknown", "unknown", None),
}

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="shared real exports not present")


@pytest.fixture(scope="module")
def loaded():
    """The whole folder loaded once, as `crm-audit inspect` does it (one database, all files)."""
    before = {rel: _sha(REAL / rel) for rel in FILES}
    con = duckdb.connect()
    reports, counts = load(discover([str(REAL)]), con)
    by_rel = {}
    for r in reports:
        by_rel.setdefault(Path(r.path).resolve().relative_to(REAL.resolve()).as_posix(), []).append(r)
    yield con, by_rel, counts
    assert {rel: _sha(REAL / rel) for rel in FILES} == before, "a real export was modified"
    con.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _records(path: Path, encoding: str = "utf-8", delimiter: str = ","):
    """(start line, row) of every record after the header, from Python's csv module."""
    with path.open(newline="", encoding=encoding) as fh:  # line ends as written
        return csv_records(fh.read(), delimiter)


def _one(by_rel, rel):
    reps = by_rel[rel]
    assert len(reps) == 1, [(r.system, r.entity) for r in reps]
    return reps[0]


def test_every_file_has_an_expectation():
    assert sorted(EXPECTED) == FILES, "a file was added to or removed from real_exports: list it in EXPECTED"


@pytest.mark.parametrize("rel", FILES)
def test_file_is_recognised_with_exact_counts(loaded, rel):
    _, by_rel, _ = loaded
    system, entity, rows = EXPECTED[rel]
    rep = _one(by_rel, rel)
    assert (rep.system, rep.entity) == (system, entity), rep.problem
    assert rep.sha256 == _sha(REAL / rel)
    assert rep.rows_read == rep.rows_loaded + rep.rows_rejected
    if rows is None:
        assert rep.rows_read == rep.rows_loaded == rep.rows_rejected == 0
        assert rep.problem and "\n" not in rep.problem
        assert rep.raw_table is None
    else:
        assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (rows, rows, 0)
        if rel == MASTER:  # 8 caller ids hold two garbage bytes each (\xa5\xa5): said, with the count
            assert rep.replaced == 16 and rep.problem.startswith("16 character(s) could not be decoded (utf-8)")
            assert rep.contract_entry()["replacement_chars"] == 16
        else:
            assert rep.problem is None and rep.replaced == 0
        assert rep.raw_table


def test_no_rejects_from_real_exports(loaded):
    con, _, _ = loaded
    assert con.execute("SELECT count(*) FROM meta.rejects").fetchone()[0] == 0


# ---------------------------------------------------------------- amoCRM deals

LEADS = "amocrm/leads_test.csv"


def test_amocrm_leads_line_numbers(loaded):
    con, by_rel, _ = loaded
    rep = _one(by_rel, LEADS)
    records = _records(REAL / LEADS)
    assert len(records) == 20
    want = [(i + 1, line, row[0]) for i, (line, row) in enumerate(records)]
    assert any(b - a > 1 for (_, a, _), (_, b, _) in zip(want, want[1:])), "fixture lost its multi-line notes"
    raw = con.execute(f'SELECT _record, _line, coalesce("ID", \'\') FROM {rep.raw_table} ORDER BY _record').fetchall()
    assert raw == want
    stg = con.execute("SELECT _record, _line, coalesce(record_id, '') FROM stg.deals WHERE _file = ? ORDER BY _record",
                      [rep.path]).fetchall()
    assert stg == want


def test_amocrm_last_deal_without_id_is_referenced_by_file_and_line(loaded):
    con, by_rel, _ = loaded
    rep = _one(by_rel, LEADS)
    last_line, last = _records(REAL / LEADS)[-1]
    assert last[0] == ""
    refs = con.execute("SELECT record_id, ref, _line FROM stg.deals WHERE _file = ? ORDER BY _record", [rep.path]).fetchall()
    assert refs[-1] == (None, f"{rep.path}:{last_line}", last_line)
    assert all(rid is not None and ref == rid for rid, ref, _ in refs[:-1])


def test_amocrm_deal_states_from_the_file(loaded):
    con, by_rel, _ = loaded
    rep = _one(by_rel, LEADS)
    with (REAL / LEADS).open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    stage_at = header.index("Этап сделки")
    want = Counter(
        "won" if row[stage_at] == "Успешно реализовано" else "lost" if row[stage_at] == "Закрыто и не реализовано" else "open"
        for _, row in _records(REAL / LEADS))
    got = Counter(dict(con.execute("SELECT state, count(*) FROM stg.deals WHERE _file = ? GROUP BY state",
                                   [rep.path]).fetchall()))
    assert got == want
    assert want["won"] >= 1 and want["lost"] >= 1 and want["open"] >= 1
    per_row = con.execute("SELECT _line, stage, state FROM stg.deals WHERE _file = ? ORDER BY _record", [rep.path]).fetchall()
    assert [(ln, row[stage_at]) for ln, row in _records(REAL / LEADS)] == [(ln, st) for ln, st, _ in per_row]


def test_amocrm_close_date_and_budget(loaded):
    con, by_rel, _ = loaded
    rep = _one(by_rel, LEADS)
    assert rep.mapped["amount"] == ["Бюджет "]  # the title with its trailing space, as written
    assert rep.mapped["closed_at"] == ["Дата закрытия"]
    with (REAL / LEADS).open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    close_at, budget_at = header.index("Дата закрытия"), header.index("Бюджет ")
    rows = con.execute("SELECT _line, closed_at, amount FROM stg.deals WHERE _file = ? ORDER BY _record",
                       [rep.path]).fetchall()
    records = _records(REAL / LEADS)
    not_closed = 0
    for (line, row), (got_line, closed_at, amount) in zip(records, rows, strict=True):
        assert got_line == line
        if row[close_at] == "не закрыта":
            not_closed += 1
            assert closed_at is None, line
        else:
            d, t = row[close_at].split(" ")
            day, month, year = d.split(".")
            assert closed_at.strftime("%Y-%m-%d %H:%M:%S") == f"{year}-{month}-{day} {t}", line
        want_amount = float(row[budget_at]) if row[budget_at].strip() else None
        assert amount == want_amount, line
    assert not_closed >= 1


def test_amocrm_duplicate_headers_are_kept_apart(loaded):
    con, by_rel, _ = loaded
    rep = _one(by_rel, LEADS)
    cols = [c for (c,) in con.execute(
        f"SELECT column_name FROM (DESCRIBE SELECT * FROM {rep.raw_table})").fetchall() if c not in ("_record", "_line")]
    assert len(cols) == 76 and len(set(cols)) == 76
    assert {"roistat_1", "Товар_1", "Источник_1", "cid_1"} <= set(cols)


# ---------------------------------------------------------------- amoCRM contacts

def test_amocrm_contacts_ids_and_lines(loaded):
    con, by_rel, _ = loaded
    rep = _one(by_rel, "amocrm/contacts_test.csv")
    records = _records(REAL / "amocrm/contacts_test.csv")
    got = con.execute("SELECT _line, record_id FROM stg.contacts WHERE _file = ? ORDER BY _record", [rep.path]).fetchall()
    assert got == [(line, row[0] or None) for line, row in records]
    assert len(got) == 19


# ---------------------------------------------------------------- Asterisk

MASTER = "asterisk/Master.csv"


def test_asterisk_shape_and_broken_bytes(loaded):
    con, by_rel, _ = loaded
    rep = _one(by_rel, MASTER)
    data = (REAL / MASTER).read_bytes()
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    assert len(lines) == 84
    cols = [c for (c,) in con.execute(f"SELECT column_name FROM (DESCRIBE SELECT * FROM {rep.raw_table})").fetchall()
            if c not in ("_record", "_line")]
    assert len(cols) == 21
    broken = [i + 1 for i, ln in enumerate(lines) if b"\xa5" in ln]
    assert len(broken) == 8
    got = dict(con.execute(f"SELECT _line, src FROM {rep.raw_table}").fetchall())
    assert sorted(got) == list(range(1, 85))
    for line in broken:
        src = lines[line - 1].split(b",")[1].strip(b'"').decode("ascii")
        assert got[line] == src
        assert src.startswith("810")
    clids = [c for (c,) in con.execute(f"SELECT clid FROM {rep.raw_table} WHERE _line IN ({','.join(map(str, broken))})").fetchall()]
    assert all(re.fullmatch(r'"8107\d{6}..[A-Za-z]" <81079\d{9}>', c) for c in clids), clids


def _e164(number: str) -> str | None:
    digits = re.sub(r"\D", "", number)
    if len(digits) <= 6:
        return None
    try:
        n = phonenumbers.parse(number, "RU")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164) if phonenumbers.is_valid_number(n) else None


def test_asterisk_numbers_normalise_like_libphonenumber(loaded):
    con, by_rel, _ = loaded
    rep = _one(by_rel, MASTER)
    rows = con.execute("SELECT from_number, from_e164, to_number, to_e164 FROM stg.calls WHERE _file = ?",
                       [rep.path]).fetchall()
    assert len(rows) == 84
    for src, src_e164, dst, dst_e164 in rows:
        assert src_e164 == _e164(src), src
        assert dst_e164 == _e164(dst), dst
    # FORMATS.md §6.5: 810 is the old Russian international prefix
    by_src = {src: e for src, e, _, _ in rows}
    assert by_src["81079246516548"] == "+79246516548"
    assert by_src["81079243525786"] == "+79243525786"
    assert by_src["89245555937"] == "+79245555937"
    assert by_src["214943"] is None  # an internal extension is not a phone number


def test_asterisk_directions(loaded):
    con, by_rel, _ = loaded
    rep = _one(by_rel, MASTER)
    rows = con.execute("SELECT from_number, to_number, context, channel, call_direction FROM stg.calls WHERE _file = ?",
                       [rep.path]).fetchall()
    for src, dst, context, channel, direction in rows:
        src_digits, dst_digits = len(re.sub(r"\D", "", src)), len(re.sub(r"\D", "", dst))
        if context == "stadion-pstn":  # the trunk: six-digit city callers (214943, 214928) are outside callers too
            assert direction == "inbound", (src, dst)
        elif src_digits > 6 and dst_digits <= 6:
            assert direction == "inbound", (src, dst)
        else:  # the one Local/ch1@TimeDelay leg of a city caller's call: PBX plumbing between short names
            assert (src, dst, channel.split("-")[0], direction) == ("214943", "ch1", "Local/ch1@TimeDelay", "internal")
    counts = Counter(d for *_, d in rows)
    assert counts == {"inbound": 83, "internal": 1}


def test_asterisk_pbx_answered_legs_are_not_answered_calls(loaded):
    """Legs ANSWERED by the PBX's own Hangup application (0-27 s of dialplan, nobody on the line)."""
    con, by_rel, _ = loaded
    rep = _one(by_rel, MASTER)
    legs = con.execute("SELECT status, app, billsec, is_answered FROM stg.calls WHERE _file = ? AND app = 'Hangup'",
                       [rep.path]).fetchall()
    assert len(legs) == 7 and {s for s, *_ in legs} == {"ANSWERED"} and not any(a for *_, a in legs)
    with (REAL / MASTER).open(encoding="utf-8", errors="replace", newline="") as fh:
        expected = sorted(float(r[13]) for r in csv.reader(fh) if r[7] == "Hangup")  # billsec of the Hangup legs
    assert sorted(b for _, _, b, _ in legs) == expected and expected[0] == 0 and expected[-1] == 27
    dial = con.execute("SELECT count(*) FILTER (WHERE is_answered), count(*) FILTER (WHERE status = 'ANSWERED') "
                       "FROM stg.calls WHERE _file = ? AND app = 'Dial'", [rep.path]).fetchone()
    assert dial[0] == dial[1] > 0


# ---------------------------------------------------------------- Maven CRM

PIPELINE = "maven_crm/sales_pipeline.csv"


def test_maven_pipeline_states(loaded):
    con, by_rel, _ = loaded
    rep = _one(by_rel, PIPELINE)
    got = dict(con.execute("SELECT state, count(*) FROM stg.deals WHERE _file = ? GROUP BY state", [rep.path]).fetchall())
    assert got == {"won": 4238, "lost": 2473, "open": 2089}
    records = _records(REAL / PIPELINE)
    stages = Counter(row[4] for _, row in records)
    assert got == {"won": stages["Won"], "lost": stages["Lost"], "open": stages["Engaging"] + stages["Prospecting"]}


def test_maven_pipeline_blank_company_and_dates(loaded):
    con, by_rel, _ = loaded
    rep = _one(by_rel, PIPELINE)
    blank = con.execute("SELECT count(*) FROM stg.deals WHERE _file = ? AND company_name IS NULL", [rep.path]).fetchone()[0]
    assert blank == 1425
    assert blank == sum(1 for _, row in _records(REAL / PIPELINE) if not row[3].strip())
    open_no_close = con.execute(
        "SELECT count(*) FROM stg.deals WHERE _file = ? AND closed_at IS NULL AND amount IS NULL", [rep.path]).fetchone()[0]
    assert open_no_close == 2089
    first = con.execute("SELECT record_id, created_at::VARCHAR, closed_at::VARCHAR, amount, _line FROM stg.deals "
                        "WHERE _file = ? ORDER BY _record LIMIT 1", [rep.path]).fetchone()
    assert first == ("1C1I7A6R", "2016-10-20 00:00:00", "2017-03-01 00:00:00", 1054.0, 2)


def test_maven_reference_tables(loaded):
    con, _, counts = loaded
    assert counts["companies"] == 85 and counts["products"] == 7 and counts["users"] == 35
    assert con.execute("SELECT count(*) FROM stg.products WHERE name = 'GTX Pro'").fetchone()[0] == 1
    assert con.execute("SELECT price FROM stg.products WHERE name = 'GTX Basic'").fetchone()[0] == 550.0


def test_not_data_files_say_why(loaded):
    _, by_rel, _ = loaded
    assert "data dictionary" in _one(by_rel, "maven_crm/data_dictionary.csv").problem
    assert re.search(r"schema|xsd", _one(by_rel, "commerceml/commerceml-2.10.xsd").problem, re.I)
    assert _one(by_rel, "README.md").problem


# ---------------------------------------------------------------- CLI

def test_cli_inspect_json_has_exactly_the_contract_keys():
    result = CliRunner().invoke(app, ["inspect", str(REAL), "--json"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    assert isinstance(entries, list)
    assert sorted(Path(e["path"]).resolve().relative_to(REAL.resolve()).as_posix() for e in entries) == FILES
    for e in entries:
        rel = Path(e["path"]).resolve().relative_to(REAL.resolve()).as_posix()
        keys = set(e) - {"phone_region"}  # a new key: the region phone numbers were read in, where a file has them
        assert e.get("phone_region") == ("RU" if rel.startswith(("amocrm/", "asterisk/")) else None), e
        if rel == MASTER:  # decoded with replacements: said as a problem with the count (a new key)
            assert keys == CONTRACT_KEYS | {"problem", "replacement_chars"} and e["replacement_chars"] == 16, e
        else:
            assert keys in (CONTRACT_KEYS, CONTRACT_KEYS | {"problem"}), keys ^ CONTRACT_KEYS
            assert ("problem" in e) == (EXPECTED[rel][2] is None), e
        assert re.fullmatch(r"[0-9a-f]{64}", e["sha256"])
        assert e["sha256"] == hashlib.sha256((REAL / rel).read_bytes()).hexdigest()
        assert e["rows_read"] == e["rows_loaded"] + e["rows_rejected"]
        assert (e["system"], e["entity"]) == EXPECTED[rel][:2]
        if EXPECTED[rel][2] is not None:
            assert e["rows_loaded"] == EXPECTED[rel][2]
        assert isinstance(e["encoding"], str)

"""Great Expectations suites (checks/gx_suite.py): exact results on tiny canonical tables,
agreement with the SQL checks on sample_data, JSON export round trip, and a quiet console."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from checks.gx import spec as S
from checks.gx.sql import run_equivalent
from checks.gx_suite import export_suites, plan, run_gx

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2024, 12, 31)

TINY = """
CREATE SCHEMA stg;
CREATE TABLE stg.deals AS SELECT * FROM (VALUES
  ('f.csv', 1, 'D1', 'D1', 'new', 'ann', TIMESTAMP '2024-01-01', CAST(NULL AS TIMESTAMP), 100.0, 50.0, 'open'),
  ('f.csv', 2, 'D2', 'D2', NULL, 'bob', TIMESTAMP '2024-01-02', TIMESTAMP '2024-01-03', -5.0, 150.0, 'pending'),
  ('f.csv', 3, 'D3', 'D3', 'won', NULL, TIMESTAMP '2025-06-01', TIMESTAMP '2025-05-01', NULL, NULL, 'won'),
  ('f.csv', 4, 'D1', 'D1', 'new', 'ann', TIMESTAMP '2024-01-05', NULL, 10.0, 10.0, 'open'),
  ('f.csv', 5, 'f.csv:6', NULL, 'new', 'ann', NULL, TIMESTAMP '2024-01-01', 0.0, 0.0, 'open')
) t(_file, _record, ref, record_id, stage, owner, created_at, closed_at, amount, probability, state);
CREATE TABLE stg.contacts AS SELECT * FROM (VALUES
  ('c.csv', 1, 'C1', 'C1', 'Ann Lee', CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR),
   '+7 916 123-45-67', ['+79161234567'], CAST([] AS VARCHAR[]), ['a@b.ru'], TIMESTAMP '2024-01-01'),
  ('c.csv', 2, 'C2', 'C2', NULL, 'Bob', NULL, NULL, '123', [], ['123'], ['bad@', 'x@y.com'], TIMESTAMP '2024-01-01'),
  ('c.csv', 3, 'C3', 'C3', NULL, NULL, NULL, NULL, NULL, [], [], [], TIMESTAMP '2024-01-01'),
  ('c.csv', 4, 'C4', 'C4', 'Dan', NULL, NULL, NULL, '+79161234567, +7 (000) 000', ['+79161234567'],
   ['+7 (000) 000'], ['.a@b.ru', 'a..b@c.ru'], TIMESTAMP '2030-01-01')
) t(_file, _record, ref, record_id, full_name, first_name, last_name, middle_name, phone, phones, phones_invalid,
    emails, created_at);
"""


def tiny_db() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(TINY)
    return con


@pytest.fixture(scope="module")
def tiny():
    con = tiny_db()
    return con, {m.id: m for m in run_gx(con, AS_OF)}


def row(m):
    ev = m.evidence
    return (m.numerator, m.denominator, m.status, ev.ids if ev else None, ev.total if ev else None)


# --------------------------------------------------------------------------- exact results

def test_import_does_not_load_gx() -> None:
    code = "import sys, checks.gx_suite; print('great_expectations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_suites_follow_the_schema_and_the_data() -> None:
    suites = {s.name: s for s in plan(tiny_db(), AS_OF)}
    assert set(suites) == {"deals", "contacts", "contacts.phones", "contacts.emails"}
    ids = [e.metric_id("deals") for e in suites["deals"].expectations]
    assert ids == ["gx.deals.not_null.ref", "gx.deals.compound_unique.file_record_id", "gx.deals.not_null.stage",
                   "gx.deals.not_null.owner", "gx.deals.not_null.created_at", "gx.deals.in_set.state",
                   "gx.deals.between.probability", "gx.deals.between.amount", "gx.deals.between.created_at",
                   "gx.deals.a_gte_b.closed_at_vs_created_at"]
    for s in suites.values():
        for e in s.expectations:
            assert e.dimension in {"completeness", "validity", "uniqueness", "consistency"}
            assert e.rationale


def test_deals_exact(tiny) -> None:
    _, m = tiny
    assert row(m["gx.deals.not_null.ref"]) == (0, 5, "ok", (), 0)
    # both rows of the repeated id are unexpected; they are one record (one ref) in the evidence
    assert row(m["gx.deals.compound_unique.file_record_id"]) == (2, 5, "fail", ("D1",), 1)
    assert m["gx.deals.compound_unique.file_record_id"].details["missing_count"] == 1  # record_id NULL: skipped
    assert row(m["gx.deals.not_null.stage"]) == (1, 5, "fail", ("D2",), 1)
    assert row(m["gx.deals.not_null.owner"]) == (1, 5, "fail", ("D3",), 1)
    assert row(m["gx.deals.not_null.created_at"]) == (1, 5, "fail", ("f.csv:6",), 1)
    assert m["gx.deals.not_null.created_at"].details["missing_count"] is None
    assert row(m["gx.deals.in_set.state"]) == (1, 5, "fail", ("D2",), 1)
    assert row(m["gx.deals.between.probability"]) == (1, 5, "fail", ("D2",), 1)
    assert row(m["gx.deals.between.amount"]) == (1, 5, "fail", ("D2",), 1)
    assert m["gx.deals.between.amount"].details["missing_count"] == 1
    assert m["gx.deals.between.amount"].details["unexpected_percent_nonmissing"] == 25.0
    assert m["gx.deals.between.amount"].value == 0.2
    assert row(m["gx.deals.between.created_at"]) == (1, 5, "fail", ("D3",), 1)
    assert row(m["gx.deals.a_gte_b.closed_at_vs_created_at"]) == (1, 5, "fail", ("D3",), 1)
    assert m["gx.deals.a_gte_b.closed_at_vs_created_at"].details["missing_count"] == 3
    for metric in m.values():
        assert metric.dimension in {"completeness", "validity", "uniqueness", "consistency"}
        json.dumps(metric.to_json())  # serialisable into audit.json


def test_contacts_exact(tiny) -> None:
    _, m = tiny
    assert row(m["gx.contacts.not_null.full_name_or_phone"]) == (1, 4, "fail", ("C3",), 1)
    assert row(m["gx.contacts.not_null.phone"]) == (1, 4, "fail", ("C3",), 1)
    assert row(m["gx.contacts.between.created_at"]) == (1, 4, "fail", ("C4",), 1)
    # per value: 4 numbers, 2 not in E.164; 5 addresses, 3 invalid, held by 2 contacts
    assert row(m["gx.contacts.match_regex.phones"]) == (2, 4, "fail", ("C2", "C4"), 2)
    assert row(m["gx.contacts.match_regex.emails"]) == (3, 5, "fail", ("C2", "C4"), 2)
    assert m["gx.contacts.match_regex.emails"].value == 0.6


def test_batches_give_the_same_results(tiny) -> None:
    con, whole = tiny
    batched = {m.id: m for m in run_gx(con, AS_OF, batch_rows=2)}
    assert batched.keys() == whole.keys()
    for k, m in whole.items():
        assert (row(batched[k]), batched[k].value) == (row(m), m.value), k
    assert batched["gx.deals.not_null.stage"].details["batches"] == 3
    assert batched["gx.deals.compound_unique.file_record_id"].details["batches"] == 1  # whole table


def test_evidence_is_capped() -> None:
    from checks.runner import EVIDENCE_CAP

    con = duckdb.connect()
    con.execute("CREATE SCHEMA stg")
    con.execute("""CREATE TABLE stg.deals AS SELECT 'f.csv' AS _file, i AS _record, 'D' || i AS ref, 'D' || i AS record_id,
                   CASE WHEN i % 2 = 0 THEN NULL ELSE 'new' END AS stage FROM range(1000) t(i)""")
    m = {x.id: x for x in run_gx(con, AS_OF)}["gx.deals.not_null.stage"]
    assert (m.numerator, m.denominator, m.evidence.total, m.evidence.cap) == (500, 1000, 500, EVIDENCE_CAP)
    assert m.evidence.ids == tuple(f"D{i}" for i in range(0, 2 * EVIDENCE_CAP, 2))


def test_dates_outside_the_nanosecond_range() -> None:
    """1C writes 0001-01-01 for an empty date; such a column cannot become datetime64[ns] and takes
    GX's per-value path, with the same verdicts."""
    con = duckdb.connect()
    con.execute("CREATE SCHEMA stg")
    con.execute("""CREATE TABLE stg.deals AS SELECT * FROM (VALUES
        ('f.csv', 1, 'D1', 'D1', TIMESTAMP '0001-01-01', TIMESTAMP '2024-01-01'),
        ('f.csv', 2, 'D2', 'D2', TIMESTAMP '9999-12-31', NULL),
        ('f.csv', 3, 'D3', 'D3', TIMESTAMP '2024-05-01', TIMESTAMP '2024-04-01')
    ) t(_file, _record, ref, record_id, created_at, closed_at)""")
    m = {x.id: x for x in run_gx(con, AS_OF)}
    assert row(m["gx.deals.between.created_at"]) == (1, 3, "fail", ("D2",), 1)
    assert row(m["gx.deals.a_gte_b.closed_at_vs_created_at"]) == (1, 3, "fail", ("D3",), 1)


def test_gx_matches_its_sql_equivalent_on_tiny(tiny) -> None:
    con, m = tiny
    for suite in plan(con, AS_OF):
        for mid, sql in run_equivalent(con, suite).items():
            assert (m[mid].numerator, m[mid].denominator) == (sql["unexpected_count"], sql["element_count"]), mid


# --------------------------------------------------------------------------- sample_data

@pytest.fixture(scope="module")
def sample():
    from checks.runner import run_checks
    from connectors.load import discover, load

    con = duckdb.connect()
    load(discover([str(ROOT / "sample_data")]), con)
    checks = run_checks(con)
    gx = {m.id: m for m in run_gx(con, checks.as_of)}
    return con, checks, gx


def test_sample_gx_agrees_with_sql_checks(sample) -> None:
    _, checks, gx = sample
    sql = checks.metrics
    phone = sql["completeness.contacts.phone"]  # share filled; GX counts the blank ones
    assert gx["gx.contacts.not_null.phone"].numerator == phone.denominator - phone.numerator
    assert gx["gx.contacts.not_null.phone"].denominator == phone.denominator
    assert gx["gx.contacts.not_null.phone"].evidence.ids == phone.evidence.ids
    inn = sql["completeness.counterparties.inn"]
    assert gx["gx.counterparties.not_null.inn"].numerator == inn.denominator - inn.numerator
    # per value, as the SQL validity checks count: the same numerator and denominator
    for gx_id, sql_id in (("gx.contacts.match_regex.emails", "validity.contacts.email_invalid_share"),
                          ("gx.contacts.match_regex.phones", "validity.contacts.phone_invalid_share")):
        assert (gx[gx_id].numerator, gx[gx_id].denominator) == (sql[sql_id].numerator, sql[sql_id].denominator), gx_id
        assert gx[gx_id].evidence.ids == sql[sql_id].evidence.ids
    # the INN regex checks the length only; the SQL validity check also checks the checksum
    assert 0 < gx["gx.companies.match_regex.inn"].numerator <= sql["validity.companies.inn_invalid_share"].numerator


def test_sample_gx_matches_its_sql_equivalent(sample) -> None:
    con, checks, gx = sample
    suites = plan(con, checks.as_of)
    assert {s.entity for s in suites} >= {"companies", "contacts", "deals", "counterparties", "calls", "payments"}
    n = 0
    for suite in suites:
        for mid, sql in run_equivalent(con, suite).items():
            m = gx[mid]
            assert (m.numerator, m.denominator) == (sql["unexpected_count"], sql["element_count"]), mid
            if m.details["missing_count"] is not None:
                assert m.details["missing_count"] == sql["missing_count"], mid
            assert m.status == ("ok" if sql["unexpected_count"] == 0 else "fail"), mid
            n += 1
    assert n == len(gx)


# --------------------------------------------------------------------------- export

def test_export_round_trip(tmp_path: Path, tiny) -> None:
    import great_expectations as gx

    con, metrics = tiny
    paths = export_suites(con, tmp_path, AS_OF)
    folder = tmp_path / "expectations"
    assert {p.name for p in paths} == {"deals.json", "contacts.json", "contacts.phones.json", "contacts.emails.json",
                                       "README.md"}
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "gx.ExpectationSuite(**json.load(" in readme and "context.suites.add" in readme
    specs = {s.name: s for s in plan(con, AS_OF)}
    context = gx.get_context(mode="ephemeral")
    batch = context.data_sources.add_pandas("crm").add_dataframe_asset("t").add_batch_definition_whole_dataframe("b")
    for path in paths:
        if path.suffix != ".json":
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        for e in data["expectations"]:
            assert e["meta"]["dimension"] and e["meta"]["rationale"]
        suite = context.suites.add(gx.ExpectationSuite(**data))  # as a client would
        vd = context.validation_definitions.add(gx.ValidationDefinition(name=path.stem, data=batch, suite=suite))
        frame = con.execute(specs[suite.name].frame_sql()).df()
        res = vd.run(batch_parameters={"dataframe": frame},
                     result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["ref"]})
        assert len(res.results) == len(data["expectations"])
        for r in res.results:
            m = metrics[r.expectation_config.meta["metric_id"]]
            assert r.success == (m.status == "ok")
            assert r.result["unexpected_count"] == m.numerator
            refs = list(dict.fromkeys(d["ref"] for d in r.result.get("unexpected_index_list") or []))
            assert tuple(refs) == m.evidence.ids  # GX's own ref lookup = the vectorised one


# --------------------------------------------------------------------------- quiet

def test_no_gx_output_on_the_console(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import datetime as dt, duckdb
        from checks.gx_suite import run_gx, export_suites
        con = duckdb.connect()
        con.execute({TINY!r})
        assert run_gx(con, dt.date(2024, 12, 31))
        assert run_gx(con, dt.date(2024, 12, 31), batch_rows=2)
        export_suites(con, {str(tmp_path)!r}, dt.date(2024, 12, 31))
    """)
    out = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
    assert out.stderr == ""


def test_no_output_in_process(capfd, tiny) -> None:
    con, _ = tiny
    capfd.readouterr()
    run_gx(con, AS_OF)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def test_spec_regexes_agree_with_duckdb() -> None:
    """The e-mail regex is the `email_valid` macro's language; GX (Python re) and DuckDB (RE2) agree on it."""
    import re

    from connectors.canonical.build import install_macros

    con = duckdb.connect()
    install_macros(con)
    samples = ["a@b.ru", ".a@b.ru", "a..b@c.ru", "a.@b.ru", "a.b@c-d.com", "bad@", "a@b", "a@b.c", "x_y+z@m.co.uk",
               "a@.ru", "a@b..ru", "ив@a.ru", "a b@c.ru"]
    for s in samples:
        macro = con.execute("SELECT email_valid(?)", [s]).fetchone()[0]
        assert bool(re.search(S.EMAIL, s)) == macro, s
        assert con.execute("SELECT regexp_matches(?, ?)", [s, S.EMAIL]).fetchone()[0] == macro, s


# --------------------------------------------------------------------------- fixed costs

def test_run_gx_exports_the_suites_it_validated(tmp_path: Path, tiny) -> None:
    """One plan and one GX suite object per suite, for the validation and the export: the files
    are exactly those export_suites writes on its own, and every stage is timed."""
    con, metrics = tiny
    timings: dict[str, float] = {}
    again = {m.id: m for m in run_gx(con, AS_OF, timings=timings, export_to=tmp_path / "a")}
    export_suites(con, tmp_path / "b", AS_OF)
    a, b = sorted((tmp_path / "a" / "expectations").iterdir()), sorted((tmp_path / "b" / "expectations").iterdir())
    assert [p.name for p in a] == [p.name for p in b] and len(a) == 5
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    assert {m: row(x) for m, x in again.items()} == {m: row(x) for m, x in metrics.items()}
    assert set(timings) == {"plan", "import", "context", "export",
                            *(f"suite:{s}" for s in ("deals", "contacts", "contacts.phones", "contacts.emails"))}


def test_background_import_is_silent_and_gives_the_same_results() -> None:
    """preload() imports GX in a thread while the caller works on; run_gx then waits for it."""
    script = textwrap.dedent(f"""
        import datetime as dt, json, sys, duckdb
        import checks.gx_suite as g
        g.preload()
        assert g._PRELOAD is not None and g._PRELOAD.is_alive()  # still importing: the caller is not blocked
        con = duckdb.connect()
        con.execute({TINY!r})
        t = {{}}
        ms = g.run_gx(con, dt.date(2024, 12, 31), timings=t)
        assert not g._PRELOAD.is_alive()
        print(json.dumps(sorted((m.id, m.numerator, m.denominator, m.status) for m in ms)), file=sys.stderr)
    """)
    out = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""  # nothing from GX's import thread on the console
    got = [tuple(x) for x in json.loads(out.stderr)]
    con = tiny_db()
    want = sorted((m.id, m.numerator, m.denominator, m.status) for m in run_gx(con, AS_OF))
    assert got == want

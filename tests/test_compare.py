"""Audits over time: `crm-audit compare`, `run --baseline` and the records fixed / remaining / new.

Three audits of the sample company (sample_data/): as exported, after a first cleanup (20 loss
reasons filled) and after a second one (40 filled, 5 duplicate contacts deleted, 3 new lost deals
without a reason), built by tests/history_data.py from the generator's truth. Every expected
number below is computed by hand from the generator's truth (TRUTH.json) and what was changed.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from typer.testing import CliRunner

from auditor import audit
from auditor.cli import app
from auditor.history.compare import change_of, compare, magnitude
from auditor.history.audits import load_audit
from checks.catalogue import CHECKS, direction
from checks.thresholds import load_thresholds
from history_data import EXPORTS, NEW_DEAL_IDS, TRUTH, cleaned_exports

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT.parent / "shared" / "contract" / "audit_result.schema.json").read_text(encoding="utf-8"))
LOST = "refusal.deals.lost_without_reason_share"
DUPS = "duplicates.contacts.redundant_share"
T = TRUTH["metrics"]
# the before numbers, from the generator's truth
LOST_N, LOST_D = T[LOST]["numerator"], T[LOST]["denominator"]                       # 137 / 339
DUP_N, DUP_D = T[DUPS]["numerator"], T[DUPS]["denominator"]                         # 46 / 605
CATCH_N, CATCH_D = (T["refusal.deals.catch_all_reason_share"][k] for k in ("numerator", "denominator"))  # 37 / 202
PHONE_N, PHONE_D = (T["completeness.contacts.phone"][k] for k in ("numerator", "denominator"))           # 570 / 605
CLOSED = T["volume.deals.closed_count"]["value"]                                    # 655
FILL1, FILL2, REMOVED, NEW = 20, 40, 5, 3


@pytest.fixture(scope="module")
def audits(tmp_path_factory):
    """before (as exported), middle, after: three audit folders, the last one with --baseline before."""
    base = tmp_path_factory.mktemp("history")
    middle_src, after_src = base / "middle_src", base / "after_src"
    middle = cleaned_exports(middle_src, fill_reasons=FILL1)
    after = cleaned_exports(after_src, fill_reasons=FILL2, remove_duplicates=REMOVED, new_lost_without_reason=NEW)
    kw = dict(lang="en", use_gx=False)
    audit([str(EXPORTS)], base / "before", as_of=dt.date(2026, 11, 20), **kw)
    audit([str(middle_src)], base / "middle", as_of=dt.date(2026, 11, 20), **kw)
    result = audit([str(after_src)], base / "after", as_of=dt.date(2026, 11, 21), baseline=base / "before", **kw)
    return {"base": base, "middle": middle, "after": after, "result": result,
            "doc": json.loads((base / "after" / "audit.json").read_text(encoding="utf-8"))}


# --------------------------------------------------------------------------- directions

def test_every_check_declares_its_direction_consistent_with_its_threshold():
    thresholds = load_thresholds()
    for check in CHECKS:
        assert check.direction in ("lower", "higher"), check.id
        t = thresholds.get(check.id)
        if t is not None:   # a threshold failing high values belongs to a lower-is-better metric
            assert t.higher_is_worse == (check.direction == "lower"), check.id
    assert direction("gx.contacts.not_null.ref") == "lower"     # unexpected ÷ element
    assert direction("no.such.metric") is None


def test_change_follows_the_declared_direction():
    assert change_of(0.4, 0.3, "lower") == (pytest.approx(-0.1), "better")
    assert change_of(0.4, 0.3, "higher") == (pytest.approx(-0.1), "worse")
    assert change_of(655, 658, "higher") == (3.0, "better")
    assert change_of(0.5, 0.5, "lower") == (0.0, "same")
    assert change_of(None, 0.5, "lower") == (None, "n/a")
    assert change_of(0.4, 0.5, None) == (pytest.approx(0.1), "n/a")    # unknown metric: never guessed
    assert magnitude(100, 150, "count") == pytest.approx(50 / 150)
    assert magnitude(0.2, 0.5, "share") == pytest.approx(0.3)


# --------------------------------------------------------------------------- --baseline

def test_baseline_block_is_valid_against_the_contract(audits):
    doc = audits["doc"]
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    b = doc["baseline"]
    assert b["as_of"] == "2026-11-20" and b["level"] == 1
    assert b["source"].endswith("before")
    assert {m["id"] for m in b["metrics"]} >= set(T)


def test_baseline_deltas_are_the_hand_computed_ones(audits):
    rows = {m["id"]: m for m in audits["doc"]["baseline"]["metrics"]}
    lost_after = (LOST_N - FILL2 + NEW) / (LOST_D + NEW)                 # 100 / 342
    expect = {
        LOST: (LOST_N / LOST_D, lost_after, "better"),
        DUPS: (DUP_N / DUP_D, (DUP_N - REMOVED) / (DUP_D - REMOVED), "better"),               # 41 / 600
        # the filled reasons are real ones: more lost deals with a reason, the same catch-alls
        "refusal.deals.catch_all_reason_share": (CATCH_N / CATCH_D, CATCH_N / (CATCH_D + FILL2), "better"),
        "volume.deals.closed_count": (CLOSED, CLOSED + NEW, "better"),      # higher is better
        # every removed duplicate had a phone (it shares one with its original): a fill rate going down
        "completeness.contacts.phone": (PHONE_N / PHONE_D, (PHONE_N - REMOVED) / (PHONE_D - REMOVED), "worse"),
        # nothing changed on the 1C side
        "cross.payments.without_deal_share": (T["cross.payments.without_deal_share"]["value"],) * 2 + ("same",),
    }
    for mid, (before, after, change) in expect.items():
        r = rows[mid]
        assert r["before"] == pytest.approx(before, abs=1e-6), mid
        assert r["after"] == pytest.approx(after, abs=1e-6), mid
        assert r["delta"] == pytest.approx(after - before, abs=2e-6), mid
        assert r["change"] == change, mid
    assert rows["automation.deals.score_auc"]["change"] == "n/a"          # null in both audits


def test_baseline_records_fixed_remaining_new(audits):
    rec = audits["doc"]["baseline"]["records"]
    assert (rec[LOST]["fixed"], rec[LOST]["remaining"], rec[LOST]["new"]) == (FILL2, LOST_N - FILL2, NEW)
    assert (rec[DUPS]["fixed"], rec[DUPS]["remaining"], rec[DUPS]["new"]) == (REMOVED, DUP_N - REMOVED, 0)
    assert (rec["process.deals.stuck_share"]["fixed"], rec["process.deals.stuck_share"]["new"]) == (0, 0)
    assert "ids" not in rec[LOST]                       # audit.json keeps counts; the ids go to the XLSX
    # 1C list exports carry no record id (refs are file:line, and the folders differ): not counted wrongly
    assert rec["cross.counterparties.unmatched_share"]["available"] is False
    # the ids behind the counts are exactly the records changed
    ids = audits["result"].baseline["records"][LOST]["ids"]
    assert set(ids["fixed"]) == set(audits["after"].filled)
    assert set(ids["new"]) == set(NEW_DEAL_IDS)


def test_scorecard_shows_since_section_and_sheet(audits):
    html = (audits["base"] / "after" / "scorecard.html").read_text(encoding="utf-8")
    assert 'id="since"' in html and "Since the audit of 2026-11-20" in html
    assert html.index('id="since"') < html.index('id="domains"')
    wb = openpyxl.load_workbook(audits["base"] / "after" / "scorecard.xlsx", read_only=True)
    rows = [r for r in wb["Since the last audit"].iter_rows(values_only=True) if len(r) >= 4]
    lost = next(r for r in rows if r[0] == LOST and isinstance(r[2], float))
    assert lost[2:4] == (pytest.approx(LOST_N / LOST_D, abs=1e-6), pytest.approx(100 / 342, abs=1e-6))
    fixed = {r[2] for r in rows if r[0] == LOST and r[1] == "fixed"}
    assert fixed == set(audits["after"].filled)


# --------------------------------------------------------------------------- compare

def test_compare_orders_by_as_of_and_judges_first_to_last(audits, tmp_path):
    base = audits["base"]
    runner = CliRunner()
    # middle and before share an as_of: they keep the order given; the after audit is the latest
    res = runner.invoke(app, ["compare", str(base / "after"), str(base / "before"), str(base / "middle" / "audit.json"),
                              "--out", str(tmp_path), "--lang", "en"])
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "comparison.json").read_text(encoding="utf-8"))
    assert [a["as_of"] for a in doc["audits"]] == ["2026-11-20", "2026-11-20", "2026-11-21"]
    assert [Path(a["source"]).name for a in doc["audits"]] == ["before", "audit.json", "after"]
    assert [a["level"] for a in doc["audits"]] == [1, 1, 1]
    assert doc["audits"][0]["domains"] == {"sales": 2, "integration": 1, "service": 1}
    m = {x["id"]: x for x in doc["metrics"]}
    assert m[LOST]["values"] == pytest.approx([LOST_N / LOST_D, (LOST_N - FILL1) / LOST_D, 100 / 342], abs=1e-6)
    assert m[LOST]["delta"] == pytest.approx(100 / 342 - LOST_N / LOST_D, abs=2e-6)
    assert m[LOST]["change"] == "better" and m[LOST]["direction"] == "lower"
    assert m["automation.deals.score_auc"]["values"] == [None, None, None]
    assert m["automation.deals.score_auc"]["change"] == "n/a"
    # records compare the first audit with the last
    rec = doc["records"]["metrics"]
    assert doc["records"]["from"] == "2026-11-20" and doc["records"]["to"] == "2026-11-21"
    assert (rec[LOST]["fixed"], rec[LOST]["remaining"], rec[LOST]["new"]) == (FILL2, LOST_N - FILL2, NEW)
    assert (rec[DUPS]["fixed"], rec[DUPS]["remaining"], rec[DUPS]["new"]) == (REMOVED, DUP_N - REMOVED, 0)
    # the page: the biggest improvement is the loss reasons, three audits give a trend chart per metric
    html = (tmp_path / "comparison.html").read_text(encoding="utf-8")
    best = html[html.index("Biggest improvements"):html.index("Biggest regressions")]
    assert best.index(LOST) < best.index(DUPS)
    assert 'class="spark"' in html
    # the XLSX lists the ids
    wb = openpyxl.load_workbook(tmp_path / "comparison.xlsx", read_only=True)
    rows = list(wb["Records fixed-remaining-new"].iter_rows(values_only=True))
    assert {r[2] for r in rows if r[0] == LOST and r[1] == "fixed"} == set(audits["after"].filled)
    assert {r[2] for r in rows if r[0] == LOST and r[1] == "new"} == set(NEW_DEAL_IDS)
    assert sum(1 for r in rows if r[0] == DUPS and r[1] == "fixed") == REMOVED


def test_run_baseline_through_the_cli(audits, tmp_path):
    """The same deals export audited alone against the full audit: its lost deals are the same records."""
    deals = next((EXPORTS / "bitrix24").glob("DEAL_*.csv"))
    res = CliRunner().invoke(app, ["run", str(deals), "--out", str(tmp_path), "--no-gx", "--lang", "en",
                                   "--as-of", "2026-11-20", "--baseline", str(audits["base"] / "before")])
    assert res.exit_code == 0, res.output
    assert "since the audit of 2026-11-20: level 1" in res.output and "roadmap stage 1:" in res.output
    b = json.loads((tmp_path / "audit.json").read_text(encoding="utf-8"))["baseline"]
    lost = next(m for m in b["metrics"] if m["id"] == LOST)
    assert (lost["before"], lost["after"], lost["change"]) == (pytest.approx(LOST_N / LOST_D), pytest.approx(LOST_N / LOST_D), "same")
    assert (b["records"][LOST]["fixed"], b["records"][LOST]["remaining"], b["records"][LOST]["new"]) == (0, LOST_N, 0)
    assert DUPS not in b["records"]          # no contacts in this audit: nothing to compare, not "all fixed"
    contacts = next(m for m in b["metrics"] if m["id"] == DUPS)
    assert contacts["after"] is None and contacts["change"] == "n/a"


def test_compare_page_in_russian(audits, tmp_path):
    res = CliRunner().invoke(app, ["compare", str(audits["base"] / "before"), str(audits["base"] / "after"),
                                   "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    html = (tmp_path / "comparison.html").read_text(encoding="utf-8")
    assert "Сравнение аудитов" in html and "Главные улучшения" in html and "чем меньше, тем лучше" in html
    assert 'class="spark"' not in html          # two audits: no trend chart


def test_baseline_in_the_same_folder_uses_its_audit_json(audits, tmp_path):
    """`run --out X --baseline X`: the earlier audit.duckdb is replaced by the new one, so the earlier
    ids come from its audit.json (complete lists only), never from the new database itself."""
    out = tmp_path / "audit"
    shutil.copytree(audits["base"] / "before", out)
    audit([str(EXPORTS)], out, as_of=dt.date(2026, 11, 20), lang="en", use_gx=False, baseline=out)
    rec = json.loads((out / "audit.json").read_text(encoding="utf-8"))["baseline"]["records"]
    assert rec[LOST]["available"] is False and rec[LOST]["reason_code"] == "capped"
    companies = rec["duplicates.companies.redundant_share"]
    assert (companies["fixed"], companies["remaining"], companies["new"]) == (0, T["duplicates.companies.redundant_share"]["numerator"], 0)


def test_compare_from_audit_json_alone_counts_only_complete_evidence(audits, tmp_path):
    """Without audit.duckdb, audit.json's first 50 ids are all there is: complete lists still count."""
    for name in ("before", "after"):
        (tmp_path / name).mkdir()
        shutil.copy(audits["base"] / name / "audit.json", tmp_path / name / "audit.json")
    doc = compare([load_audit(tmp_path / "before"), load_audit(tmp_path / "after")])
    rec = doc["records"]["metrics"]
    assert rec[LOST]["available"] is False and rec[LOST]["reason_code"] == "capped"      # 137 > 50 ids
    companies = rec["duplicates.companies.redundant_share"]                               # 19 ≤ 50: complete
    assert (companies["fixed"], companies["remaining"], companies["new"]) == (0, T["duplicates.companies.redundant_share"]["numerator"], 0)


def test_compare_with_an_audit_written_before_meta_evidence_existed(audits, tmp_path):
    """An older audit folder: audit.duckdb without meta.evidence falls back to its audit.json ids."""
    import duckdb

    old = tmp_path / "old"
    shutil.copytree(audits["base"] / "before", old)
    with duckdb.connect(str(old / "audit.duckdb")) as con:
        con.execute("DROP TABLE meta.evidence")
    doc = compare([load_audit(old), load_audit(audits["base"] / "after")])
    rec = doc["records"]["metrics"]
    assert rec[LOST]["available"] is False and rec[LOST]["reason_code"] == "capped"
    assert rec["duplicates.companies.redundant_share"]["available"] is True


def test_records_without_a_source_id_are_left_out_and_counted_apart():
    """Hand-built audit.json pair: ids 1, 2 then 2, 3; one `file:line` ref on each side."""
    from auditor.history.records import Side, compare_records

    def doc(ids):
        ev = {"entity": "deals", "ids": ids, "total": len(ids), "cap": 50}
        return {"inputs": [{"path": "exports/deals.csv"}], "metrics": {LOST: {"value": 0.5, "evidence": ev}}}

    rec = compare_records(Side(doc(["1", "2", "exports/deals.csv:7"])), Side(doc(["2", "3", "exports/deals.csv:9"])))
    assert {k: rec[LOST][k] for k in ("fixed", "remaining", "new", "untracked")} == \
        {"fixed": 1, "remaining": 1, "new": 1, "untracked": {"before": 1, "after": 1}}
    assert rec[LOST]["ids"] == {"fixed": ["1"], "remaining": ["2"], "new": ["3"]}
    only = compare_records(Side(doc(["exports/deals.csv:7"])), Side(doc(["2"])))
    assert only[LOST]["available"] is False and only[LOST]["reason_code"] == "positional"


def test_bad_inputs_give_one_line_errors(audits, tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["compare", str(tmp_path), str(audits["base"] / "before"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "no audit.json in this folder" in res.output and "Traceback" not in res.output
    bad = tmp_path / "audit.json"
    bad.write_text("{not json", encoding="utf-8")
    res = runner.invoke(app, ["compare", str(bad), str(audits["base"] / "before"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "cannot read it as audit.json" in res.output
    res = runner.invoke(app, ["compare", str(audits["base"] / "before")])
    assert res.exit_code == 2 and "at least two audits" in res.output
    res = runner.invoke(app, ["run", str(EXPORTS), "--out", str(tmp_path / "r"), "--no-gx",
                              "--baseline", str(tmp_path / "missing")])
    assert res.exit_code == 2 and "not found" in res.output
    assert not (tmp_path / "r" / "audit.json").exists()       # refused before auditing anything

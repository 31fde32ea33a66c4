"""The roadmap to the next level: stages per domain in the framework's order, targets from
auditor/maturity.yaml, records to change computed by hand from the generator's truth
(sample_data/TRUTH.json) and from what tests/history_data.py repaired."""
from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import jsonschema
import openpyxl
import pytest

from auditor import audit
from auditor.inference import infer, load_config
from auditor.roadmap import build, records_to_change
from checks.model import Metric
from history_data import EXPORTS, TRUTH, cleaned_exports

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT.parent / "shared" / "contract" / "audit_result.schema.json").read_text(encoding="utf-8"))
T = TRUTH["metrics"]
CFG = load_config()


def _nd(mid):
    return T[mid]["numerator"], T[mid]["denominator"]


@pytest.fixture(scope="module")
def audits(tmp_path_factory):
    base = tmp_path_factory.mktemp("roadmap")
    cleaned_exports(base / "after_src", fill_reasons=40, remove_duplicates=5, new_lost_without_reason=3)
    out = {}
    for name, src in (("before", EXPORTS), ("after", base / "after_src")):
        audit([str(src)], base / name, as_of=dt.date(2026, 11, 20), lang="en", use_gx=False)
        out[name] = json.loads((base / name / "audit.json").read_text(encoding="utf-8"))
    out["base"] = base
    return out


def _steps(stage):
    return [(s["metric"], s["target"], s["records"], s["work_list"]) for s in stage["steps"]]


def test_roadmap_of_the_sample_company(audits):
    doc = audits["before"]
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    road = doc["roadmap"]
    # every domain to level 2 (integration first: connect the systems), then sales to 3
    assert [(s["domain"], s["from_level"], s["to_level"], s["overall_after"]) for s in road] == [
        ("integration", 1, 2, 1), ("service", 1, 2, 2), ("sales", 2, 3, 3)]
    unmatched, won, pay, missed, lost = (_nd(m) for m in (
        "cross.counterparties.unmatched_share", "cross.deals.won_without_document_share",
        "cross.payments.without_deal_share", "process.calls.missed_without_callback_share",
        "refusal.deals.lost_without_reason_share"))
    dup_n, dup_d = _nd("duplicates.contacts.redundant_share")
    # a share judged "at most t" clears once numerator ≤ ⌊t·denominator⌋
    assert _steps(road[0]) == [
        ("cross.counterparties.unmatched_share", 0.25, unmatched[0] - math.floor(0.25 * unmatched[1]), "1C counterparties not in CRM"),
        ("cross.deals.won_without_document_share", 0.30, won[0] - math.floor(0.30 * won[1]), None),
        ("cross.payments.without_deal_share", 0.30, pay[0] - math.floor(0.30 * pay[1]), None),
    ]   # 57 − 47 = 10, 108 − 94 = 14, 200 − 133 = 67; inbound callers (27.6% ≤ 40%) do not block
    assert _steps(road[1]) == [("process.calls.missed_without_callback_share", 0.10, missed[0] - math.floor(0.10 * missed[1]),
                                "Missed calls not returned")]   # 72 − 16 = 56; first response 55 min ≤ 60 does not block
    # level 3: history, then data quality (catch-all 18.3% ≤ 25% does not block), then a prediction pilot
    assert _steps(road[2]) == [
        ("volume.deals.closed_count", 2000, 2000 - T["volume.deals.closed_count"]["value"], None),           # 1345
        ("refusal.deals.lost_without_reason_share", 0.20, lost[0] - math.floor(0.20 * lost[1]), "Lost without reason"),  # 70
        # merging removes the duplicate from the records counted: (46 − x) ÷ (605 − x) ≤ 0.05 → x = 17
        ("duplicates.contacts.redundant_share", 0.05, math.ceil((dup_n - 0.05 * dup_d) / 0.95), "Duplicate contacts"),
        ("automation.deals.score_auc", 0.70, None, None),   # no real score (TRUTH: n/a), no bots (Q5 level 1)
    ]
    steps = {s["metric"]: s for stage in road for s in stage["steps"]}
    assert steps["refusal.deals.lost_without_reason_share"]["now"] == pytest.approx(lost[0] / lost[1], abs=1e-6)
    assert steps["automation.deals.score_auc"]["now"] is None
    # beyond the level's target, where the check itself stops warning (checks/thresholds.yaml)
    assert steps["refusal.deals.lost_without_reason_share"]["ok_at"] == 0.1
    assert steps["volume.deals.closed_count"]["ok_at"] is None          # a count without a threshold
    assert "mirrors the stage" in steps["automation.deals.score_auc"]["action"]


def test_roadmap_after_the_cleanup_needs_fewer_records(audits):
    road = {(s["domain"], s["to_level"]): s for s in audits["after"]["roadmap"]}
    steps = {s["metric"]: s["records"] for s in road[("sales", 3)]["steps"]}
    assert steps["refusal.deals.lost_without_reason_share"] == 100 - math.floor(0.20 * 342)     # 32
    assert steps["duplicates.contacts.redundant_share"] == math.ceil((41 - 0.05 * 600) / 0.95)  # 12
    assert steps["volume.deals.closed_count"] == 2000 - 658


def test_each_records_count_is_the_least_that_reaches_the_target(audits):
    for stage in audits["before"]["roadmap"]:
        for s in stage["steps"]:
            m = audits["before"]["metrics"].get(s["metric"] or "")
            if not m or s["records"] is None or m["unit"] != "share":
                continue
            n, d, r, t = m["numerator"], m["denominator"], s["records"], s["target"]
            if s["metric"].startswith("duplicates."):
                after, one_less = (n - r) / (d - r), (n - r + 1) / (d - r + 1)
            else:
                after, one_less = (n - r) / d, (n - r + 1) / d
            assert after <= t < one_less, s["metric"]


def test_scorecard_ends_with_the_roadmap(audits):
    base = audits["base"] / "before"
    html = (base / "scorecard.html").read_text(encoding="utf-8")
    assert html.rindex("<section") == html.index('<section id="roadmap"')
    assert "Stage 1: Integration, level 1 → 2" in html and "overall level after this stage: 3" in html
    wb = openpyxl.load_workbook(base / "scorecard.xlsx", read_only=True)
    rows = [r for r in wb["Roadmap"].iter_rows(values_only=True) if len(r) >= 11 and isinstance(r[0], int)]
    steps = [s for stage in audits["before"]["roadmap"] for s in stage["steps"]]
    assert [r[4] for r in rows] == [s["metric"] for s in steps]
    assert [r[7] for r in rows] == [s["records"] for s in steps]
    for s in steps:   # every work list named is a sheet of the scorecard
        assert s["work_list"] is None or s["work_list"] in wb.sheetnames


# --------------------------------------------------------------------------- hand-built metrics

def _m(mid, value, num=None, den=None, unit="share", reason=None):
    return Metric(mid, mid.split(".")[0], value, "n/a" if value is None else "ok", unit, num, den, reason=reason)


def _sales_level1(routing=0.3, routing_den=100):
    ms = [_m("automation.leads.routing_determinism", routing, None, routing_den, "ratio"),
          _m("automation.records.system_created_share", 0.05, 5, 100),
          _m("automation.records.bot_created_share", 0.0, 0, 100),
          _m("automation.deals.score_auc", None, unit="auc", reason="no probability field"),
          _m("volume.deals.closed_count", 120, 120, None, "count"),
          _m("refusal.deals.lost_without_reason_share", 0.5, 30, 60),
          _m("refusal.deals.catch_all_reason_share", 0.1, 3, 30),
          _m("duplicates.contacts.redundant_share", 0.02, 2, 100)]
    return {m.id: m for m in ms}


def test_level_one_sales_gets_the_next_stage_then_the_following_one_and_a_missing_input_first():
    metrics = _sales_level1()
    maturity = infer(metrics, {"deals": 100}, CFG, "en")
    assert maturity.domains["sales"].level == 1 and maturity.domains["integration"].level is None
    road = build(metrics, maturity, CFG, "en", work_lists={})
    assert [(s.domain, s.from_level, s.to_level, s.overall_after) for s in road] == [
        ("integration", None, 2, 1), ("sales", 1, 2, 2), ("sales", 2, 3, 3)]
    assert road[0].steps[0].metric is None and "1C" in road[0].steps[0].action       # a missing input
    assert [(s.metric, s.records) for s in road[1].steps] == [
        ("automation.leads.routing_determinism", None),                 # a ratio: no record count moves it
        ("automation.records.system_created_share", math.ceil(0.10 * 100) - 5)]   # 5 more of 100
    assert [(s.metric, s.records) for s in road[2].steps] == [
        ("volume.deals.closed_count", 2000 - 120),
        ("refusal.deals.lost_without_reason_share", 30 - math.floor(0.20 * 60)),     # 18
        ("automation.deals.score_auc", None)]                           # duplicates 2% ≤ 5%, catch-all 10% ≤ 25% pass
    assert "no probability field" in road[2].steps[-1].action


def test_too_few_leads_keep_the_routing_step_whatever_its_value():
    metrics = _sales_level1(routing=0.95, routing_den=12)
    maturity = infer(metrics, {"deals": 12}, CFG, "en")
    road = build(metrics, maturity, CFG, "en", work_lists={})
    step = next(s for s in road[1].steps if s.metric == "automation.leads.routing_determinism")
    assert step.now == 0.95 and "12 < 30 records" in step.action


def test_records_to_change_by_direction():
    assert records_to_change(_m("completeness.companies.inn", 0.5, 50, 100), 0.9, "higher") == 40
    assert records_to_change(_m("refusal.deals.lost_without_reason_share", 0.05, 5, 100), 0.2, "lower") == 0
    assert records_to_change(_m("duplicates.contacts.redundant_share", 0.2, 20, 100), 0.1, "lower") == 12  # 8/88 ≤ 0.1
    assert records_to_change(_m("process.leads.first_response_median_minutes", 90, unit="minutes"), 60, "lower") is None
    assert records_to_change(_m("x.y.z", None), 0.5, "lower") is None

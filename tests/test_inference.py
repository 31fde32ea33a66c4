"""Inference rules on hand-built metrics: the five questions, domains, no skipping, confidence."""
from __future__ import annotations

import pytest

from auditor.inference import infer, load_config, overall_level
from auditor.recommendations import recommend
from auditor.result import Domain
from auditor.self_assessment import compare
from checks.model import Evidence, Metric

CFG = load_config()
ALL_LOADED = {"deals": 5000, "leads": 3000, "contacts": 4000, "companies": 900, "counterparties": 800,
              "documents": 3000, "payments": 2000, "calls": 20000}


def m(mid: str, value, num=None, den=None, status="ok", reason=None, total=None) -> Metric:
    ev = Evidence("x", (), total, 50) if total is not None else None
    return Metric(mid, mid.split(".")[0], value, "n/a" if value is None else status, numerator=num, denominator=den,
                  reason=reason, evidence=ev)


def island() -> dict[str, Metric]:
    """A level-1 company: manual routing, nothing automated, 1C not linked."""
    ms = [
        m("automation.leads.routing_determinism", 0.12, 3410, 3410),
        m("automation.records.system_created_share", 0.01, 40, 4000),
        m("automation.records.bot_created_share", 0.0, 0, 4000),
        m("automation.deals.score_auc", None, reason="deals carry no numeric probability or score"),
        m("cross.counterparties.unmatched_share", 0.45, 360, 800, "fail", total=360),
        m("cross.deals.won_without_document_share", 0.5, 900, 1800, "fail", total=900),
        m("cross.payments.without_deal_share", 0.2, 400, 2000),
        m("cross.calls.inbound_unlinked_share", 0.3, 3000, 10000),
        m("volume.deals.closed_count", 3000, 3000, 5000),
        m("refusal.deals.lost_without_reason_share", 0.5, 600, 1200, "fail", total=600),
        m("refusal.deals.catch_all_reason_share", 0.1, 60, 600),
        m("duplicates.contacts.redundant_share", 0.12, 480, 4000, "fail", total=480),
        m("process.calls.missed_without_callback_share", 0.4, 400, 1000, "fail", total=400),
        m("process.leads.first_response_median_minutes", 300.0, 2000, 3000, "fail"),
    ]
    return {x.id: x for x in ms}


def integrated() -> dict[str, Metric]:
    """A level-2 company: rule routing, robots, 1C and telephony linked, SLA kept."""
    ms = island()
    ms.update({x.id: x for x in [
        m("automation.leads.routing_determinism", 0.92, 3410, 3410),
        m("automation.records.system_created_share", 0.35, 1400, 4000),
        m("cross.counterparties.unmatched_share", 0.05, 40, 800),
        m("cross.deals.won_without_document_share", 0.04, 72, 1800),
        m("cross.payments.without_deal_share", 0.03, 60, 2000),
        m("cross.calls.inbound_unlinked_share", 0.1, 1000, 10000),
        m("process.calls.missed_without_callback_share", 0.05, 50, 1000),
        m("process.leads.first_response_median_minutes", 12.0, 2000, 3000),
    ]})
    return ms


def intelligent() -> dict[str, Metric]:
    ms = integrated()
    ms.update({x.id: x for x in [
        m("automation.deals.score_auc", 0.81, 1500, 3000),
        m("refusal.deals.lost_without_reason_share", 0.05, 60, 1200),
        m("duplicates.contacts.redundant_share", 0.02, 80, 4000),
    ]})
    return ms


def test_island_company_is_level_1_with_reasons():
    mat = infer(island(), ALL_LOADED, CFG, "en")
    assert mat.level == 1
    assert {q: a.level_signal for q, a in mat.questions.items()} == {"Q1": 1, "Q2": 1, "Q3": 1, "Q4": 1, "Q5": 1}
    assert "0.12" in mat.questions["Q2"].answer and "3410" in mat.questions["Q2"].answer
    assert mat.domains["sales"].level == 1 and mat.domains["integration"].level == 1
    assert mat.confidence == 1.0 and mat.missing_inputs == ()
    titles = " ".join(b.title for b in mat.blockers)
    assert "rules" in titles and "1C" in titles


def test_integrated_company_is_level_2_and_blocked_by_history():
    mat = infer(integrated(), ALL_LOADED, CFG, "en")
    assert mat.level == 2
    assert mat.domains["sales"].level == 2 and mat.domains["integration"].level == 2 and mat.domains["service"].level == 2
    blocker_metrics = {mid for b in mat.blockers for mid in b.metrics}
    # level 3 needs filled reasons, few duplicates and a working prediction
    assert {"refusal.deals.lost_without_reason_share", "duplicates.contacts.redundant_share",
            "automation.deals.score_auc"} <= blocker_metrics


def test_intelligent_company_reaches_level_3():
    mat = infer(intelligent(), ALL_LOADED, CFG, "en")
    assert mat.questions["Q4"].level_signal == 3
    assert mat.level == 3


def test_no_skipping_prediction_on_island_data_stays_level_1():
    ms = island()
    ms["automation.deals.score_auc"] = m("automation.deals.score_auc", 0.9, 1000, 2000)
    ms["automation.records.bot_created_share"] = m("automation.records.bot_created_share", 0.3, 1200, 4000)
    mat = infer(ms, ALL_LOADED, CFG, "en")
    assert mat.questions["Q4"].level_signal == 3 and mat.questions["Q5"].level_signal == 3
    assert mat.level == 1


def test_level_3_needs_thousands_of_closed_deals():
    ms = intelligent()
    ms["volume.deals.closed_count"] = m("volume.deals.closed_count", 400, 400, 600)
    mat = infer(ms, ALL_LOADED, CFG, "en")
    assert mat.level == 2
    assert any("400" in b.title for b in mat.blockers)


def test_missing_exports_lower_confidence_and_say_which():
    loaded = {"deals": 5000, "leads": 3000, "contacts": 4000, "companies": 900}
    mat = infer(island(), loaded, CFG, "en")
    assert mat.confidence == pytest.approx(1 - 0.20 - 0.15)
    assert any("no telephony export: Q1 and SLA judged without calls" in x for x in mat.missing_inputs)
    assert any("no 1C export" in x for x in mat.missing_inputs)
    # without 1C or telephony, Q1 cannot tell and the integration domain has no level
    assert mat.questions["Q1"].level_signal is None
    assert mat.domains["integration"].level is None
    assert "service" not in mat.domains


def test_q2_needs_enough_records_and_handles_na():
    ms = island()
    ms["automation.leads.routing_determinism"] = m("automation.leads.routing_determinism", 0.95, 12, 12)
    assert infer(ms, ALL_LOADED, CFG, "en").questions["Q2"].level_signal is None
    ms["automation.leads.routing_determinism"] = m("automation.leads.routing_determinism", None,
                                                   reason="a single owner: assignment cannot be judged")
    a = infer(ms, ALL_LOADED, CFG, "en").questions["Q2"]
    assert a.level_signal is None and "single owner" in a.answer


def test_overall_level_caps_linked_domains_at_two():
    d = lambda n, lvl: Domain(n, lvl, 1.0, "", ())  # noqa: E731
    assert overall_level({"sales": d("sales", 3), "integration": d("integration", 2)}) == 3
    assert overall_level({"sales": d("sales", 3), "integration": d("integration", 1)}) == 1
    assert overall_level({"sales": d("sales", 2), "integration": d("integration", None)}) == 2
    assert overall_level({}) == 1


def test_russian_texts():
    mat = infer(island(), ALL_LOADED, CFG, "ru")
    assert "вручную" in mat.questions["Q2"].answer


def test_self_assessment_contradiction_is_flagged():
    mat = infer(island(), ALL_LOADED, CFG, "en")
    answers = compare(mat.questions, {"Q2": (2, "rules"), "Q5": (1, "no")}, "en")
    assert "0.12" in answers["Q2"].contradiction and "You say rules" in answers["Q2"].contradiction
    assert answers["Q5"].contradiction is None  # the claim matches the evidence


def test_recommendations_ordered_by_effect_and_tied_to_metrics():
    ms = island()
    recs = recommend(ms, infer(ms, ALL_LOADED, CFG, "en"), "en")
    assert recs, "an island company gets advice"
    effects = [r.effect for r in recs]
    assert effects == sorted(effects, reverse=True)
    assert all(r.metrics for r in recs)
    # level 1: no AI pilot, data and integration first
    assert not any("prediction" in r.title.lower() for r in recs)
    top = {r.metrics[0] for r in recs[:3]}
    assert top & {"cross.deals.won_without_document_share", "cross.counterparties.unmatched_share",
                  "duplicates.contacts.redundant_share"}


@pytest.mark.parametrize("loaded,expected_q1,missing_says", [
    # only 1C list exports: not "only CRM exports were given"
    ({"counterparties": 800, "documents": 3000}, "No CRM export was given: the 1C records have nothing to be linked to",
     "no telephony export"),
    # only a call log: not "only CRM", and the call log is not said to be missing
    ({"calls": 20000}, "No CRM export was given: the telephony records have nothing to be linked to", "no 1C export"),
    ({"counterparties": 800, "calls": 20000}, "No CRM export was given: the 1C, telephony records", "no deals export"),
    ({"deals": 5000, "contacts": 4000}, "Only CRM exports were given", "no 1C export"),
])
def test_messages_name_the_inputs_actually_loaded(loaded, expected_q1, missing_says):
    na = {mid: m(mid, None, reason=r) for mid, r in [
        ("cross.counterparties.unmatched_share", "no CRM companies loaded"),
        ("cross.deals.won_without_document_share", "no CRM deals loaded"),
        ("cross.payments.without_deal_share", "no CRM deals loaded"),
        ("cross.calls.inbound_unlinked_share", "no CRM contacts, companies or leads loaded"),
        ("process.calls.missed_without_callback_share", "no telephony export loaded"),
        ("process.leads.first_response_median_minutes", "no CRM leads loaded")]}
    mat = infer(na, loaded, CFG, "en")
    q1 = mat.questions["Q1"]
    assert q1.level_signal is None and q1.answer.startswith(expected_q1), q1.answer
    assert mat.domains["integration"].why == q1.answer
    assert any(x.startswith(missing_says) for x in mat.missing_inputs), mat.missing_inputs
    if loaded.get("calls"):
        assert not any("telephony" in x for x in mat.missing_inputs)
        assert "No 1C or telephony" not in mat.domains["service"].why
    if any(loaded.get(e) for e in ("counterparties", "documents", "payments")):
        assert not any(x.startswith("no 1C export") for x in mat.missing_inputs)


def test_q1_with_crm_and_1c_but_no_measurable_link_says_why():
    ms = {"cross.counterparties.unmatched_share": m("cross.counterparties.unmatched_share", None,
                                                     reason="no CRM companies loaded"),
          "cross.deals.won_without_document_share": m("cross.deals.won_without_document_share", None,
                                                       reason="no won deals"),
          "cross.payments.without_deal_share": m("cross.payments.without_deal_share", None, reason="no 1C payments loaded")}
    q1 = infer(ms, {"deals": 10, "documents": 5}, CFG, "ru").questions["Q1"]
    assert q1.answer.startswith("Выгрузки CRM и (1C) загружены, но связь между ними измерить не удалось:"), q1.answer
    assert "no won deals" in q1.answer

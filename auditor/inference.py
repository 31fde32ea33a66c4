"""From measurements to conclusions: the five questions, a level per domain, the overall level.

Pure functions of (metrics, which entities were loaded, config): no SQL, no files, so every
rule is unit-tested on hand-built metrics. Levels cannot be skipped: the overall level is the
lowest domain level, and level 3 needs all of level 2 plus enough clean history.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from checks.model import Metric
from connectors.model import InputError

from .messages import t
from .result import Answer, Blocker, Domain, Maturity

ONEC = ("counterparties", "documents", "payments")
CRM = ("companies", "contacts", "leads", "deals", "tasks")


def load_config(override: Path | None = None) -> dict:
    config = yaml.safe_load(resources.files(__package__).joinpath("maturity.yaml").read_text(encoding="utf-8"))
    if override is not None:
        try:
            user = yaml.safe_load(Path(override).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as err:
            raise InputError(f"{override}: cannot read the config ({str(err).splitlines()[0]}); fix the YAML") from None
        config = _merge(config, {k: v for k, v in user.items() if k != "thresholds"})
    return config


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return out


def _v(metrics: dict[str, Metric], mid: str) -> float | None:
    m = metrics.get(mid)
    return None if m is None else m.value


def _den(metrics: dict[str, Metric], mid: str) -> int:
    m = metrics.get(mid)
    return int(m.denominator or 0) if m is not None and m.denominator is not None else 0


def _num(metrics: dict[str, Metric], mid: str) -> int:
    m = metrics.get(mid)
    return int(m.numerator or 0) if m is not None and m.numerator is not None else 0


def _reason(metrics: dict[str, Metric], mid: str) -> str:
    m = metrics.get(mid)
    return (m.reason if m is not None and m.reason else "not measured") if m is None or m.value is None else ""


# ---------------------------------------------------------------- the five questions

def q1(metrics, loaded: dict[str, int], cfg: dict, lang: str) -> Answer:
    c = cfg["questions"]["Q1"]
    groups = []
    if any(loaded.get(e, 0) for e in ONEC):
        groups.append(("1C", c["linked_1c"]))
    if loaded.get("calls", 0):
        groups.append(("telephony" if lang == "en" else "телефония", c["linked_telephony"]))
    # every sentence names what was actually loaded (issue 11): a 1C-only or telephony-only run is not "only CRM"
    if not groups:
        return Answer("Q1", None, t("q1.crm_only" if _crm_loaded(loaded) else "q1.nothing", lang), ())
    names = ", ".join(n for n, _ in groups)
    if not _crm_loaded(loaded):
        return Answer("Q1", None, t("q1.no_crm", lang, systems=names), ())
    unlinked, evidence, detail = [], [], []
    for name, limits in groups:
        measured = [(mid, _v(metrics, mid), limit) for mid, limit in limits.items() if _v(metrics, mid) is not None]
        evidence += [mid for mid, _, _ in measured]
        failing = [(mid, v, limit) for mid, v, limit in measured if v > limit]
        detail += [f"{mid.split('.', 1)[1]} {v:.0%}" for mid, v, _ in measured]
        if measured and failing:
            unlinked.append(name)
    if not evidence:
        reasons = sorted({_reason(metrics, mid) for _, limits in groups for mid in limits})
        return Answer("Q1", None, t("q1.unmeasured", lang, systems=names, reasons="; ".join(reasons)), ())
    if unlinked:
        return Answer("Q1", 1, t("q1.unlinked", lang, n=1 + len(unlinked), systems=", ".join(unlinked), detail="; ".join(detail)),
                      tuple(evidence))
    return Answer("Q1", 2, t("q1.linked", lang, systems=", ".join(n for n, _ in groups), detail="; ".join(detail)), tuple(evidence))


def _crm_loaded(loaded: dict[str, int]) -> bool:
    return any(loaded.get(e, 0) for e in CRM)


def q2(metrics, loaded, cfg, lang) -> Answer:
    c = cfg["questions"]["Q2"]
    mid = "automation.leads.routing_determinism"
    v, n = _v(metrics, mid), _den(metrics, mid)
    if v is None:
        return Answer("Q2", None, t("q2.unknown", lang, reason=_reason(metrics, mid)), (mid,))
    if n < c["min_records"]:
        return Answer("Q2", None, t("q2.unknown", lang, reason=f"{n} < {c['min_records']} records"), (mid,))
    if v >= c["rules_min"]:
        return Answer("Q2", 2, t("q2.rules", lang, v=v, n=n), (mid,))
    key = "q2.manual" if v <= c["manual_max"] else "q2.mixed"
    return Answer("Q2", 1, t(key, lang, v=v, n=n), (mid,))


def q3(metrics, loaded, cfg, lang) -> Answer:
    c = cfg["questions"]["Q3"]
    mid = "automation.records.system_created_share"
    v = _v(metrics, mid)
    if v is None:
        return Answer("Q3", None, t("q3.unknown", lang, reason=_reason(metrics, mid)), (mid,))
    if v >= c["system_created_min"]:
        return Answer("Q3", 2, t("q3.acts", lang, share=v, n=_num(metrics, mid)), (mid,))
    return Answer("Q3", 1, t("q3.stores", lang, share=v), (mid,))


def q4(metrics, loaded, cfg, lang) -> Answer:
    c = cfg["questions"]["Q4"]
    mid = "automation.deals.score_auc"
    if not loaded.get("deals", 0):
        return Answer("Q4", None, t("q4.unknown", lang), (mid,))
    v = _v(metrics, mid)
    if v is None:
        return Answer("Q4", 1, t("q4.none", lang, reason=_reason(metrics, mid)), (mid,))
    if v >= c["auc_useful"]:
        return Answer("Q4", 3, t("q4.predicts", lang, v=v), (mid,))
    return Answer("Q4", 1, t("q4.weak", lang, v=v), (mid,))


def q5(metrics, loaded, cfg, lang) -> Answer:
    c = cfg["questions"]["Q5"]
    mid = "automation.records.bot_created_share"
    v = _v(metrics, mid)
    if v is None:
        return Answer("Q5", None, t("q5.unknown", lang, reason=_reason(metrics, mid)), (mid,))
    if v >= c["bot_created_min"]:
        return Answer("Q5", 3, t("q5.bots", lang, share=v, n=_num(metrics, mid)), (mid,))
    return Answer("Q5", 1, t("q5.none", lang, d=_den(metrics, mid)), (mid,))


QUESTIONS = {"Q1": q1, "Q2": q2, "Q3": q3, "Q4": q4, "Q5": q5}


# ---------------------------------------------------------------- domains and the overall level

def level3_blockers(metrics, cfg, lang) -> list[Blocker]:
    c = cfg["level3"]
    out = []
    closed = _v(metrics, "volume.deals.closed_count")
    if closed is None or closed < c["closed_deals_min"]:
        out.append(Blocker(t("blocker.volume", lang, v=int(closed or 0)), ("volume.deals.closed_count",)))
    checks = (
        ("refusal.deals.lost_without_reason_share", c["lost_without_reason_max"], "blocker.reasons"),
        ("refusal.deals.catch_all_reason_share", c["catch_all_reason_max"], "blocker.catch_all"),
        ("duplicates.contacts.redundant_share", c["contact_duplicates_max"], "blocker.duplicates"),
    )
    for mid, limit, key in checks:
        v = _v(metrics, mid)
        if v is not None and v > limit:
            out.append(Blocker(t(key, lang, v=v), (mid,), _num(metrics, mid)))
    return out


def sales_domain(answers: dict[str, Answer], metrics, cfg, lang) -> Domain:
    q2s, q3s = answers["Q2"].level_signal, answers["Q3"].level_signal
    qs = ("Q2", "Q3", "Q4", "Q5")
    if q2s is None and q3s is None:
        return Domain("sales", None, 0.0, t("q2.unknown", lang, reason="no leads or deals"), qs)
    blockers = []
    if q2s != 2:
        blockers.append(Blocker(t("blocker.q2", lang), answers["Q2"].evidence))
    if q3s != 2:
        blockers.append(Blocker(t("blocker.q3", lang), answers["Q3"].evidence))
    if blockers:
        return Domain("sales", 1, _domain_conf(answers, qs), t("domain.sales.1", lang), qs, tuple(blockers))
    l3 = level3_blockers(metrics, cfg, lang)
    smart = answers["Q4"].level_signal == 3 or answers["Q5"].level_signal == 3
    if smart and not l3:
        return Domain("sales", 3, _domain_conf(answers, qs), t("domain.sales.3", lang), qs)
    if not smart:
        l3.append(Blocker(t("blocker.prediction", lang), ("automation.deals.score_auc", "automation.records.bot_created_share")))
    return Domain("sales", 2, _domain_conf(answers, qs), t("domain.sales.2", lang), qs, tuple(l3))


def integration_domain(answers: dict[str, Answer], lang) -> Domain:
    a = answers["Q1"]
    if a.level_signal is None:  # Q1 says why, from the inputs loaded
        return Domain("integration", None, 0.0, a.answer, ("Q1",))
    if a.level_signal == 1:
        return Domain("integration", 1, 1.0, t("domain.integration.1", lang), ("Q1",), (Blocker(t("blocker.q1", lang), a.evidence),))
    return Domain("integration", 2, 1.0, t("domain.integration.2", lang), ("Q1",))


def service_domain(metrics, loaded, cfg, lang) -> Domain | None:
    if not loaded.get("calls", 0):
        return None
    c = cfg["service"]
    missed = _v(metrics, "process.calls.missed_without_callback_share")
    first = _v(metrics, "process.leads.first_response_median_minutes")
    ids = ("process.calls.missed_without_callback_share", "process.leads.first_response_median_minutes")
    if missed is None and first is None:
        return Domain("service", None, 0.0, t("domain.service.none", lang, reason=_reason(metrics, ids[0])), ())
    ok = (missed is None or missed <= c["missed_without_callback_max"]) and (first is None or first <= c["first_response_minutes_max"])
    if ok:
        return Domain("service", 2, 1.0, t("domain.service.2", lang), ())
    return Domain("service", 1, 1.0, t("domain.service.1", lang), (), (Blocker(t("blocker.service", lang), ids,
                  _num(metrics, "process.calls.missed_without_callback_share")),))


def _domain_conf(answers, qs) -> float:
    known = [q for q in qs if answers[q].level_signal is not None]
    return round(len(known) / len(qs), 3)


def missing_inputs(loaded: dict[str, int], cfg: dict, lang: str) -> tuple[list[str], float]:
    """Which exports are missing, what each costs the conclusion, and the resulting confidence."""
    costs = cfg["confidence"]["missing"]
    missing, penalty = [], 0.0
    for key, cost in costs.items():
        present = any(loaded.get(e, 0) for e in ONEC) if key == "onec" else loaded.get(key, 0) > 0
        if not present:
            missing.append(t(f"missing.{key}", lang))
            penalty += cost
    return missing, max(0.05, round(1.0 - penalty, 3))


def overall_level(domains: dict[str, Domain]) -> int:
    """The lowest domain level (no skipping). Integration and service top out at 2 ("linked",
    "SLA enforced"), which is all level 3 asks of them; level 3 itself comes from sales."""
    levels = {k: d.level for k, d in domains.items() if d.level is not None}
    if not levels:
        return 1
    if levels.get("sales") == 3 and all(v >= 2 for k, v in levels.items() if k != "sales"):
        return 3
    return min(min(levels.values()), 2)


def infer(metrics: dict[str, Metric], loaded: dict[str, int], cfg: dict, lang: str = "en") -> Maturity:
    answers = {q: fn(metrics, loaded, cfg, lang) for q, fn in QUESTIONS.items()}
    domains = {"sales": sales_domain(answers, metrics, cfg, lang), "integration": integration_domain(answers, lang)}
    service = service_domain(metrics, loaded, cfg, lang)
    if service is not None:
        domains["service"] = service
    level = overall_level(domains)
    levels = [d.level for d in domains.values() if d.level is not None]
    missing, confidence = missing_inputs(loaded, cfg, lang)
    if not levels:
        confidence = min(confidence, 0.1)
    # the blockers to the next overall level are those of the domains at the current level
    blockers = tuple(b for d in domains.values() if d.level == level for b in d.blockers)
    return Maturity(level, confidence, domains, answers, blockers, tuple(missing))

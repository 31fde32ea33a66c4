"""The scorecard's history sections: "since the audit of <date>" (with --baseline) and the roadmap
(always, the last section). Template context only; templates/baseline_section.html.j2 and
templates/roadmap_section.html.j2 lay them out."""
from __future__ import annotations

from checks.catalogue import direction as declared_direction

from . import history_format as H

TOP = 8   # improvements / regressions shown in the "since" section


def _unit(result, mid: str) -> str:
    m = result.metrics.get(mid)
    return m.unit if m is not None else "share"


def baseline(result, lang: str) -> dict | None:
    b = result.baseline
    if b is None:
        return None
    rows = []
    for m in b["metrics"]:
        unit = _unit(result, m["id"])
        rows.append({"id": m["id"], "label": H.label(m["id"], lang), "before": H.value(m["before"], unit, lang),
                     "after": H.value(m["after"], unit, lang), "delta": H.delta(m["delta"], unit, lang),
                     "change": m["change"], "change_text": H.text(m["change"], lang),
                     "size": abs(m["delta"] or 0) if unit in ("share", "ratio", "auc") else
                     abs(m["delta"] or 0) / max(abs(m["before"] or 0), abs(m["after"] or 0), 1e-9)})
    counts = {k: sum(1 for r in rows if r["change"] == k) for k in ("better", "worse", "same")}
    pick = lambda k: sorted((r for r in rows if r["change"] == k), key=lambda r: (-r["size"], r["id"]))[:TOP]  # noqa: E731
    records = H.records_rows(b.get("records") or {}, lang)
    domains = [{"name": H.domain_name(k, lang), "before": v,
                "after": result.maturity.domains[k].level if k in result.maturity.domains else None}
               for k, v in (b.get("domains") or {}).items()]
    return {"title": H.text("b_title", lang, date=H.date(b["as_of"], lang)),
            "level": H.text("b_level", lang, a=b.get("level") or "?", b=result.maturity.level),
            "level_before": b.get("level"), "level_after": result.maturity.level, "domains": domains,
            "counts": H.text("b_counts", lang, **counts), "better": pick("better"), "worse": pick("worse"),
            "records": records}


def roadmap(result, lang: str) -> dict:
    stages = []
    for n, s in enumerate(result.roadmap, 1):
        unit = lambda mid: _unit(result, mid) if mid else "share"  # noqa: E731
        domain = H.domain_name(s.domain, lang)
        stages.append({
            "title": H.text("r_stage", lang, n=n, domain=domain, a=s.from_level if s.from_level else "?", b=s.to_level),
            "to": s.to_level,
            "effect": H.text("r_effect", lang, domain=domain, b=s.to_level, o=s.overall_after),
            "steps": [{"metric": st.metric, "label": H.label(st.metric, lang) if st.metric else H.text("missing_input", lang),
                       "now": H.value(st.now, unit(st.metric), lang), "target": H.value(st.target, unit(st.metric), lang),
                       "records": H.value(st.records, "count", lang) if st.records is not None else "—",
                       "ok_at": H.value(st.ok_at, unit(st.metric), lang) if st.ok_at is not None else None,
                       "ok_sign": "<" if st.metric and declared_direction(st.metric) == "lower" else ">",
                       "action": st.action, "work_list": st.work_list} for st in s.steps],
        })
    return {"stages": stages}


def context(result, lang: str) -> dict:
    lang = lang if lang in ("en", "ru") else "en"
    return {"baseline": baseline(result, lang), "roadmap": roadmap(result, lang),
            "HT": {k: H.text(k, lang) for k in H.TEXTS}}

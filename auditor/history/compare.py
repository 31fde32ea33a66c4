"""`crm-audit compare`: several audits of one company over time → comparison.json, .html, .xlsx.

Audits are ordered by `as_of`. Every metric present in any of them gets its value per audit
(null where absent or not evaluated), `delta` = last − first and `change` judged by the
metric's declared direction (checks.catalogue.direction; "n/a" when either end is null or the
direction is unknown). Records (fixed / remaining / new) compare the first audit with the last.
"""
from __future__ import annotations

import math
from pathlib import Path

from checks.catalogue import direction as declared_direction

from .audits import PastAudit, load_audit
from .records import Side, compare_records

EPS = 1e-9
SCALED_UNITS = ("share", "ratio", "auc")   # bounded in [0, 1]: deltas compare as they are


def change_of(before, after, direction: str | None) -> tuple[float | None, str]:
    """(delta, "better" | "worse" | "same" | "n/a") of one metric between two values."""
    if before is None or after is None:
        return None, "n/a"
    delta = round(float(after) - float(before), 6)
    if direction not in ("lower", "higher"):
        return delta, "n/a"
    if abs(delta) < EPS:
        return 0.0, "same"
    improved = delta < 0 if direction == "lower" else delta > 0
    return delta, "better" if improved else "worse"


def magnitude(first, last, unit: str) -> float:
    """How big a change is, comparable across units: shares in absolute points, counts and
    minutes relative to the larger of the two values."""
    if first is None or last is None:
        return 0.0
    d = abs(float(last) - float(first))
    if unit in SCALED_UNITS:
        return d
    scale = max(abs(float(first)), abs(float(last)))
    return d / scale if scale else 0.0


def _unit(audits: list[PastAudit], mid: str) -> str:
    for a in audits:
        m = a.doc["metrics"].get(mid)
        if m and m.get("unit"):
            return m["unit"]
    return "share"


def _value(a: PastAudit, mid: str):
    v = a.value(mid)
    return v if v is None or (isinstance(v, int | float) and math.isfinite(v)) else None


def compare(audits: list[PastAudit], *, with_records: bool = True) -> dict:
    """The comparison document (written as comparison.json)."""
    audits = sorted(audits, key=lambda a: a.as_of)  # stable: equal dates keep the order given
    ids: dict[str, None] = {}
    for a in audits:
        ids.update(dict.fromkeys(a.doc["metrics"]))
    metrics = []
    for mid in ids:
        values = [_value(a, mid) for a in audits]
        direction = declared_direction(mid)
        delta, change = change_of(values[0], values[-1], direction)
        unit = _unit(audits, mid)
        metrics.append({"id": mid, "values": values, "delta": delta, "change": change, "direction": direction,
                        "unit": unit, "magnitude": round(magnitude(values[0], values[-1], unit), 6)})
    doc = {
        "audits": [{"as_of": a.as_of, "source": a.source, "level": a.level, "domains": a.domains} for a in audits],
        "metrics": metrics,
        "records": {},
    }
    if with_records and len(audits) >= 2:
        first, last = audits[0], audits[-1]
        doc["records"] = {"from": first.as_of, "to": last.as_of,
                          "metrics": compare_records(Side(first.doc, first.db), Side(last.doc, last.db))}
    return doc


def ranked(doc: dict, change: str, limit: int = 10) -> list[dict]:
    """The biggest improvements (change="better") or regressions ("worse"), biggest first."""
    rows = [m for m in doc["metrics"] if m["change"] == change]
    return sorted(rows, key=lambda m: (-m["magnitude"], m["id"]))[:limit]


def run_compare(args: list[str], out_dir: Path, lang: str = "en") -> dict:
    """Load the audits, write comparison.json, comparison.html and comparison.xlsx into out_dir."""
    import json

    from ..report.comparison_html import write_comparison_html
    from ..report.history_xlsx import write_comparison_xlsx

    audits = [load_audit(a) for a in args]
    doc = compare(audits)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "comparison.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    write_comparison_html(doc, out_dir / "comparison.html", lang)
    write_comparison_xlsx(doc, out_dir / "comparison.xlsx", lang)
    return doc

"""`crm-audit run ... --baseline PREVIOUS`: the change since an earlier audit, as audit.json's `baseline`.

`{"as_of", "level", "domains", "source", "metrics": [{"id", "before", "after", "delta", "change"}],
"records": {metric: {fixed, remaining, new, ...}}}`: every metric of either audit, judged by its
declared direction (compare.change_of); records from both audits' full evidence (records.py).
"""
from __future__ import annotations

from pathlib import Path

from checks.catalogue import direction as declared_direction

from .audits import PastAudit
from .compare import change_of
from .records import TABLE, Side, compare_records


def baseline_block(prev: PastAudit, metrics: dict, con=None, own_db: Path | None = None,
                   paths: list[str] | None = None) -> dict:
    """`con`: the running audit's connection holding its meta.evidence; `own_db`: its database file
    (an earlier audit written to the same folder has just been replaced by it, so its ids come from
    its audit.json only); `paths`: the running audit's input files."""
    ids = dict.fromkeys(prev.doc["metrics"])
    ids.update(dict.fromkeys(metrics))
    rows = []
    for mid in ids:
        before = prev.value(mid)
        m = metrics.get(mid)
        after = None if m is None else m.value
        delta, change = change_of(before, after, declared_direction(mid))
        rows.append({"id": mid, "before": before, "after": after, "delta": delta, "change": change})
    block = {"as_of": prev.as_of, "level": prev.level, "domains": prev.domains, "source": prev.source,
             "metrics": rows}
    if con is not None:
        db = prev.db
        if db is not None and own_db is not None and Path(db).resolve() == Path(own_db).resolve():
            db = None
        now = Side({"metrics": {k: {"value": m.value} for k, m in metrics.items()}}, paths=list(paths or []))
        block["records"] = compare_records(Side(prev.doc, db), now, con, own_table=TABLE)
    return block


def to_json(block: dict) -> dict:
    """audit.json keeps the record counts; the ids (up to records.ID_CAP each) go to scorecard.xlsx."""
    out = dict(block)
    if "records" in out:
        out["records"] = {k: {kk: vv for kk, vv in v.items() if kk != "ids"} for k, v in out["records"].items()}
    return out

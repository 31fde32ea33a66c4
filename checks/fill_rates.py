"""Fill rate of every canonical field of every entity, from one scan per entity.

The contract's completeness metrics (completeness.py) keep their own exact definitions; this
family covers every other field, so a scorecard can show which fields a team never fills.
"""
from __future__ import annotations

from connectors.canonical import schema

from .model import Check

CONTRACT = {("contacts", "phone"), ("contacts", "email"), ("companies", "inn"), ("deals", "amount"),
            ("deals", "source"), ("counterparties", "inn")}
_SKIP = {"record_id", "context", "channel", "app"}  # ids: checked for uniqueness, not "filled"; PBX leg plumbing: no one fills it


def _blank(field: str, kind: str) -> str:
    # NULL tests, not a regex per cell: that was most of this family's time on a 10M-row call log
    return schema.blank_sql(f"{field}_raw" if kind == "inn" else field, kind)


def prepare_sql() -> list[str]:
    """One statement per entity: filled counts of all its fields in a single scan."""
    out = ["CREATE OR REPLACE TABLE dq.fill_rates (entity VARCHAR, field VARCHAR, filled BIGINT, total BIGINT)"]
    for entity in schema.entities():
        cols = [(f, k) for f, k in schema.fields(entity).items() if f not in _SKIP]
        selects = ", ".join(f"count(*) FILTER (WHERE NOT ({_blank(f, k)})) AS \"{f}\"" for f, k in cols)
        unpivot = " UNION ALL ".join(f"SELECT '{entity}', '{f}', \"{f}\", n FROM c" for f, _ in cols)
        out.append(f"INSERT INTO dq.fill_rates WITH c AS (SELECT count(*) AS n, {selects} FROM stg.{entity}) {unpivot}")
    return out


def _check(entity: str, field: str, kind: str) -> Check:
    return Check(
        id=f"completeness.{entity}.{field}",
        dimension="completeness",
        entity=entity,
        description=f"Share of {entity} with a non-blank {field}",
        needs=(entity,),
        measure=(f"SELECT filled, total, filled / nullif(total, 0) FROM dq.fill_rates "
                 f"WHERE entity = '{entity}' AND field = '{field}'"),
        evidence=f"SELECT ref FROM stg.{entity} WHERE {_blank(field, kind)} ORDER BY _file, _record",
        prepare=("fill_rates",),
        evidence_total="complement",
        direction="higher",   # a fill rate going up is better
    )


CHECKS = tuple(
    _check(entity, field, kind)
    for entity in schema.entities()
    for field, kind in schema.fields(entity).items()
    if field not in _SKIP and (entity, field) not in CONTRACT
)

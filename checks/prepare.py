"""Preparation steps shared by several checks, run once per audit in the `dq` schema.

Each step is named; its SQL lives in checks/sql/prepare/<name>.sql (several statements) or,
where Python must help (fuzzy matching), in the module named below. Steps run in the order
checks ask for them; a debug run can call `run(name, con, params)` one by one.
"""
from __future__ import annotations

from .dedup import crm as dedup
from .sqlfile import script


def _fill_rates(con, params: dict) -> None:
    from .fill_rates import prepare_sql

    for statement in prepare_sql():
        con.execute(statement)


def _loss_reason_columns(con, params: dict) -> None:
    """Which column of which deals file gave the loss reason, and how it was found (meta.columns)."""
    has_meta = con.execute("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'meta' "
                           "AND table_name = 'columns' AND column_name = 'matched_by'").fetchone()[0]
    source = ("SELECT path, source_column, matched_by FROM meta.columns WHERE entity = 'deals' AND field = 'loss_reason'"
              if has_meta else "SELECT NULL::VARCHAR AS path, NULL::VARCHAR AS source_column, NULL::VARCHAR AS matched_by "
                               "WHERE false")
    con.execute(f"CREATE OR REPLACE TABLE dq.loss_reason_columns AS {source}")


STEPS: dict[str, object] = {
    "fill_rates": _fill_rates,
    "loss_reason_columns": _loss_reason_columns,
    "dedup_contacts": dedup.dedup_contacts,
    "dedup_companies": dedup.dedup_companies,
    "dedup_counterparties": dedup.dedup_counterparties,
}


def run(name: str, con, params: dict) -> None:
    step = STEPS.get(name)
    if callable(step):
        step(con, params)
        return
    sql = script(f"prepare/{name}")
    for statement in [s.strip() for s in sql.split(";\n") if s.strip()]:
        used = {k: v for k, v in params.items() if f"${k}" in statement}
        con.execute(statement, used)

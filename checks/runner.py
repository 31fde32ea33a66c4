"""Run the check catalogue over a loaded DuckDB database.

One call runs every check: preparation steps shared by several checks (person clustering,
call grouping, cross-system matching) run once, in order, and only when a check needs them;
a check whose inputs are missing yields value None, status "n/a" and a reason, never an
exception and never a silent 0.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from . import prepare
from .catalogue import CHECKS
from .model import Check, Evidence, Metric
from .reference import Reference, reference
from .sqlfile import script
from .thresholds import Thresholds, load_thresholds

log = logging.getLogger(__name__)
EVIDENCE_CAP = 50

@dataclass
class RunResult:
    as_of: dt.date
    metrics: dict[str, Metric]
    timings: dict[str, float] = field(default_factory=dict)
    reference: Reference | None = None


def reference_date(con: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> dt.date:
    """The default reference date: the latest real event in the exports (checks/reference.py)."""
    return reference(con, None, today).as_of


def row_counts(con) -> dict[str, int]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'stg' AND table_name <> 'phone_map'"
    ).fetchall()
    return {t: con.execute(f"SELECT count(*) FROM stg.{t}").fetchone()[0] for (t,) in rows}


def run_checks(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date | None = None,
    thresholds: Thresholds | None = None,
    only: Callable[[Check], bool] | None = None,
    progress: Callable[[str], None] | None = None,
) -> RunResult:
    thresholds = thresholds or load_thresholds()
    ref = reference(con, as_of)
    as_of = ref.as_of
    counts = row_counts(con)
    con.execute("CREATE SCHEMA IF NOT EXISTS dq")
    con.execute(script("macros"))
    done: set[str] = set()
    timings: dict[str, float] = {}
    metrics: dict[str, Metric] = {}
    params = {"as_of": dt.datetime.combine(as_of, dt.time.max)}
    for check in CHECKS:
        if only and not only(check):
            continue
        missing = [t for t in check.needs if counts.get(t, 0) == 0]
        if missing:
            metrics[check.id] = _not_available(check, missing)
            continue
        if check.reads is not None and not column_filled(con, check.reads):
            metrics[check.id] = Metric(check.id, check.dimension, None, "n/a", check.unit, reason=check.reads.reason(),
                                       description=check.description)
            continue
        for step in check.prepare:
            if step not in done:
                t0 = time.perf_counter()
                if progress:
                    progress(f"preparing {step}")
                prepare.run(step, con, params)
                timings[f"prepare.{step}"] = time.perf_counter() - t0
                done.add(step)
        t0 = time.perf_counter()
        metrics[check.id] = measure(con, check, params, thresholds)
        timings[check.id] = time.perf_counter() - t0
    return RunResult(as_of=as_of, metrics=metrics, timings=timings, reference=ref)


def column_filled(con, reads) -> bool:
    """Whether any record of the population the check counts has a value in the column it reads (an empty
    population is left to the measure, which says so in its own words)."""
    pop = f"SELECT 1 FROM stg.{reads.table} WHERE ({reads.where})"
    sql = f"SELECT NOT EXISTS ({pop}) OR EXISTS ({pop} AND ({reads.column}) IS NOT NULL)"
    return bool(con.execute(sql).fetchone()[0])


def field_rules(con, reads) -> list[dict]:
    """How the column a check reads was derived (meta.field_rules, e.g. Bitrix24 CLOSEDATE), for its evidence."""
    try:
        rows = con.execute("SELECT system, rule, records FROM meta.field_rules WHERE entity = ? AND field = ? ORDER BY system",
                           [reads.table, reads.column]).fetchall()
    except duckdb.CatalogException:
        return []
    return [{"system": s, "rule": r, "records": n} for s, r, n in rows]


def derived_inputs(con, entities: set[str]) -> list[dict]:
    """Entities of a check that were built from other records (meta.derived, e.g. 1C counterparties
    taken from CommerceML documents), so its evidence says what it counted."""
    try:
        rows = con.execute("SELECT entity, file, records, rule FROM meta.derived WHERE entity IN (SELECT unnest(?)) "
                           "ORDER BY entity, file", [sorted(entities)]).fetchall()
    except duckdb.CatalogException:
        return []
    return [{"entity": e, "file": f, "records": n, "rule": r} for e, f, n, r in rows]


def _not_available(check: Check, missing: list[str]) -> Metric:
    reason = check.needs_reason or ("no " + " / ".join(missing) + " loaded")
    return Metric(check.id, check.dimension, None, "n/a", check.unit, reason=reason, description=check.description)


def measure(con, check: Check, params: dict, thresholds: Thresholds) -> Metric:
    sql = check.measure
    try:
        row = con.execute(sql, _used(sql, params)).fetchone()
    except duckdb.Error as err:
        raise RuntimeError(f"check {check.id} failed: {err}\n--- SQL ---\n{sql}") from err
    numerator, denominator, value = row[0], row[1], row[2]
    reason = row[3] if len(row) > 3 else None
    details = json.loads(row[4]) if len(row) > 4 and row[4] else {}
    details = {"breakdown": details} if isinstance(details, list) else details
    if value is None:
        reason = reason or (f"no {check.entity} to measure (denominator is 0)" if not denominator else "not measurable")
        return Metric(check.id, check.dimension, None, "n/a", check.unit, _num(numerator), _num(denominator),
                      reason=reason, description=check.description)
    value = float(value)
    threshold = thresholds.get(check.id)
    status = threshold.judge(value) if threshold else "ok"
    evidence = _evidence(con, check, params, numerator, denominator) if check.evidence else None
    if check.reads is not None and (rules := field_rules(con, check.reads)):
        details = {**details, "field_rules": rules}
    if derived := derived_inputs(con, {check.entity, *check.needs}):
        details = {**details, "derived": derived}
    return Metric(check.id, check.dimension, round(value, 6), status, check.unit, _num(numerator), _num(denominator),
                  evidence=evidence, description=check.description, details=details)


def _evidence(con, check: Check, params: dict, numerator=None, denominator=None) -> Evidence:
    sql = check.evidence
    p = _used(sql, params)
    if check.evidence_total == "complement" and numerator is not None and denominator is not None:
        total = int(denominator) - int(numerator)
    elif check.evidence_total == "numerator" and numerator is not None:
        total = int(numerator)
    else:
        total = con.execute(f"SELECT count(*) FROM ({sql})", p).fetchone()[0]
    ids = [str(r[0]) for r in con.execute(f"SELECT * FROM ({sql}) LIMIT {EVIDENCE_CAP}", p).fetchall()]
    return Evidence(check.entity, tuple(ids), int(total), EVIDENCE_CAP, sql.strip())


def _used(sql: str, params: dict) -> dict:
    return {k: v for k, v in params.items() if f"${k}" in sql}


def _num(x):
    if x is None:
        return None
    f = float(x)
    return int(f) if f.is_integer() else f

"""The DuckDB query that computes what a GX suite computes: per expectation, the unexpected
rows and the rows skipped as missing, with GX's NULL rules (checks/gx/spec.py MISSING_RULES).

Used to measure what GX costs against plain SQL (bench/gx_cost.py) and to cross-check GX's
numbers in tests. One scan for the row-wise expectations, one GROUP BY per uniqueness one.
"""
from __future__ import annotations

import datetime as dt

from . import spec as S


def literal(v) -> str:
    if isinstance(v, str):
        return "'" + v.replace("'", "''") + "'"
    if isinstance(v, dt.datetime):
        return f"TIMESTAMP '{v.isoformat(sep=' ')}'"
    if isinstance(v, dt.date):
        return f"DATE '{v.isoformat()}'"
    if isinstance(v, bool) or v is None:
        raise ValueError(f"no SQL literal for {v!r}")
    return repr(v)


def _conditions(e: S.Exp) -> tuple[str, str]:
    """(unexpected, missing) row predicates of a row-wise expectation."""
    k = e.kwargs
    if e.type == S.NOT_NULL:
        return f"{k['column']} IS NULL", "false"
    col = k.get("column")
    if e.type == S.REGEX:
        return f"NOT regexp_matches(CAST({col} AS VARCHAR), {literal(k['regex'])})", f"{col} IS NULL"
    if e.type == S.IN_SET:
        return f"{col} NOT IN ({', '.join(literal(v) for v in k['value_set'])})", f"{col} IS NULL"
    if e.type == S.BETWEEN:
        parts = []
        if k.get("min_value") is not None:
            parts.append(f"{col} {'<=' if k.get('strict_min') else '<'} {literal(k['min_value'])}")
        if k.get("max_value") is not None:
            parts.append(f"{col} {'>=' if k.get('strict_max') else '>'} {literal(k['max_value'])}")
        return " OR ".join(parts), f"{col} IS NULL"
    if e.type == S.PAIR_GT:
        a, b = k["column_A"], k["column_B"]
        return f"NOT ({a} {'>=' if k.get('or_equal') else '>'} {b})", f"({a} IS NULL OR {b} IS NULL)"
    raise ValueError(e.type)


def equivalent_sql(suite: S.SuiteSpec) -> str:
    """One row: `rows`, then `<metric_id>|unexpected` and `<metric_id>|missing` per expectation."""
    frame = suite.frame_sql(ordered=False)
    cols = ["count(*) AS \"rows\""]
    for e in suite.expectations:
        mid = e.metric_id(suite.entity)
        if e.whole_table:
            keys = ", ".join(e.columns)
            present = " AND ".join(f"{c} IS NOT NULL" for c in e.columns)
            cols.append(f"(SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM f WHERE {present} "
                        f"GROUP BY {keys} HAVING count(*) > 1)) AS \"{mid}|unexpected\"")
            cols.append(f"count(*) FILTER (WHERE NOT ({present})) AS \"{mid}|missing\"")
            continue
        bad, missing = _conditions(e)
        cols.append(f"count(*) FILTER (WHERE NOT ({missing}) AND ({bad})) AS \"{mid}|unexpected\"")
        cols.append(f"count(*) FILTER (WHERE {missing}) AS \"{mid}|missing\"")
    return f"WITH f AS ({frame}) SELECT {', '.join(cols)} FROM f"


def run_equivalent(con, suite: S.SuiteSpec) -> dict[str, dict[str, int]]:
    """{metric_id: {"element_count", "unexpected_count", "missing_count"}} computed in DuckDB."""
    cur = con.execute(equivalent_sql(suite))
    names = [d[0] for d in cur.description]
    row = dict(zip(names, cur.fetchall()[0]))
    out: dict[str, dict[str, int]] = {}
    for e in suite.expectations:
        mid = e.metric_id(suite.entity)
        out[mid] = {"element_count": int(row["rows"]), "unexpected_count": int(row[f"{mid}|unexpected"]),
                    "missing_count": int(row[f"{mid}|missing"])}
    return out

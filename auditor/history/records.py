"""Records, not only rates: which of an earlier audit's problem records are fixed, remain, or are new.

audit.json keeps only the first 50 evidence ids of a metric, so every audit also keeps the full
evidence of its record-level metrics (those a manager works through: duplicate clusters, lost
deals without a reason, unmatched counterparties, unlinked callers, missed calls, stuck deals) in
audit.duckdb as `meta.evidence (metric, ref)`. Two audits are compared by attaching both databases
read-only and comparing the id sets in DuckDB. An audit without that table (audit.json alone)
still counts where its evidence in audit.json is complete (total ≤ the ids listed).

Only the source systems' own ids follow a record from one export to the next: where a source has
none (1C list exports, an amoCRM deal without an id), the ref is `file:line`, which names a
position, not a record (another folder, one row deleted above it, and it points elsewhere).
Such refs are left out of the counts and reported as `untracked`; a metric whose records all
lack an id is reported as not comparable by record rather than counted wrongly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

# metric → the scorecard.xlsx work list that lists its records (auditor/report/xlsx_report.py keys)
RECORD_METRICS: dict[str, str] = {
    "duplicates.contacts.redundant_share": "dup_contacts",
    "duplicates.companies.redundant_share": "dup_companies",
    "duplicates.counterparties.redundant_share": "dup_counterparties",
    "refusal.deals.lost_without_reason_share": "lost_no_reason",
    "cross.counterparties.unmatched_share": "unmatched_counterparties",
    "cross.companies.unmatched_share": "unmatched_companies",
    "cross.calls.inbound_unlinked_share": "callers_not_in_crm",
    "process.calls.missed_without_callback_share": "missed_not_returned",
    "process.deals.stuck_share": "stuck_deals",
}
TABLE = "meta.evidence"
ID_CAP = 5_000   # ids per metric and change kept for the XLSX (as the scorecard's work lists)


def store_evidence(con, metrics: dict, params: dict) -> int:
    """Write every evidence id of the record-level metrics into meta.evidence; returns the row count."""
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    con.execute(f"CREATE OR REPLACE TABLE {TABLE} (metric VARCHAR, ref VARCHAR)")
    for mid in RECORD_METRICS:
        m = metrics.get(mid)
        if m is None or m.value is None or m.evidence is None or not m.evidence.query:
            continue
        sql = m.evidence.query
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        # the evidence query's first column is the record's ref (checks/sqlfile.py)
        con.execute(f"INSERT INTO {TABLE} SELECT '{mid}', CAST(e.ref AS VARCHAR) FROM ({sql}) e", used)
    return con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]


@dataclass
class Side:
    """Where one audit's evidence comes from: its database, or the ids listed in its audit.json."""

    doc: dict
    db: Path | None = None
    paths: list[str] | None = None      # the audit's input files (default: audit.json `inputs`)
    measured: set[str] = field(default_factory=set)

    def __post_init__(self):
        self.measured = {mid for mid in RECORD_METRICS
                         if (self.doc.get("metrics", {}).get(mid) or {}).get("value") is not None}
        if self.paths is None:
            self.paths = [str(i.get("path")) for i in self.doc.get("inputs", []) if i.get("path")]

    def complete_json_ids(self, mid: str) -> list[str] | None:
        ev = (self.doc.get("metrics", {}).get(mid) or {}).get("evidence")
        if not ev or len(ev.get("ids", [])) < int(ev.get("total", 0)):
            return None
        return [str(i) for i in ev["ids"]]


def _has_table(con, alias: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'meta' "
                            "AND table_name = 'evidence'", [alias]).fetchone()[0])


def _split_positional(con, side: Side, name: str) -> dict[str, tuple[int, int]]:
    """Move `file:line` refs (records without a source id) of `side` out of temp table `name`;
    return per metric (refs left, refs moved out)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name}_paths (path VARCHAR)")
    if side.paths:
        con.executemany(f"INSERT INTO {name}_paths VALUES (?)", [(p,) for p in dict.fromkeys(side.paths)])
    where = f"EXISTS (SELECT 1 FROM {name}_paths p WHERE starts_with({name}.ref, p.path || ':'))"
    counts = {m: (0, n) for m, n in con.execute(f"SELECT metric, count(*) FROM {name} WHERE {where} GROUP BY metric").fetchall()}
    con.execute(f"DELETE FROM {name} WHERE {where}")
    for m, n in con.execute(f"SELECT metric, count(*) FROM {name} GROUP BY metric").fetchall():
        counts[m] = (n, counts.get(m, (0, 0))[1])
    con.execute(f"DROP TABLE {name}_paths")
    return counts


def _load(con, side: Side, name: str, own_table: str | None) -> set[str]:
    """Fill temp table `name` (metric, ref) for `side`; return the metrics whose ids are complete."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} (metric VARCHAR, ref VARCHAR)")
    if own_table:  # the running audit's own database
        con.execute(f"INSERT INTO {name} SELECT DISTINCT metric, ref FROM {own_table}")
        return set(side.measured)
    if side.db is not None and side.db.exists():
        alias = f"{name}_db"
        try:
            path = side.db.as_posix().replace("'", "''")   # a quote in a folder name stays a literal
            con.execute(f"ATTACH '{path}' AS {alias} (READ_ONLY)")
        except duckdb.Error:
            alias = None
        if alias:
            try:
                if _has_table(con, alias):
                    con.execute(f"INSERT INTO {name} SELECT DISTINCT metric, ref FROM {alias}.meta.evidence")
                    return set(side.measured)
            finally:
                con.execute(f"DETACH {alias}")
    complete = set()
    for mid in side.measured:
        ids = side.complete_json_ids(mid)
        if ids is not None:
            complete.add(mid)
            if ids:
                con.executemany(f"INSERT INTO {name} VALUES (?, ?)", [(mid, i) for i in dict.fromkeys(ids)])
    return complete


def compare_records(before: Side, after: Side, con=None, own_table: str | None = None) -> dict[str, dict]:
    """Per record-level metric: fixed (flagged before, not now), remaining (both), new (now only),
    with up to ID_CAP ids of each; `available: false` with a reason where either side cannot tell.

    `con` + `own_table`: the running audit's connection whose `own_table` is the after side."""
    own = con is None
    con = con if con is not None else duckdb.connect()
    try:
        ok_before = _load(con, before, "_ev_before", None)
        ok_after = _load(con, after, "_ev_after", own_table)
        split_before = _split_positional(con, before, "_ev_before")
        split_after = _split_positional(con, after, "_ev_after")
        out: dict[str, dict] = {}
        for mid in RECORD_METRICS:
            if mid not in before.measured or mid not in after.measured:
                continue
            (ids_b, pos_b), (ids_a, pos_a) = split_before.get(mid, (0, 0)), split_after.get(mid, (0, 0))
            if (pos_b and not ids_b) or (pos_a and not ids_a):
                out[mid] = {"available": False, "work_list": RECORD_METRICS[mid], "reason_code": "positional",
                            "reason": "its records have no id in their source (file:line), which does not "
                                      "identify a record from one export to the next"}
                continue
            if mid not in ok_before or mid not in ok_after:
                out[mid] = {"available": False, "work_list": RECORD_METRICS[mid], "reason_code": "capped",
                            "reason": "an audit keeps only the first ids of this metric (no audit.duckdb with "
                                      "meta.evidence beside its audit.json)"}
                continue
            out[mid] = _diff(con, mid)
            if pos_b or pos_a:   # a few records without a source id: left out of the three counts, said so
                out[mid]["untracked"] = {"before": pos_b, "after": pos_a}
        return out
    finally:
        con.execute("DROP TABLE IF EXISTS _ev_before")
        con.execute("DROP TABLE IF EXISTS _ev_after")
        if own:
            con.close()


def _diff(con, mid: str) -> dict:
    sql = """
        SELECT CASE WHEN a.ref IS NULL THEN 'fixed' WHEN b.ref IS NULL THEN 'new' ELSE 'remaining' END AS change,
               coalesce(b.ref, a.ref) AS ref
        FROM (SELECT ref FROM _ev_before WHERE metric = $m) b
        FULL JOIN (SELECT ref FROM _ev_after WHERE metric = $m) a ON a.ref = b.ref"""
    counts = dict(con.execute(f"SELECT change, count(*) FROM ({sql}) GROUP BY change", {"m": mid}).fetchall())
    ids = {k: [] for k in ("fixed", "remaining", "new")}
    rows = con.execute(f"""SELECT change, ref FROM (SELECT *, row_number() OVER (PARTITION BY change ORDER BY ref) AS n
                           FROM ({sql})) WHERE n <= {ID_CAP} ORDER BY change, ref""", {"m": mid}).fetchall()
    for change, ref in rows:
        ids[change].append(ref)
    return {"available": True, "work_list": RECORD_METRICS[mid], "fixed": int(counts.get("fixed", 0)),
            "remaining": int(counts.get("remaining", 0)), "new": int(counts.get("new", 0)), "ids": ids}

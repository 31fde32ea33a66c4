"""The duplicate engine: normalise → block → compare → cluster, as named SQL steps.

`plan(spec)` lists the steps (name, SQL, bind parameters) so a debug run can execute and inspect
them one by one; `run(con, spec)` executes them all. Every SQL statement is logged before it runs
and a failure carries the SQL. Outputs, in schema `dq` (`<p>` is the spec's prefix):

    <p>_records       the input shape (spec.py) with a row id `rid`
    <p>_keys          exact identifiers, one row per (record, kind, value)
    <p>_switchboards  shared values that are not evidence (switchboard / hub), with their holders
    <p>_rule_*        pairs found by each rule (shared key, strong id, name in group, name + key, fuzzy)
    <p>_candidates, <p>_compared   the fuzzy rule's blocked candidate pairs and their comparison
    <p>_pairs         (ref_l, ref_r, rule, detail, score, evidence, rid_l, rid_r, kept, note)
    <p>_components    (rid, c): connected components of the kept pairs
    <p>_explain       (cluster_id, rule, field, value, score, pairs, refs): why a cluster's records match
    <p>_clusters      (rid, ref, _file, _record, cluster_id, cluster_size, is_survivor, survivor_ref, ...)
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import duckdb

from connectors.canonical import schema
from connectors.canonical.build import install_macros

from ..sqlfile import script
from .components import components
from .spec import Spec

log = logging.getLogger(__name__)
MAX_VETO_ROUNDS = 10


@dataclass(frozen=True)
class Step:
    name: str
    sql: str
    params: dict = field(default_factory=dict)
    call: object = None                     # a Python step (the linkage's EM) instead of SQL


def fill_expr(entity: str | None) -> str:
    """Number of non-blank canonical fields of a record (the survivor is the most complete)."""
    if not entity:
        return "0"
    cols = [(name, kind) for name, kind in schema.fields(entity).items() if name != "record_id"]
    return "(" + " + ".join(f"CASE WHEN {schema.blank_sql(c, k)} THEN 0 ELSE 1 END" for c, k in cols) + ")"


def _sql(name: str, spec: Spec, **parts: str) -> str:
    text = script(f"prepare/{name}").replace("{p}", spec.prefix)
    for key, value in parts.items():
        text = text.replace("{" + key + "}", value)
    return text


def _labels(spec: Spec) -> dict:
    return {"name_label": spec.labels.get("name", "name"), "group_label": spec.labels.get("group", "group"),
            "strong_label": spec.labels.get("strong_id", "id")}


def plan(spec: Spec) -> list[Step]:
    """The SQL steps before clustering, in order."""
    p = spec.prefix
    records = spec.records.replace("{fill}", fill_expr(spec.fill_entity))
    steps = [
        Step("records", f"CREATE OR REPLACE TABLE dq.{p}_records AS "
                        f"SELECT row_number() OVER (ORDER BY _file, _record, ref) AS rid, * FROM (\n{records}\n)"),
        Step("keys", _sql("dedup_keys", spec),
             {"switchboard": spec.switchboard, "hub_names": spec.hub_names or 2**31 - 1}),
    ]
    labels = _labels(spec)
    rules = []
    if spec.shared_key:
        steps.append(Step("rule_shared_key", _sql("dedup_rule_shared_key", spec)))
        rules.append("shared_key")
    if spec.strong_id:
        steps.append(Step("rule_strong_id", _sql("dedup_rule_strong_id", spec), labels))
        rules.append("strong_id")
    if spec.name_group:
        steps.append(Step("rule_name_group", _sql("dedup_rule_name_group", spec), labels))
        rules.append("name_group")
    if spec.name_and_key:
        steps.append(Step("rule_name_and_key", _sql("dedup_rule_name_and_key", spec), {**labels, "max_block": 500}))
        rules.append("name_and_key")
    if spec.fuzzy:
        fz = spec.fuzzy
        confirm = ", ".join(
            f"CASE WHEN {c.agrees} THEN {{'field': '{c.field}', 'value': CAST({c.value} AS VARCHAR), 'score': CAST(1 AS DOUBLE)}} END"
            for c in fz.confirm)
        steps.append(Step("rule_fuzzy", _sql("dedup_rule_fuzzy", spec, blocks=", ".join(fz.blocks), confirm=confirm),
                          {**labels, "max_block": fz.max_block, "min_confirm": fz.min_confirm, "skip_exact_names": spec.name_group,
                           "partial_min_confirm": -1 if fz.partial_min_confirm is None else fz.partial_min_confirm}))
        rules.append("fuzzy")
    if spec.linkage:
        from . import linkage
        sure = tuple(f"dq.{p}_rule_{r}" for r in rules)
        steps.append(Step("linkage", "", call=lambda con: linkage.run(con, p, spec.linkage, sure)))
        rules.append("fs")
    union = " UNION ALL ".join(f"SELECT rid_l, rid_r, rule, score, evidence FROM dq.{p}_rule_{r}" for r in rules) or (
        "SELECT CAST(NULL AS BIGINT) AS rid_l, CAST(NULL AS BIGINT) AS rid_r, CAST(NULL AS VARCHAR) AS rule, "
        "CAST(NULL AS DOUBLE) AS score, CAST([] AS STRUCT(field VARCHAR, value VARCHAR, score DOUBLE)[]) AS evidence WHERE false")
    prob = ("fs.match_probability, fs.comparisons",
            f"LEFT JOIN dq.{p}_fs_evidence fs ON fs.rid_l = g.rid_l AND fs.rid_r = g.rid_r") if spec.linkage else (
        "CAST(NULL AS DOUBLE) AS match_probability, "
        "CAST(NULL AS STRUCT(field VARCHAR, value VARCHAR, score DOUBLE)[]) AS comparisons", "")
    steps.append(Step("pairs", _sql("dedup_pairs", spec, rules=union, probability=prob[0], probability_join=prob[1])))
    return steps


def execute(con, step: Step) -> None:
    if step.call is not None:
        step.call(con)
        return
    for statement in [s.strip() for s in step.sql.split(";\n") if s.strip()]:
        used = {k: v for k, v in step.params.items() if f"${k}" in statement}
        log.debug("dedup step %s:\n%s\n-- params %s", step.name, statement, used)
        try:
            con.execute(statement, used)
        except duckdb.Error as err:
            raise RuntimeError(f"duplicate step {step.name} failed: {err}\n--- SQL ---\n{statement}") from err


def _has_macro(con, name: str) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_functions() WHERE function_name = ? AND database_name = current_database()",
                       [name]).fetchone()[0] > 0


def install(con) -> None:
    """Schema `dq`, the canonical macros (blank, names, e-mails; present after a load, installed
    here for tables built by hand) and the name-comparison macros."""
    con.execute("CREATE SCHEMA IF NOT EXISTS dq")
    if not _has_macro(con, "fold_lookalikes"):
        install_macros(con)
    if not _has_macro(con, "dd_name_score"):
        con.execute(script("prepare/dedup_macros"))


def run(con, spec: Spec) -> dict[str, float]:
    """Run every step for one entity; returns seconds per step."""
    install(con)
    timings: dict[str, float] = {}
    for step in plan(spec):
        t0 = time.perf_counter()
        execute(con, step)
        timings[step.name] = time.perf_counter() - t0
    if spec.fuzzy:
        skipped = con.execute(f"SELECT count(*), coalesce(sum(records), 0) FROM dq.{spec.prefix}_blocks_skipped").fetchone()
        if skipped[0]:
            log.warning("%s: %d fuzzy blocks of more than %d records (%d records) skipped; see dq.%s_blocks_skipped",
                        spec.entity, skipped[0], spec.fuzzy.max_block, skipped[1], spec.prefix)
    t0 = time.perf_counter()
    cluster(con, spec)
    timings["cluster"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    execute(con, Step("clusters", _sql("dedup_clusters", spec)))
    timings["clusters"] = time.perf_counter() - t0
    return timings


def cluster(con, spec: Spec) -> None:
    """Connected components of the kept pairs. Where a component would join records with
    different strong ids (a record without INN matched by name + phone to two companies with
    different INNs), the weak pairs responsible are dropped (kept = false, with a note) and the
    components recomputed: two different valid INNs are never one company."""
    p = spec.prefix
    edges = f"SELECT rid_l AS a, rid_r AS b FROM dq.{p}_pairs WHERE kept"
    components(con, edges, f"dq.{p}_components")
    if not spec.strong_id:
        return
    strong_rule = "same_" + spec.labels.get("strong_id", "id")
    for _ in range(MAX_VETO_ROUNDS):
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _dd_conflicted AS
            SELECT cc.c FROM dq.{p}_components cc JOIN dq.{p}_records r USING (rid)
            WHERE r.strong_id IS NOT NULL GROUP BY cc.c HAVING count(DISTINCT r.strong_id) > 1""")
        if con.execute("SELECT count(*) FROM _dd_conflicted").fetchone()[0] == 0:
            break
        # records without a strong id whose weak pairs reach two or more different strong ids
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _dd_ambiguous AS
            WITH w AS (SELECT rid_l AS x, rid_r AS y FROM dq.{p}_pairs WHERE kept AND rule <> $rule
                       UNION SELECT rid_r, rid_l FROM dq.{p}_pairs WHERE kept AND rule <> $rule)
            SELECT w.x AS rid FROM w JOIN dq.{p}_records rx ON rx.rid = w.x JOIN dq.{p}_records ry ON ry.rid = w.y
            WHERE rx.strong_id IS NULL AND ry.strong_id IS NOT NULL
              AND w.x IN (SELECT rid FROM dq.{p}_components WHERE c IN (SELECT c FROM _dd_conflicted))
            GROUP BY w.x HAVING count(DISTINCT ry.strong_id) > 1""", {"rule": strong_rule})
        if con.execute("SELECT count(*) FROM _dd_ambiguous").fetchone()[0]:
            con.execute(f"""UPDATE dq.{p}_pairs SET kept = false,
                note = 'dropped: one side matches records with different ' || $label || 's'
                WHERE kept AND rule <> $rule AND (rid_l IN (SELECT rid FROM _dd_ambiguous) OR rid_r IN (SELECT rid FROM _dd_ambiguous))""",
                        {"rule": strong_rule, "label": spec.labels.get("strong_id", "id")})
        else:
            con.execute(f"""UPDATE dq.{p}_pairs SET kept = false,
                note = 'dropped: would join records with different ' || $label || 's'
                WHERE kept AND rule <> $rule
                  AND rid_l IN (SELECT rid FROM dq.{p}_components WHERE c IN (SELECT c FROM _dd_conflicted))""",
                        {"rule": strong_rule, "label": spec.labels.get("strong_id", "id")})
        components(con, edges, f"dq.{p}_components")
    con.execute("DROP TABLE IF EXISTS _dd_conflicted")
    con.execute("DROP TABLE IF EXISTS _dd_ambiguous")

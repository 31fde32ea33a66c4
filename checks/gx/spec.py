"""The expectations as plain data: what every loaded entity is expected to satisfy.

One suite per entity with rows (named after it, over the columns of `stg.<entity>` plus a few
derived ones) and one per list column that holds phone numbers or e-mails (`contacts.phones`,
`contacts.emails`: one row per number / address, so formats are judged per value, as the SQL
validity checks count them). Every expectation carries its quality dimension and a one-line
rationale in `meta`; nothing here imports Great Expectations.

Expectations on optional fields (formats, ranges, value sets, pairs) are added only when the
column holds at least one value in this load: an empty column says nothing about format and
would only add a vacuous "ok". Expectations on key fields are always added: a key field that
is empty everywhere is exactly what they must report.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from connectors.canonical import schema

# Formats. Anchored: GX's pandas regex is a search (`Series.str.contains`).
E164 = r"^\+[1-9]\d{6,14}$"
# The same language as the `email_valid` macro (connectors/canonical/macros.sql): its character
# class, no leading dot and no `..`, written without look-arounds so that DuckDB's RE2 runs it too.
_LOCAL = r"[a-z0-9!#$%&'*+/=?^_`{|}~\-]"
# Non-capturing groups: pandas warns about capturing groups in `str.contains` patterns.
EMAIL = rf"^{_LOCAL}+(?:\.{_LOCAL}+)*\.?@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{{2,}}$"
INN = r"^\d{10}(?:\d{2})?$"

DEAL_STATES = ("won", "lost", "open")
CALL_DIRECTIONS = ("inbound", "outbound", "internal", "transit")
PAYMENT_FLOWS = ("in", "out")

NOT_NULL = "expect_column_values_to_not_be_null"
REGEX = "expect_column_values_to_match_regex"
UNIQUE = "expect_column_values_to_be_unique"
COMPOUND_UNIQUE = "expect_compound_columns_to_be_unique"
IN_SET = "expect_column_values_to_be_in_set"
BETWEEN = "expect_column_values_to_be_between"
PAIR_GT = "expect_column_pair_values_a_to_be_greater_than_b"

SHORT = {NOT_NULL: "not_null", REGEX: "match_regex", UNIQUE: "unique", COMPOUND_UNIQUE: "compound_unique",
         IN_SET: "in_set", BETWEEN: "between", PAIR_GT: "a_gte_b"}

# How GX's pandas engine treats NULL (None / NaN / NaT) for each expectation type. The metric
# value is always unexpected_count ÷ element_count (all rows of the frame); GX's own
# `unexpected_percent` divides by the non-missing rows instead (kept in Metric.details).
MISSING_RULES = {
    NOT_NULL: "NULLs are the unexpected values: numerator = NULL rows, denominator = all rows "
              "(GX reports no missing_count for this type)",
    REGEX: "NULLs are skipped: counted in missing_count, neither expected nor unexpected",
    IN_SET: "NULLs are skipped: counted in missing_count, neither expected nor unexpected",
    BETWEEN: "NULLs are skipped: counted in missing_count, neither expected nor unexpected",
    UNIQUE: "NULLs are skipped; every row of a repeated value is unexpected (all copies, not copies - 1)",
    COMPOUND_UNIQUE: "rows with a NULL in any listed column are skipped (ignore_row_if=any_value_is_missing); "
                     "every row of a repeated combination is unexpected",
    PAIR_GT: "rows where either column is NULL are skipped (ignore_row_if=either_value_is_missing)",
}


# Every gx.* metric is unexpected_count ÷ element_count, so for each of them lower is better
# (checks/model.py Direction; `crm-audit compare` reads it through checks.catalogue.direction).
METRIC_DIRECTION = "lower"


@dataclass(frozen=True)
class Exp:
    type: str                     # GX expectation type (snake case, as in suite JSON)
    kwargs: dict
    dimension: str                # completeness | validity | uniqueness | consistency
    rationale: str
    key: bool = False             # always expected, even when the column is empty in this load

    @property
    def short(self) -> str:
        return SHORT[self.type]

    @property
    def columns(self) -> tuple[str, ...]:
        k = self.kwargs
        if "column_list" in k:
            return tuple(k["column_list"])
        if "column_A" in k:
            return (k["column_A"], k["column_B"])
        return (k["column"],)

    @property
    def label(self) -> str:
        if self.type == PAIR_GT:
            return f"{self.kwargs['column_A']}_vs_{self.kwargs['column_B']}"
        return "_".join(c.lstrip("_") for c in self.columns)

    @property
    def whole_table(self) -> bool:
        """Needs every row at once (uniqueness), so it is never split into batches."""
        return self.type in (UNIQUE, COMPOUND_UNIQUE)

    @property
    def missing_rule(self) -> str:
        return MISSING_RULES[self.type]

    @property
    def direction(self) -> str:
        return METRIC_DIRECTION

    def metric_id(self, entity: str) -> str:
        return f"gx.{entity}.{self.short}.{self.label}"

    def config(self, entity: str) -> dict:
        """The expectation as GX suite JSON (`{"type", "kwargs", "meta"}`)."""
        return {"type": self.type, "kwargs": dict(self.kwargs),
                "meta": {"dimension": self.dimension, "rationale": self.rationale,
                         "metric_id": self.metric_id(entity)}}


@dataclass(frozen=True)
class SuiteSpec:
    name: str                                   # suite name and file name: `deals`, `contacts.phones`
    entity: str
    expectations: tuple[Exp, ...]
    derived: dict[str, str] = field(default_factory=dict)   # frame column -> DuckDB expression
    explode: tuple[str, str] | None = None      # (frame column, list expression): one row per element
    needs: tuple[str, ...] = ()                 # stg columns the frame reads besides the expectations'

    def columns(self, exps: tuple[Exp, ...] | None = None) -> list[str]:
        """Frame columns the given expectations need, `ref` first (the evidence key)."""
        out = ["ref"]
        for e in self.expectations if exps is None else exps:
            for c in e.columns:
                if c not in out:
                    out.append(c)
        return out

    def frame_sql(self, exps: tuple[Exp, ...] | None = None, ordered: bool = True) -> str:
        """SELECT of only the needed columns, in `stg` order (file, record) so that evidence
        lists records as the SQL checks do."""
        cols = ", ".join(self.columns(exps))
        order = " ORDER BY _file, _record" if ordered else ""
        if self.explode:
            name, expr = self.explode
            return (f"SELECT {cols} FROM (SELECT ref, _file, _record, unnest(_l) AS {name}, "
                    f"generate_subscripts(_l, 1) AS _i FROM (SELECT ref, _file, _record, {expr} AS _l "
                    f"FROM stg.{self.entity})){order}{', _i' if ordered else ''}")
        extra = "".join(f", {expr} AS {name}" for name, expr in self.derived.items())
        return f"SELECT {cols} FROM (SELECT *{extra} FROM stg.{self.entity}){order}"

    def meta(self, as_of: dt.date) -> dict:
        frame = ({"one row per element of": self.explode[1], "column": self.explode[0]} if self.explode
                 else {"derived columns": dict(self.derived)} if self.derived else {})
        return {"entity": self.entity, "table": f"stg.{self.entity}", "reference_date": as_of.isoformat(),
                "generated_by": "crm-audit checks/gx_suite.py", **({"frame": frame} if frame else {})}

    def to_json(self, as_of: dt.date) -> dict:
        """The suite as GX JSON: `gx.ExpectationSuite(**this)` builds it."""
        return {"name": self.name, "expectations": [e.config(self.entity) for e in self.expectations],
                "meta": self.meta(as_of)}


def _nn(col: str, why: str, key: bool = True, dimension: str = "completeness") -> Exp:
    return Exp(NOT_NULL, {"column": col}, dimension, why, key=key)


def _regex(col: str, regex: str, why: str) -> Exp:
    return Exp(REGEX, {"column": col, "regex": regex}, "validity", why)


def _min0(col: str, why: str) -> Exp:
    return Exp(BETWEEN, {"column": col, "min_value": 0}, "validity", why)


def _not_after(col: str, limit: dt.datetime, what: str) -> Exp:
    return Exp(BETWEEN, {"column": col, "max_value": limit}, "validity",
               f"{what} cannot lie after the reference date (the latest real event in the data)")


def _gte(a: str, b: str, why: str) -> Exp:
    return Exp(PAIR_GT, {"column_A": a, "column_B": b, "or_equal": True, "ignore_row_if": "either_value_is_missing"},
               "consistency", why)


def _in_set(col: str, values: tuple[str, ...], why: str) -> Exp:
    return Exp(IN_SET, {"column": col, "value_set": list(values)}, "consistency", why)


# The contact is reachable or at least named: a name (full, or composed from its parts) or a phone.
NAME_OR_PHONE = "coalesce(full_name, nullif(concat_ws(' ', last_name, first_name, middle_name), ''), phone)"


def entity_expectations(entity: str, as_of: dt.date) -> tuple[list[Exp], dict[str, str]]:
    """Every expectation the schema suggests for one entity's table, and its derived columns."""
    f = schema.fields(entity)
    limit = dt.datetime.combine(as_of, dt.time.max)
    exps = [_nn("ref", "`ref` is the key every finding points back with; a record without it cannot be shown")]
    derived: dict[str, str] = {}
    if entity != "calls":
        exps.append(Exp(COMPOUND_UNIQUE, {"column_list": ["_file", "record_id"], "ignore_row_if": "any_value_is_missing"},
                        "uniqueness", "a source id repeated inside one export file is a duplicated row: "
                                      "the record counts twice in every figure"))
    # calls: a PBX writes one row per leg under the same call id (Asterisk uniqueid), so a repeated id is normal.
    if entity == "companies":
        exps.append(_nn("name", "a company without a name cannot be matched, called or reported"))
    if entity == "contacts":
        derived["full_name_or_phone"] = NAME_OR_PHONE
        exps += [_nn("full_name_or_phone", "a contact with neither a name nor a phone is unusable for sales"),
                 _nn("phone", "a contact without a phone cannot be called (same count as completeness.contacts.phone)",
                     key=False)]
    if entity == "deals":
        exps += [
            _nn("stage", "a deal without a stage cannot be placed in the funnel"),
            _nn("owner", "a deal without an owner is nobody's job: no one follows it up"),
            _nn("created_at", "without a creation date a deal cannot be aged or assigned to a period"),
            _in_set("state", DEAL_STATES, "every stage must resolve to won / lost / open for funnel figures"),
            Exp(BETWEEN, {"column": "probability", "min_value": 0, "max_value": 100}, "validity",
                "a probability is a percentage: 0 to 100"),
        ]
    if entity == "counterparties":
        exps += [
            _nn("name", "a counterparty without a name cannot be matched to CRM companies"),
            _nn("inn", "1C needs the INN (tax id) to issue documents and match the CRM"),
        ]
    if entity == "calls":
        exps += [
            _nn("started_at", "a call without a start time cannot be placed in time or matched to a deal"),
            _nn("call_direction", "a call that cannot be told inbound / outbound skews response figures",
                key=False, dimension="completeness"),
            _in_set("call_direction", CALL_DIRECTIONS, "directions resolve to inbound / outbound / internal / transit"),
        ]
    if entity == "payments":
        exps += [
            _nn("flow", "a payment whose direction (in / out) cannot be told cannot be matched to sales"),
            _in_set("flow", PAYMENT_FLOWS, "payment direction resolves to in (from a customer) or out (to a supplier)"),
        ]
    for col, kind in f.items():
        if kind == "inn":
            exps.append(_regex(col, INN, "an INN (tax id) is 10 digits (organisation) or 12 (individual)"))
        if kind == "amount" and col not in ("probability",):
            exps.append(_min0(col, f"{col} is a non-negative quantity; a negative one is a typing or sign error"))
    for col in ("created_at", "doc_date", "pay_date", "started_at"):
        if col in f:
            exps.append(_not_after(col, limit, col.replace("_", " ")))
    if "closed_at" in f and "created_at" in f:
        exps.append(_gte("closed_at", "created_at", "a record cannot be closed before it was created"))
    if entity == "calls":
        exps += [
            _gte("answered_at", "started_at", "a call cannot be answered before it started"),
            _gte("ended_at", "started_at", "a call cannot end before it started"),
            _gte("duration", "billsec", "talk time (billsec) cannot exceed the call's whole duration"),
        ]
    return exps, derived


def list_suites(entity: str) -> list[SuiteSpec]:
    """The per-value suites of an entity: one row per phone number / e-mail address."""
    f = schema.fields(entity)
    out = []
    if any(k == "phone" for k in f.values()):
        out.append(SuiteSpec(f"{entity}.phones", entity, (
            _regex("phones", E164, "a phone number is usable for calls and matching only in E.164 form "
                                   "(`+` and 7-15 digits); the rest are typos, fragments or extensions"),),
            explode=("phones", "list_concat(phones, phones_invalid)"), needs=("phones", "phones_invalid")))
    if any(k == "email" for k in f.values()):
        out.append(SuiteSpec(f"{entity}.emails", entity, (
            _regex("emails", EMAIL, "an e-mail address must have a valid local part, `@` and a domain "
                                    "with a top-level zone"),),
            explode=("emails", "emails"), needs=("emails",)))
    return out


def plan(con, as_of: dt.date) -> list[SuiteSpec]:
    """The suites for what is loaded: entities with rows, expectations on populated columns."""
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'stg'").fetchall()}
    suites: list[SuiteSpec] = []
    for entity in schema.entities():
        if entity not in tables:
            continue
        cols = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'stg' AND table_name = ?",
            [entity]).fetchall()}
        exps, derived = entity_expectations(entity, as_of)
        lists = [s for s in list_suites(entity) if {"ref", "_file", "_record", *s.needs} <= cols]
        probes = {c: f"count({c})" for e in exps for c in e.columns if c in cols}
        probes.update({c: f"count({expr})" for c, expr in derived.items()})
        probes.update({s.name: f"sum(len({s.explode[1]}))" for s in lists})
        sel = ", ".join(f"{expr} AS \"{name}\"" for name, expr in probes.items())
        row = con.execute(f"SELECT count(*) AS _rows, {sel} FROM stg.{entity}").fetchall()[0]
        counts = dict(zip(["_rows", *probes], row))
        if not counts["_rows"]:
            continue
        have = set(cols) | set(derived)
        kept = tuple(e for e in exps if set(e.columns) <= have
                     and (e.key or all(counts.get(c) for c in e.columns if c != "_file")))
        suites.append(SuiteSpec(entity, entity, kept, {k: v for k, v in derived.items()
                                                       if any(k in e.columns for e in kept)}))
        suites += [s for s in lists if counts.get(s.name)]
    ids = [e.metric_id(s.entity) for s in suites for e in s.expectations]
    if len(ids) != len(set(ids)):  # results are matched back to expectations by this id
        raise ValueError(f"duplicate GX metric ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    return suites

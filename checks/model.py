"""Typed check declarations and results.

A Check is data: an id, the quality dimension it measures, the canonical tables it needs, its
SQL (one measure query, one evidence query, in `.sql` files beside its module) and thresholds
with a one-line rationale. Results are frozen objects, serialised once into audit.json.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["ok", "warn", "fail", "n/a"]
# Which way a metric improves: "lower" (a duplicate share going down is better) or "higher"
# (a completeness going up is better). Declared per check, read by `crm-audit compare`,
# `--baseline` and the roadmap; never guessed from a metric's name.
Direction = Literal["lower", "higher"]
DIRECTIONS = ("lower", "higher")


@dataclass(frozen=True)
class Threshold:
    warn: float
    fail: float
    higher_is_worse: bool = True
    rationale: str = ""
    source: str = ""

    def judge(self, value: float) -> Status:
        if self.higher_is_worse:
            return "fail" if value >= self.fail else "warn" if value >= self.warn else "ok"
        return "fail" if value <= self.fail else "warn" if value <= self.warn else "ok"


@dataclass(frozen=True)
class Reads:
    """The column a check's figure rests on, over the population it counts: where no record of
    that population has a value, the figure would be a silent 0, so the check is n/a instead."""

    table: str                           # stg table
    column: str                          # SQL expression over it
    where: str                           # the population, SQL
    label: str                           # "closed deal", for the reason
    field: str = ""                      # canonical field named in the reason (defaults to column)

    def reason(self) -> str:
        return (f"no {self.label} has a {self.field or self.column}: the export has no such column or left it empty "
                "on every record, so this cannot be measured (re-export with that field, or fill it in the source system)")


@dataclass(frozen=True)
class Check:
    id: str
    dimension: str                       # duplicates | completeness | validity | refusal | cross | process | automation | volume
    entity: str                          # the entity whose records are the evidence
    description: str
    needs: tuple[str, ...]               # stg tables that must have rows, else n/a
    measure: str                         # SQL: one row (numerator, denominator, value)
    evidence: str | None = None          # SQL: ref column of counted records, ordered
    unit: str = "share"
    threshold: Threshold | None = None
    needs_reason: str = ""               # why it is n/a when `needs` are missing
    prepare: tuple[str, ...] = ()        # shared preparation steps (names in checks/prepare.py)
    contract: bool = False               # one of the metrics every audit.json must report
    # how many records the evidence query returns, when the measure already knows: "complement"
    # (denominator − numerator: the records missing a field) spares a count over a large table
    evidence_total: str = "count"        # count | numerator | complement
    reads: Reads | None = None           # the column the figure rests on (see Reads)
    direction: Direction | None = None   # which way is better (see Direction); every catalogue check declares it

    def __post_init__(self):
        if self.direction is not None and self.direction not in DIRECTIONS:
            raise ValueError(f"check {self.id}: direction must be one of {DIRECTIONS}, not {self.direction!r}")


@dataclass(frozen=True)
class Evidence:
    entity: str
    ids: tuple[str, ...]
    total: int
    cap: int
    query: str = ""                      # the SQL that returns them all

    def to_json(self) -> dict:
        return {"entity": self.entity, "ids": list(self.ids), "total": self.total, "cap": self.cap}


@dataclass(frozen=True)
class Metric:
    id: str
    dimension: str
    value: float | None
    status: Status
    unit: str = "share"
    numerator: float | None = None
    denominator: float | None = None
    reason: str | None = None
    evidence: Evidence | None = None
    description: str = ""
    details: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        out: dict = {"value": self.value, "status": self.status, "unit": self.unit}
        if self.numerator is not None or self.unit == "share":
            out["numerator"] = self.numerator
            out["denominator"] = self.denominator
        if self.reason:
            out["reason"] = self.reason
        if self.evidence is not None:
            out["evidence"] = self.evidence.to_json()
        if self.description:
            out["description"] = self.description
        if self.details:
            out["details"] = self.details
        return out

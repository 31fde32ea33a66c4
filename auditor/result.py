"""The audit result: typed, frozen, serialised once into audit.json (../shared/contract/)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from checks.model import Metric
from connectors.model import FileReport


@dataclass(frozen=True)
class Answer:
    """One of the five diagnostic questions, answered from data."""

    id: str                              # Q1..Q5
    level_signal: int | None             # 1, 2, 3, or None when the data cannot tell
    answer: str                          # plain language
    evidence: tuple[str, ...]            # metric ids behind it
    claim: int | None = None             # the client's own answer (self-assessment), as a level
    claim_text: str | None = None
    contradiction: str | None = None     # claim vs evidence, when they disagree

    def to_json(self) -> dict:
        out = {"level_signal": self.level_signal, "answer": self.answer, "evidence": list(self.evidence)}
        if self.claim is not None or self.claim_text:
            out["self_assessment"] = {"level": self.claim, "text": self.claim_text, "contradiction": self.contradiction}
        return out


@dataclass(frozen=True)
class Blocker:
    title: str
    metrics: tuple[str, ...]
    records: int | None = None

    def to_json(self) -> dict:
        out = {"title": self.title, "metrics": list(self.metrics)}
        if self.records is not None:
            out["records"] = self.records
        return out


@dataclass(frozen=True)
class Domain:
    name: str
    level: int | None
    confidence: float
    why: str
    questions: tuple[str, ...]
    blockers: tuple[Blocker, ...] = ()

    def to_json(self) -> dict:
        return {"level": self.level, "confidence": self.confidence, "why": self.why, "questions": list(self.questions),
                "next_level_blockers": [b.to_json() for b in self.blockers]}


@dataclass(frozen=True)
class Recommendation:
    title: str
    why: str
    metrics: tuple[str, ...]
    records: int = 0
    effect: float = 0.0

    def to_json(self) -> dict:
        return {"title": self.title, "why": self.why, "metrics": list(self.metrics), "records": self.records,
                "effect": round(self.effect, 4)}


@dataclass(frozen=True)
class Maturity:
    level: int
    confidence: float
    domains: dict[str, Domain]
    questions: dict[str, Answer]
    blockers: tuple[Blocker, ...]
    missing_inputs: tuple[str, ...] = ()   # which missing export would raise the confidence, and why

    def to_json(self) -> dict:
        return {
            "level": self.level,
            "confidence": round(self.confidence, 3),
            "domains": {k: d.to_json() for k, d in self.domains.items()},
            "questions": {k: a.to_json() for k, a in self.questions.items()},
            "next_level_blockers": [b.to_json() for b in self.blockers],
            "missing_inputs": list(self.missing_inputs),
        }


@dataclass(frozen=True)
class AuditResult:
    as_of: dt.date
    inputs: tuple[FileReport, ...]
    metrics: dict[str, Metric]
    maturity: Maturity
    recommendations: tuple[Recommendation, ...]
    lang: str = "en"
    timings: dict[str, float] = field(default_factory=dict)
    reference: dict = field(default_factory=dict)      # how the as-of date was set (checks/reference.py)
    self_test: tuple[str, ...] = ()                    # violated invariants (checks/selftest.py); empty = passed
    roadmap: tuple = ()                  # auditor/roadmap.py stages
    baseline: dict | None = None         # auditor/history/baseline.py: the change since an earlier audit

    def to_json(self) -> dict:
        out = {
            "schema_version": "1",
            "as_of": self.as_of.isoformat(),
            "inputs": [r.contract_entry() for r in self.inputs],
            "metrics": {k: m.to_json() for k, m in self.metrics.items()},
            "maturity": self.maturity.to_json(),
            "recommendations": [r.to_json() for r in self.recommendations],
            "generator": {"tool": "crm-audit", "lang": self.lang},
            "reference": self.reference,
            "self_test": {"passed": not self.self_test, "problems": list(self.self_test)},
            "roadmap": [s.to_json() for s in self.roadmap],
            # seconds per stage and part (auditor/run.py): how long this run took, not a finding
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }
        if self.baseline is not None:
            from .history.baseline import to_json as baseline_json

            out["baseline"] = baseline_json(self.baseline)
        return out

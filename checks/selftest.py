"""The audit's own self-test: invariants every result must satisfy, whatever the data.

A figure the inputs cannot support is a wrong answer, not a good one (contract, "Metrics every
audit must report"). Today's invariant: a metric that is evaluated with a zero numerator while
no record of its population has a value in the column it reads would report "nothing wrong"
about data that is not there. The runner already turns such metrics into n/a; this re-checks the
final result independently, so a check added later without that guard is caught.
"""
from __future__ import annotations

from .catalogue import CHECKS
from .model import Metric
from .runner import column_filled


def self_test(con, metrics: dict[str, Metric]) -> list[str]:
    """One line per violated invariant; empty when the result holds."""
    problems = []
    for check in CHECKS:
        m = metrics.get(check.id)
        if m is None or m.status == "n/a" or check.reads is None:
            continue
        if (m.numerator or 0) == 0 and not column_filled(con, check.reads):
            problems.append(f"{check.id} is {m.status} with a zero numerator, but {check.reads.reason()}")
    return problems

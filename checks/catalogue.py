"""The check catalogue: every check, listed explicitly, one module per quality dimension."""
from __future__ import annotations

from . import automation, completeness, cross_system, duplicates, fill_rates, process, refusal, sanity, validity, volume
from .model import Check

CHECKS: tuple[Check, ...] = (
    *duplicates.CHECKS,
    *completeness.CHECKS,
    *validity.CHECKS,
    *refusal.CHECKS,
    *cross_system.CHECKS,
    *process.CHECKS,
    *automation.CHECKS,
    *volume.CHECKS,
    *sanity.CHECKS,
    *fill_rates.CHECKS,
)


def by_id(check_id: str) -> Check:
    for c in CHECKS:
        if c.id == check_id:
            return c
    raise KeyError(check_id)

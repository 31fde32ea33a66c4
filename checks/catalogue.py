"""The check catalogue: every check, listed explicitly, one module per quality dimension."""
from __future__ import annotations

from . import automation, completeness, process, refusal, validity, volume
from .model import Check

CHECKS: tuple[Check, ...] = (
    *completeness.CHECKS,
    *validity.CHECKS,
    *refusal.CHECKS,
    *process.CHECKS,
    *automation.CHECKS,
    *volume.CHECKS,
)


def by_id(check_id: str) -> Check:
    for c in CHECKS:
        if c.id == check_id:
            return c
    raise KeyError(check_id)

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


def direction(metric_id: str) -> str | None:
    """Which way `metric_id` improves ("lower" / "higher"), from its declaration; None if unknown."""
    if metric_id.startswith("gx."):
        from .gx.spec import METRIC_DIRECTION
        return METRIC_DIRECTION
    try:
        return by_id(metric_id).direction
    except KeyError:
        return None

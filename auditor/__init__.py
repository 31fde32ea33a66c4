"""crm-audit: audits CRM / 1C / telephony exports and infers an automation maturity level.

The Python API is one function, `audit`, returning a typed, frozen `AuditResult` (the same
object `audit.json` is serialised from)::

    >>> import datetime as dt
    >>> from auditor import audit
    >>> result = audit(["sample_data/exports"], "out", as_of=dt.date(2026, 11, 20), lang="en",
    ...                use_gx=False)                                      # doctest: +SKIP
    >>> result.maturity.level                                             # doctest: +SKIP
    1
    >>> m = result.metrics["refusal.deals.lost_without_reason_share"]    # doctest: +SKIP
    >>> m.numerator, m.denominator, m.status                             # doctest: +SKIP
    (137, 339, 'fail')
    >>> m.evidence.ids[:3]                                                # doctest: +SKIP
    ('2321', '2417', '2018')

With an output folder (`"out"` above) it also writes `audit.json`, `scorecard.html`,
`scorecard.xlsx` and `audit.duckdb` (every canonical record and check table, queryable with
DuckDB); without one (`audit(paths)`) it only returns the result.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .result import AuditResult
    from .run import audit

__all__ = ["audit", "AuditResult"]


def __getattr__(name: str):
    # Imported on first use: `import auditor.privacy` (and the connectors and checks that the
    # pipeline imports) must not pull the whole pipeline in, nor import it half-initialised.
    if name == "audit":
        from .run import audit

        return audit
    if name == "AuditResult":
        from .result import AuditResult

        return AuditResult
    raise AttributeError(f"module 'auditor' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])

"""The reference date ("as of"): the latest real event in the exports, never a planned date.

Events are creations, changes, calls, payments, documents and task closings. A deal's close
date counts only where no change is recorded at all (a dataset of close dates alone): CRMs such
as Bitrix24 and Salesforce keep a planned date in the same column, and a closed deal dated after
every change in the exports carries such a plan (checked by sanity.deals.closed_after_reference).
Impossible future dates (after today) are ignored.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

_EVENTS = {
    "companies": ("created_at", "modified_at"), "contacts": ("created_at", "modified_at"),
    "leads": ("created_at", "modified_at"), "deals": ("created_at", "modified_at"),
    "tasks": ("created_at", "modified_at", "closed_at"), "documents": ("doc_date",), "payments": ("pay_date",),
    "calls": ("started_at",),
}
_FALLBACK = {"deals": ("closed_at",)}
# a given --as-of this long after the last event is worth a warning: stuck deals and unanswered
# calls are then measured against a day the data never reached
STALE_DAYS = 45


@dataclass(frozen=True)
class Reference:
    as_of: dt.date
    source: str                       # "calls.started_at", "--as-of", or "today" (no dated event)
    latest_event: dt.date | None
    latest_event_source: str | None
    warning: str | None = None

    def to_json(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "source": self.source,
                "latest_event": self.latest_event.isoformat() if self.latest_event else None,
                "latest_event_source": self.latest_event_source, "warning": self.warning}


def _latest(con, columns: dict[str, tuple[str, ...]], today: dt.date) -> tuple[dt.datetime | None, str | None]:
    parts = [f"SELECT '{t}.{c}' AS src, max({c}) AS t FROM stg.{t} WHERE {c} <= $today"
             for t, cols in columns.items() for c in cols]
    row = con.execute(f"SELECT src, t FROM ({' UNION ALL '.join(parts)}) WHERE t IS NOT NULL ORDER BY t DESC, src LIMIT 1",
                      {"today": dt.datetime.combine(today, dt.time.max)}).fetchone()
    return (row[1], row[0]) if row else (None, None)


def latest_event(con, today: dt.date | None = None) -> tuple[dt.date | None, str | None]:
    today = today or dt.date.today()
    t, src = _latest(con, _EVENTS, today)
    if t is None:
        t, src = _latest(con, _FALLBACK, today)
    return (t.date() if t else None), src


def reference(con, given: dt.date | None = None, today: dt.date | None = None) -> Reference:
    latest, src = latest_event(con, today)
    if given is None:
        if latest is None:
            today = today or dt.date.today()
            return Reference(today, "today", None, None, "no dated event in the exports: measured as of today")
        return Reference(latest, src, latest, src)
    warning = None
    if latest is not None and (given - latest).days > STALE_DAYS:
        warning = (f"--as-of {given.isoformat()} is {(given - latest).days} days after the last event in the exports "
                   f"({latest.isoformat()}, {src}): stuck deals and unanswered calls are measured against it")
    return Reference(given, "--as-of", latest, src, warning)

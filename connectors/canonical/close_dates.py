"""What each CRM's close-date column means, and the canonical `closed_at` / `expected_close_at`.

Several CRMs keep one date that is a plan while a deal is open and the close date once it is
closed (FORMATS.md §1, §5): Bitrix24 `CLOSEDATE` (grid title «Предполагаемая дата закрытия»,
all-fields title «Дата завершения»; Bitrix24 writes the current date into it when a deal is
saved in a final stage without one), Salesforce `CloseDate`, HubSpot `closedate`. For those,
a deal in a final stage gets that date as `closed_at`, an open deal keeps it as
`expected_close_at` only. amoCRM (`Дата закрытия`, `не закрыта` while open) and Pipedrive
(won / lost time) write the real close date and are left as they are.
"""
from __future__ import annotations

from ..readers.delimited import sql_str

# system -> the sentence the evidence carries when its planned date became a close date
PLANNED_UNTIL_CLOSED = {
    "bitrix24": "Bitrix24 keeps one close date, CLOSEDATE («Предполагаемая дата закрытия» / «Дата завершения»): "
                "for deals in a final stage it is taken as the close date (Bitrix24 sets it when a deal is "
                "closed without one); on open deals it is the planned date",
    "salesforce": "Salesforce CloseDate is the expected date while an opportunity is open and the close date "
                  "once it is Closed Won / Closed Lost: taken as the close date of closed deals only",
    "hubspot": "HubSpot Close Date is the expected date on open deals and the close date once the deal is "
               "in a closed stage: taken as the close date of closed deals only",
}

_STATE = "deal_state(t.stage, t.stage_group, t.is_won, t.is_closed)"


def deal_date_columns() -> str:
    """A `REPLACE (...)` list for the final stg.deals select (t = the typed union)."""
    systems = ", ".join(sql_str(s) for s in PLANNED_UNTIL_CLOSED)
    closed = (f"CASE WHEN t._system NOT IN ({systems}) THEN t.closed_at "
              f"WHEN {_STATE} IN ('won', 'lost') THEN coalesce(t.closed_at, t.expected_close_at) END AS closed_at")
    expected = (f"CASE WHEN t._system IN ({systems}) AND {_STATE} = 'open' "
                f"THEN coalesce(t.expected_close_at, t.closed_at) ELSE t.expected_close_at END AS expected_close_at")
    return f"REPLACE ({closed}, {expected})"


def record_rules(con) -> None:
    """meta.field_rules: which systems' close dates came from a planned-date column, on how many
    closed deals, so evidence can say what `closed_at` stands for."""
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    con.execute("CREATE OR REPLACE TABLE meta.field_rules (entity VARCHAR, field VARCHAR, system VARCHAR, "
                "rule VARCHAR, records BIGINT)")
    rows = con.execute(
        "SELECT _system, count(*) FILTER (WHERE closed_at IS NOT NULL) FROM stg.deals "
        "WHERE state IN ('won', 'lost') AND _system IN (SELECT unnest(?)) GROUP BY _system ORDER BY _system",
        [list(PLANNED_UNTIL_CLOSED)]).fetchall()
    if rows:
        con.executemany("INSERT INTO meta.field_rules VALUES ('deals', 'closed_at', ?, ?, ?)",
                        [(s, PLANNED_UNTIL_CLOSED[s], n) for s, n in rows])

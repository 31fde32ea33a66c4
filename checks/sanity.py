"""Sanity: dates and amounts that cannot be true (future events, closed before created, won for nothing)."""
from .dimensions import sql_check

CHECKS = (
    sql_check("sanity.records.future_dates", "sanity/future_dates", "records",
              "Records with an event date after the reference date", ("deals",), direction="lower"),
    sql_check("sanity.deals.closed_before_created", "sanity/closed_before_created", "deals",
              "Deals closed before they were created ÷ deals with both dates", ("deals",), direction="lower"),
    sql_check("sanity.deals.closed_after_reference", "sanity/closed_after_reference", "deals",
              "Closed deals whose close date lies after the reference date ÷ closed deals with a close date", ("deals",), direction="lower"),
    sql_check("sanity.deals.won_zero_amount", "sanity/won_zero_amount", "deals",
              "Won deals with no or zero amount ÷ won deals", ("deals",), direction="lower"),
    sql_check("sanity.deals.negative_amount", "sanity/negative_amount", "deals",
              "Deals with a negative amount ÷ deals with an amount", ("deals",), direction="lower"),
)

"""Volume: is there enough closed history to learn from (level 3 needs thousands of closed deals)."""
from .dimensions import sql_check
from .model import Reads

CLOSE_DATE = Reads("deals", "closed_at", "state IN ('won', 'lost')", "closed deal", "close date")

CHECKS = (
    sql_check("volume.deals.closed_count", "volume/closed_count", "deals", "Won + lost deals",
              ("deals",), unit="count", needs_reason="no CRM deals loaded", contract=True, direction="higher"),
    sql_check("volume.deals.closed_last_12_months", "volume/closed_last_12_months", "deals",
              "Won + lost deals closed in the 12 months before the reference date",
              ("deals",), unit="count", needs_reason="no CRM deals loaded", contract=True, reads=CLOSE_DATE, direction="higher"),
)

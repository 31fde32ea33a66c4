"""Process signals: deals that stall, calls nobody returns, how fast leads are answered."""
from .dimensions import sql_check

CHECKS = (
    sql_check("process.deals.stuck_share", "process/deals_stuck", "deals",
              "Open deals whose last change is more than 14 days before the reference date ÷ open deals",
              ("deals",), needs_reason="no CRM deals loaded", contract=True),
)

"""Refusal reasons: can the company learn why it loses deals."""
from .dimensions import sql_check

CHECKS = (
    sql_check("refusal.deals.lost_without_reason_share", "refusal/lost_without_reason", "deals",
              "Lost deals with a blank loss reason ÷ lost deals", ("deals",), needs_reason="no CRM deals loaded", contract=True,
              prepare=("loss_reason_columns",), direction="lower"),
    sql_check("refusal.deals.catch_all_reason_share", "refusal/catch_all_reason", "deals",
              "Lost deals whose reason is a catch-all (Другое, Прочее, Other…) ÷ lost deals with a reason",
              ("deals",), needs_reason="no CRM deals loaded", contract=True, direction="lower"),
    sql_check("refusal.deals.reason_by_owner", "refusal/reason_by_owner", "deals",
              "Managers who give one reason to ≥ 80% of their lost deals while the company uses it far less",
              ("deals",), unit="count", needs_reason="no CRM deals loaded", direction="lower"),
)

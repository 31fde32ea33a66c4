"""Automation signals: rule-based routing, records created by robots and forms, predictive scores."""
from .dimensions import sql_check

CHECKS = (
    sql_check("automation.leads.routing_determinism", "automation/routing_determinism", "leads",
              "1 − H(owner | source, city) ÷ H(owner) over leads (deals where there are no leads)",
              ("deals",), unit="ratio", needs_reason="no CRM leads or deals loaded", contract=True, direction="higher"),
    sql_check("automation.records.system_created_share", "automation/system_created", "deals",
              "Leads and deals created by a system account (robot, integration, form, bot, API) ÷ those with a known creator",
              ("deals",), needs_reason="no CRM leads or deals loaded", contract=True, direction="higher"),
    sql_check("automation.records.bot_created_share", "automation/bot_created", "deals",
              "Leads and deals created by a chat bot ÷ those with a known creator",
              ("deals",), needs_reason="no CRM leads or deals loaded", direction="higher"),
    sql_check("automation.deals.score_auc", "automation/score_auc", "deals",
              "ROC AUC of the deals' probability/score against won/lost over closed deals",
              ("deals",), unit="auc", needs_reason="no CRM deals loaded", contract=True, direction="higher"),
)

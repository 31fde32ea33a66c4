"""Process signals: deals that stall, calls nobody returns, how fast leads are answered."""
from .dimensions import sql_check

CHECKS = (
    sql_check("process.deals.stuck_share", "process/deals_stuck", "deals",
              "Open deals whose last change is more than 14 days before the reference date ÷ open deals",
              ("deals",), needs_reason="no CRM deals loaded", contract=True, direction="lower"),
    sql_check("process.deals.stuck_by_stage", "process/deals_stuck_by_stage", "deals",
              "Stuck open deals per stage (value: the worst stage's stuck share; details: every stage)",
              ("deals",), needs_reason="no CRM deals loaded", direction="lower"),
    sql_check("process.tasks.overdue_share", "process/tasks_overdue", "tasks",
              "Open tasks past their deadline ÷ open tasks with a deadline", ("tasks",),
              needs_reason="no CRM tasks export loaded", direction="lower"),
    sql_check("process.calls.missed_without_callback_share", "process/calls_missed_without_callback", "calls",
              "Missed inbound calls with no callback (outbound call to the number, or answered call from it) "
              "within 24 hours ÷ missed inbound calls",
              ("calls",), needs_reason="no telephony export loaded", prepare=("calls",), contract=True, direction="lower"),
    sql_check("process.calls.missed_unreturned_numbers", "process/calls_missed_unreturned_numbers", "calls",
              "Distinct numbers with a missed inbound call not returned within 24 hours (evidence: each number's latest such call); "
              "denominator: numbers with a missed call",
              ("calls",), unit="count", needs_reason="no telephony export loaded", prepare=("calls",), direction="lower"),
    sql_check("process.leads.first_response_median_minutes", "process/leads_first_response", "leads",
              "Median minutes from a lead's creation to the first outbound call to its number or answered call with it "
              "(leads with a phone; deals where there are no leads; leads never called are left out)",
              ("calls",), unit="minutes", needs_reason="no telephony export loaded", prepare=("calls",), contract=True, direction="lower"),
)

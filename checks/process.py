"""Process signals: deals that stall, calls nobody returns, how fast leads are answered."""
from .dimensions import sql_check

CHECKS = (
    sql_check("process.deals.stuck_share", "process/deals_stuck", "deals",
              "Open deals whose last change is more than 14 days before the reference date ÷ open deals",
              ("deals",), needs_reason="no CRM deals loaded", contract=True),
    sql_check("process.deals.stuck_by_stage", "process/deals_stuck_by_stage", "deals",
              "Stuck open deals per stage (value: the worst stage's stuck share; details: every stage)",
              ("deals",), needs_reason="no CRM deals loaded"),
    sql_check("process.tasks.overdue_share", "process/tasks_overdue", "tasks",
              "Open tasks past their deadline ÷ open tasks with a deadline", ("tasks",),
              needs_reason="no CRM tasks export loaded"),
)

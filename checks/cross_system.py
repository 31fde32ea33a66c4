"""Cross-system checks: is the CRM linked to 1C and to the telephony, or are they islands?

Company identity across systems is decided once (checks/sql/prepare/cross_match.sql, contract
"same company": valid INN, or name plus a shared phone or e-mail): `dq.same_company` pairs CRM
organisations with 1C counterparties, `dq.possible_matches` keeps the name-only pairs apart;
`cross_links` links 1C documents and payments to CRM organisations through it; `calls`
groups telephony legs into calls. A check whose other side is not loaded is n/a with a reason
(from `needs`, or from its SQL when the missing side is the second table).
"""
from .dimensions import sql_check
from .model import Reads

# the ±30-day window needs a date on the won deals: the close date, else the last change
_WON_DATE = Reads("deals", "coalesce(closed_at, modified_at)", "state = 'won'", "won deal", "close date or last change")

_MATCH = ("cross_match",)
_LINKS = ("cross_match", "cross_links")

CHECKS = (
    sql_check("cross.counterparties.unmatched_share", "cross/counterparties_unmatched", "counterparties",
              "1C counterparties with no same company among CRM companies ÷ 1C counterparties",
              ("counterparties",), needs_reason="no 1C counterparties loaded", prepare=_MATCH, contract=True, direction="lower"),
    sql_check("cross.companies.unmatched_share", "cross/companies_unmatched", "companies",
              "CRM companies with no same company among 1C counterparties ÷ CRM companies",
              ("companies",), needs_reason="no CRM companies loaded", prepare=_MATCH, contract=True, direction="lower"),
    sql_check("cross.matched.conflict_share", "cross/matched_conflict", "companies",
              "CRM company ↔ 1C counterparty pairs of the same company whose normalised name, phone or e-mail differ "
              "(where both sides have one) ÷ matched pairs (evidence: `company ↔ counterparty`)",
              ("companies", "counterparties"), needs_reason="needs both CRM companies and a 1C counterparties list",
              prepare=_MATCH, contract=True, direction="lower"),
    sql_check("cross.deals.won_without_document_share", "cross/deals_won_without_document", "deals",
              "Won deals with no 1C invoice or sale to the same company within ±30 days of the close date ÷ won deals",
              ("deals",), needs_reason="no CRM deals loaded", prepare=(*_LINKS, "cross_won_documents"), contract=True, reads=_WON_DATE, direction="lower"),
    sql_check("cross.payments.without_deal_share", "cross/payments_without_deal", "payments",
              "Incoming 1C payments from a counterparty that is not the same company as any CRM company with a deal "
              "÷ incoming 1C payments",
              ("payments",), needs_reason="no 1C payments loaded", prepare=(*_LINKS, "cross_payment_deals"), contract=True, direction="lower"),
    sql_check("cross.possible_matches.name_only_count", "cross/possible_matches", "companies",
              "CRM company ↔ 1C counterparty pairs with the same name and no INN, phone or e-mail to confirm it: "
              "possible matches to review, not counted as the same company (evidence: `company ↔ counterparty`)",
              ("companies",), unit="count", needs_reason="no CRM companies loaded", prepare=_MATCH, direction="lower"),
    sql_check("cross.calls.inbound_unlinked_share", "cross/calls_inbound_unlinked", "calls",
              "Inbound calls whose caller number matches no phone of any CRM contact, company or lead ÷ inbound calls",
              ("calls",), needs_reason="no telephony export loaded", prepare=("calls",), contract=True, direction="lower"),
)

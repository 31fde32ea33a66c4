"""Cross-system checks: is the CRM linked to 1C and to the telephony, or are they islands?

Company identity across systems is decided in the preparation steps (checks/sql/prepare/):
`cross_match` pairs CRM companies with 1C counterparties that are the same company (contract,
"same company"); `cross_links` links deals, 1C documents and payments to CRM companies; `calls`
groups telephony legs into calls. A check whose other side is not loaded is n/a with a reason
(from `needs`, or from its SQL when the missing side is the second table).
"""
from .dimensions import sql_check

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
              ("deals",), needs_reason="no CRM deals loaded", prepare=(*_LINKS, "cross_won_documents"), contract=True, direction="lower"),
    sql_check("cross.payments.without_deal_share", "cross/payments_without_deal", "payments",
              "Incoming 1C payments from a counterparty that is not the same company as any CRM company with a deal "
              "÷ incoming 1C payments",
              ("payments",), needs_reason="no 1C payments loaded", prepare=(*_LINKS, "cross_payment_deals"), contract=True, direction="lower"),
    sql_check("cross.calls.inbound_unlinked_share", "cross/calls_inbound_unlinked", "calls",
              "Inbound calls whose caller number matches no phone of any CRM contact, company or lead ÷ inbound calls",
              ("calls",), needs_reason="no telephony export loaded", prepare=("calls",), contract=True, direction="lower"),
)

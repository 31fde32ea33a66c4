"""Completeness: are the fields a process needs filled at all ("blank" as the contract defines it)."""
from .dimensions import sql_check
from .model import Reads

# Contract: a column absent or empty for the whole population is a missing input (null, n/a, reason)
_READS = {
    "contacts.phone": Reads("contacts", "phone", "true", "contact", "phone"),
    "contacts.email": Reads("contacts", "email", "true", "contact", "e-mail"),
    "companies.inn": Reads("companies", "inn_raw", "true", "company", "INN"),
    "deals.amount": Reads("deals", "amount", "true", "deal", "amount"),
    "deals.source": Reads("deals", "source", "true", "deal", "source"),
    "counterparties.inn": Reads("counterparties", "inn_raw", "true", "1C counterparty", "INN"),
}

CHECKS = (
    sql_check("completeness.contacts.phone", "completeness/contacts_phone", "contacts",
              "Share of contacts with a non-blank phone", ("contacts",), needs_reason="no CRM contacts loaded", contract=True, evidence_total="complement", reads=_READS["contacts.phone"], direction="higher"),
    sql_check("completeness.contacts.email", "completeness/contacts_email", "contacts",
              "Share of contacts with a non-blank e-mail", ("contacts",), needs_reason="no CRM contacts loaded", contract=True, evidence_total="complement", reads=_READS["contacts.email"], direction="higher"),
    sql_check("completeness.companies.inn", "completeness/companies_inn", "companies",
              "Share of CRM companies with a non-blank INN", ("companies",), needs_reason="no CRM companies loaded", contract=True, evidence_total="complement", reads=_READS["companies.inn"], direction="higher"),
    sql_check("completeness.deals.amount", "completeness/deals_amount", "deals",
              "Share of deals with a non-blank, non-zero amount", ("deals",), needs_reason="no CRM deals loaded", contract=True, evidence_total="complement", reads=_READS["deals.amount"], direction="higher"),
    sql_check("completeness.deals.source", "completeness/deals_source", "deals",
              "Share of deals with a non-blank source", ("deals",), needs_reason="no CRM deals loaded", contract=True, evidence_total="complement", reads=_READS["deals.source"], direction="higher"),
    sql_check("completeness.counterparties.inn", "completeness/counterparties_inn", "counterparties",
              "Share of 1C counterparties with a non-blank INN", ("counterparties",), needs_reason="no 1C counterparties loaded", contract=True, evidence_total="complement", reads=_READS["counterparties.inn"], direction="higher"),
)

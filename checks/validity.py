"""Validity: filled values that cannot be right (phones, e-mails, INN checksums)."""
from .dimensions import sql_check

CHECKS = (
    sql_check("validity.contacts.phone_invalid_share", "validity/contacts_phone", "contacts",
              "Among non-blank contact phones (per number), share that are not a valid phone number",
              ("contacts",), needs_reason="no CRM contacts loaded", contract=True, direction="lower"),
    sql_check("validity.contacts.email_invalid_share", "validity/contacts_email", "contacts",
              "Among non-blank contact e-mails (per address), share that are not a valid address",
              ("contacts",), needs_reason="no CRM contacts loaded", contract=True, direction="lower"),
    sql_check("validity.companies.inn_invalid_share", "validity/companies_inn", "companies",
              "Among non-blank CRM company INNs, share failing length or checksum",
              ("companies",), needs_reason="no CRM companies loaded", contract=True, direction="lower"),
    sql_check("validity.counterparties.inn_invalid_share", "validity/counterparties_inn", "counterparties",
              "Among non-blank 1C counterparty INNs, share failing length or checksum",
              ("counterparties",), needs_reason="no 1C counterparties loaded", contract=True, direction="lower"),
)

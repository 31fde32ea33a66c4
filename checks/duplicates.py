"""Duplicates: records that are the same person / company as another record of the same table.

The clustering is a preparation step (checks/dedup/: normalise → block → compare → cluster, as
named SQL steps, rules per the contract's "same person" / "same company", plus probabilistic
linkage with a match probability per pair, checks/dedup/linkage.py); these checks count
the records that are not their cluster's survivor. Why each cluster matched is in
dq.<contact|company|counterparty>_explain, every matched pair with its rule in dq.*_pairs.
"""
from .dimensions import sql_check

CHECKS = (
    sql_check("duplicates.contacts.redundant_share", "duplicates/contacts_redundant", "contacts",
              "(contact records − distinct persons among them) ÷ contact records",
              ("contacts",), needs_reason="no CRM contacts loaded", prepare=("dedup_contacts",), contract=True, direction="lower"),
    sql_check("duplicates.companies.redundant_share", "duplicates/companies_redundant", "companies",
              "(company records − distinct companies) ÷ company records",
              ("companies",), needs_reason="no CRM companies loaded", prepare=("dedup_companies",), contract=True, direction="lower"),
    sql_check("duplicates.counterparties.redundant_share", "duplicates/counterparties_redundant", "counterparties",
              "(1C counterparty records − distinct companies) ÷ 1C counterparty records",
              ("counterparties",), needs_reason="no 1C counterparties loaded", prepare=("dedup_counterparties",),
              contract=True, direction="lower"),
)

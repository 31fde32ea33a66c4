"""Duplicate detection done properly: normalise → block → compare → cluster, as named SQL steps.

    spec.py        what the engine is told about an entity (input shape, which rules apply)
    crm.py         the contract's "same person" / "same company" rules for contacts, companies,
                   counterparties, and the preparation steps that run them
    engine.py      the steps (records, keys, switchboards, rules, pairs, clusters, explanations)
    components.py  connected components in SQL (min-label propagation until stable)

SQL lives in checks/sql/prepare/dedup_*.sql; name comparison macros in dedup_macros.sql.
"""

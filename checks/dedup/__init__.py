"""Duplicate detection done properly: normalise → block → compare → cluster, as named SQL steps.

    spec.py        what the engine is told about an entity (input shape, which rules apply)
    crm.py         the contract's "same person" / "same company" rules for contacts, companies,
                   counterparties, and the preparation steps that run them
    engine.py      the steps (records, keys, switchboards, rules, pairs, clusters, explanations)
    components.py  connected components in SQL (min-label propagation until stable)
    linkage.py     probabilistic record linkage on top of the sure rules (Fellegi–Sunter; m and u
                   trained by EM on each audit's own records, as splink trains), per-pair probability
    models.py      the linkage models for contacts and companies: blocks, comparisons and levels

SQL lives in checks/sql/prepare/dedup_*.sql; name comparison macros in dedup_macros.sql.
"""

"""Audits over time: reading earlier audits back (audits.py), comparing them (compare.py), the
`--baseline` block of a new audit (baseline.py) and the records fixed / remaining / new (records.py)."""

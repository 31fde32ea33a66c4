"""Great Expectations suites built from the canonical schema (see checks/gx_suite.py).

`spec` declares the expectations as plain data (no GX import), `sql` writes the DuckDB query
that computes the same numbers, for benchmarks and cross-checks.
"""

"""Opening the audit database: a kept file (`audit.duckdb`) or a throw-away one."""
from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb


@contextlib.contextmanager
def open_db(path: Path | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB connection on `path` (replaced if it exists), or on a temporary file.

    A file, not memory, even when throw-away: large exports must be able to spill to disk.
    """
    with tempfile.TemporaryDirectory(prefix="crm-audit-db-") as tmp:
        target = Path(path) if path else Path(tmp) / "audit.duckdb"
        for stale in (target, target.with_name(target.name + ".wal")):
            if stale.exists():
                stale.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(target))
        try:
            yield con
        finally:
            con.close()

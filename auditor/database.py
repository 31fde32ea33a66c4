"""Opening the audit database: a kept file (`audit.duckdb`) or a throw-away one."""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import psutil


def _settings(tmp: Path) -> dict:
    """Bounded memory: DuckDB spills sorts, joins and aggregates to disk beyond the limit, so a
    ten-million-row export audits within a laptop's memory. CRM_AUDIT_MEMORY overrides (e.g. 8GB)."""
    total = psutil.virtual_memory().total
    limit = os.environ.get("CRM_AUDIT_MEMORY") or f"{max(1, min(4, int(total * 0.25 / 2**30)))}GB"
    return {"memory_limit": limit, "temp_directory": str(tmp / "spill")}


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
        con = duckdb.connect(str(target), config=_settings(Path(tmp)))
        try:
            yield con
        finally:
            con.close()

"""Rows already in Python (HTML tables, spreadsheets, XML, bank files) into a raw DuckDB table.

These formats are parsed by their own libraries; rows go to DuckDB through Arrow in batches,
all values as text, each with its record number and the line (or sheet row) it came from.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

import duckdb
import pyarrow as pa

from ..model import Reject
from .delimited import RawTable, qident

BATCH = 50_000


def load_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    names: list[str],
    rows: Iterable[tuple[int, list[str | None]]],
    rejects: list[Reject],
    encoding: str | None = None,
    warnings: list[str] | None = None,
) -> RawTable:
    """`rows` yields (line, cells); rows with the wrong cell count become rejects, not guesses."""
    schema = pa.schema([("_record", pa.int64()), ("_line", pa.int64())] + [(n, pa.string()) for n in names])
    width = len(names)
    state = {"record": 0, "loaded": 0}

    def batches() -> Iterator[pa.RecordBatch]:
        buf: list[list] = [[] for _ in range(width + 2)]
        for line, cells in rows:
            state["record"] += 1
            if len(cells) != width:
                rejects.append(Reject(line, f"{len(cells)} cells, expected {width} (cells do not line up with the header: "
                                            "merged or missing cells; fix the row or re-export the file)", _raw(cells)))
                continue
            buf[0].append(state["record"])
            buf[1].append(line)
            for i, cell in enumerate(cells):
                buf[i + 2].append(cell)
            state["loaded"] += 1
            if len(buf[0]) >= BATCH:
                yield pa.RecordBatch.from_arrays([pa.array(c, type=f.type) for c, f in zip(buf, schema)], schema=schema)
                buf = [[] for _ in range(width + 2)]
        if buf[0] or state["loaded"] == 0:
            yield pa.RecordBatch.from_arrays([pa.array(c, type=f.type) for c, f in zip(buf, schema)], schema=schema)

    reader = pa.RecordBatchReader.from_batches(schema, batches())
    con.execute(f"DROP TABLE IF EXISTS {table}")
    con.register("_arrow_rows", reader)
    try:
        cols = ", ".join(qident(c) for c in ["_record", "_line", *names])
        con.execute(f"CREATE TABLE {table} AS SELECT {cols} FROM _arrow_rows")
    finally:
        con.unregister("_arrow_rows")
    return RawTable(table, list(names), state["loaded"], rejects, encoding, list(warnings or []))


def _raw(cells: list[str | None]) -> str:
    return "\t".join("" if c is None else str(c) for c in cells)

"""XLSX / XLS / ODS workbooks (1C list exports, amoCRM and CRM "Excel" exports) via calamine.

calamine (Rust) reads a workbook about ten times faster than openpyxl; openpyxl is kept for
writing the scorecard only. 1C list exports may carry title rows above the header, so the
header is the first row that is about as wide as the table.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from python_calamine import CalamineWorkbook

from ..model import Reject
from .delimited import RawTable, unique_names
from .tabular import load_rows

_TOTALS = ("итого", "всего", "total", "totals")


def cell_text(value) -> str | None:
    """Typed cells back to text the way a person reads them (integers without `.0`, ISO dates)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if (value.hour, value.minute, value.second) != (0, 0, 0) else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    return str(value)


def _pick_sheet(wb: CalamineWorkbook, limit: int):
    best = None
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=limit + 20)
        width = max((sum(1 for c in r if cell_text(c) is not None) for r in rows), default=0)
        if width >= 2 and (best is None or width > best[1]):
            best = (name, width, rows)
    return best


def _header_index(rows, width: int) -> int:
    for i, row in enumerate(rows):
        filled = [cell_text(c) for c in row if cell_text(c) is not None]
        if len(filled) >= max(2, int(width * 0.6)) and all(not _is_number(v) for v in filled):
            return i
    return 0


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
        return True
    except ValueError:
        return False


def head_rows(path: Path, limit: int) -> tuple[str | None, int, list[tuple[str, ...]]]:
    wb = CalamineWorkbook.from_path(str(path))
    picked = _pick_sheet(wb, limit)
    if picked is None:
        return None, 0, []
    name, width, rows = picked
    h = _header_index(rows, width)
    return name, h, [tuple(cell_text(c) or "" for c in r) for r in rows[h:h + limit]]


def read_spreadsheet(con, path: Path, table: str, sheet: str, header_row: int) -> RawTable:
    wb = CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    header = [cell_text(c) or "" for c in rows[header_row]]
    while header and not header[-1]:
        header.pop()
    names = unique_names(header)
    width = len(names)
    rejects: list[Reject] = []

    def data():
        for i in range(header_row + 1, len(rows)):
            cells = [cell_text(c) for c in rows[i]]
            if not any(cells):
                continue  # empty rows are layout, not records
            extra = [c for c in cells[width:] if c is not None]
            cells = cells[:width] + [None] * (width - len(cells))
            line = i + 1  # the row number a person sees in Excel
            first = next((c for c in cells if c), "")
            if first.strip().lower().rstrip(":") in _TOTALS:
                rejects.append(Reject(line, "totals row, not a record", "\t".join(c or "" for c in cells)))
                continue
            if extra:
                rejects.append(Reject(line, f"values beyond the header's {width} columns", "\t".join(c or "" for c in cells + extra)))
                continue
            yield line, cells

    return load_rows(con, table, names, data(), rejects, None)

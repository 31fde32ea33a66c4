"""One stray quote must not swallow a file.

A `"` opening a cell that never closes makes a CSV parser read the rest of the file as one quoted
value: DuckDB then rejects a single "record" holding every later line (60 000 records became
"read 3 = 2 + 1"). When the file's records are one line each (no loaded cell holds a line
break), a quote still open at the end of the file is a broken quote, not a long cell: that one
line is rejected and the lines after it are read again as records (the line is blanked in a work
copy, never in the input). Repeated for each such quote, up to MAX_REPAIRS.
"""
from __future__ import annotations

from pathlib import Path

from ..model import Reject

MAX_REPAIRS = 50
REASON = ("UNQUOTED VALUE: a quote opened in this record never closes, so it ran over the rest of the file "
          "(a stray quote; only this record is rejected, the lines after it are read as records: fix the quoting "
          "or re-export the file)")


def swallowing(rejects: list[Reject], breaks_in_cells, newlines: int, ends_with_newline: bool) -> Reject | None:
    """The reject that swallowed the end of the file, if any.

    DuckDB numbers lines by unquoted line breaks; with no break inside any loaded cell those are
    the file's physical lines up to the bad quote. The swallowing reject is the last one, it spans
    several lines, and the file goes on past its first line."""
    if not rejects:
        return None
    last = max(rejects, key=lambda r: r.line or 0)
    lines = newlines + (0 if ends_with_newline else 1)
    if "UNQUOTED VALUE" not in last.reason or "\n" not in last.raw or not last.line or lines - last.line < 1:
        return None
    # it runs to the end of the file (DuckDB keeps at most 10,000 characters of a rejected line)
    if last.line + last.raw.count("\n") < lines - 1 and len(last.raw) < 10_000:
        return None
    return None if breaks_in_cells() else last  # `breaks_in_cells`: a scan of the table, only when needed


def line_text(path: Path, number: int) -> str:
    with path.open("r", encoding="utf-8", errors="replace", newline="") as fh:
        for n, line in enumerate(fh, 1):
            if n == number:
                return line.rstrip("\r\n").lstrip("\ufeff")
    return ""


def blank_out(src: Path, numbers: set[int], dst: Path) -> Path:
    """A copy of `src` with the given physical lines emptied (their line breaks kept: numbering holds)."""
    with src.open("rb") as fin, dst.open("wb") as fout:
        for n, line in enumerate(fin, 1):
            if n in numbers:
                fout.write(line[len(line.rstrip(b"\r\n")):])
            else:
                fout.write(line)
    return dst

"""Checks before a workbook reaches the native reader (calamine), so a hostile one costs that file only.

calamine builds the whole used range of a sheet in memory: a zip bomb, or one cell declared at
the far corner (XFD1048576), made it allocate gigabytes and abort the process (no exception to
catch). So, before opening:
  1. the archive: total uncompressed size, 200:1 ratio per entry, entry count (archive.py);
  2. the range: for sheets small enough to scan (≤ 16 MiB of XML) the cell references give the
     cells calamine would allocate (first to last row x column): over MAX_CELLS is refused;
  3. a workbook that cannot be measured cheaply (big sheets, ODS with repeated cells) is opened
     first in a child process with a memory limit (CRM_AUDIT_SHEET_MEMORY, default 6GB): if the
     child dies, only this file is refused; if it succeeds, the loader reads it knowing it fits.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from .. import archive

MAX_CELLS = 40_000_000          # 1M rows x 40 columns: above any real export we have seen
SCAN_BYTES = 16 * 1024 * 1024   # sheet XML scanned for cell references up to this size
_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]{1,3})(\d{1,7})"')
_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated="(\d+)"')


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def check(path: Path, kind: str) -> tuple[str | None, bool]:
    """(problem, risky): a one-line refusal, or whether to open it in a child process first."""
    if kind == "xls":
        return None, path.stat().st_size > 64 * 1024 * 1024  # BIFF is bounded (65536 x 256 cells)
    try:
        with zipfile.ZipFile(path) as zf:
            problem = archive.zip_problem(zf, "workbook")
            if problem:
                return problem, False
            risky = False
            for info in zf.infolist():
                name = info.filename
                if kind == "xlsx" and name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    problem, big = _sheet(zf, info)
                elif kind == "ods" and name == "content.xml":
                    problem, big = _ods(zf, info)
                else:
                    continue
                if problem:
                    return problem, False
                risky = risky or big
            return None, risky
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError):
        return None, False  # not a readable zip: the reader's own error says "damaged workbook"


def _span(r1: int, c1: int, r2: int, c2: int) -> int:
    return (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)


def _refused(cells: int, where: str) -> str:
    return (f"the workbook declares {cells:,} cells ({where}; limit {MAX_CELLS:,}): a hostile or broken file — "
            "save the list again (or as CSV) without the far-away cell")


def _sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str | None, bool]:
    """The cell references decide, not the declared `<dimension>` (calamine sizes the range from the
    cells it meets, and some writers declare A1:XFD1048576). A sheet too big to scan is opened in
    the child process first."""
    if info.file_size > SCAN_BYTES:
        return None, True
    with zf.open(info) as fh:
        data = fh.read(SCAN_BYTES + 1)
    rows, cols = [], []
    for letters, digits in _REF.findall(data):
        cols.append(_col(letters))
        rows.append(int(digits))
    if rows:
        cells = _span(min(rows), min(cols), max(rows), max(cols))
        if cells > MAX_CELLS:
            return _refused(cells, f"a cell at row {max(rows):,}, column {max(cols):,}"), False
    return None, False


def _ods(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str | None, bool]:
    if info.file_size > SCAN_BYTES:
        return None, True
    with zf.open(info) as fh:
        data = fh.read(SCAN_BYTES + 1)
    return None, any(int(n) > 1000 for n in _REPEAT.findall(data))


def memory_limit() -> int:
    text = os.environ.get("CRM_AUDIT_SHEET_MEMORY", "6GB").strip().upper()
    m = re.fullmatch(r"(\d+)\s*([KMG]?)B?", text)
    if not m:
        return 6 * 1024 ** 3
    return int(m.group(1)) * {"": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}[m.group(2)]


def probe(path: Path, limit: int, timeout: float = 600) -> tuple[str | None, int, list[tuple[str, ...]]]:
    """The head rows, computed in a child process under a memory limit; ValueError if it fails."""
    try:
        done = subprocess.run([sys.executable, "-m", "connectors.readers.workbook_guard", str(path.absolute()), str(limit)],
                              capture_output=True, timeout=timeout, env={**os.environ, "_CRM_AUDIT_AS": str(memory_limit())},
                              cwd=str(Path(__file__).resolve().parents[2]))
    except subprocess.TimeoutExpired:
        raise ValueError(f"opening the workbook took over {timeout:.0f} s; save it again as XLSX or CSV") from None
    if done.returncode != 0:
        why = "ran out of its memory limit" if done.returncode < 0 or b"MemoryError" in done.stderr or b"memory" in done.stderr.lower() \
            else (done.stderr.decode(errors="replace").strip().splitlines() or ["failed"])[-1][:100]
        raise ValueError(f"the spreadsheet reader {why} on this workbook (CRM_AUDIT_SHEET_MEMORY="
                         f"{memory_limit() // 1024 ** 2}MB): raise that limit, or save the list as CSV")
    sheet, header_row, rows = json.loads(done.stdout)
    return sheet, header_row, [tuple(r) for r in rows]


def _child(argv: list[str]) -> None:
    import resource

    cap = int(os.environ.get("_CRM_AUDIT_AS", memory_limit()))
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)  # already limited from outside: stay within it
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    from .spreadsheet import head_rows

    sheet, header_row, rows = head_rows(Path(argv[0]), int(argv[1]))
    sys.stdout.write(json.dumps([sheet, header_row, [list(r) for r in rows]], ensure_ascii=False))


if __name__ == "__main__":
    _child(sys.argv[1:])

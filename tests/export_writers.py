"""Small writers of realistic export files for tests (Bitrix24 CSV, 1C XLSX) and INN helpers."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl


def csv_records(text: str, delimiter: str = ",") -> list[tuple[int, list[str]]]:
    """(start line, cells) of every record after the header, from Python's csv module: the line
    numbers a loader must report. Empty lines are no records."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(reader)
    prev, out = reader.line_num, []
    for row in reader:
        if row:
            out.append((prev + 1, row))
        prev = reader.line_num
    return out


def inn10(body: str) -> str:
    """A valid 10-digit INN from 9 digits (checksum weights from FORMATS.md §6.1)."""
    w = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    return body + str(sum(a * int(d) for a, d in zip(w, body)) % 11 % 10)


def broken(inn: str) -> str:
    """The same INN with a wrong check digit."""
    return inn[:-1] + str((int(inn[-1]) + 1) % 10)


def bitrix_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """Bitrix24 step export: BOM, `;`, every cell quoted, a `;` after the last cell, LF."""
    def line(cells):
        return "".join('"' + str(c).replace('"', '""') + '";' for c in cells)
    path.write_bytes(("\ufeff" + "\n".join([line(header), *map(line, rows)]) + "\n").encode("utf-8"))
    return path


def quoted_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    """Salesforce / amoCRM style: comma-delimited, every cell quoted, UTF-8 without BOM."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL)
        w.writerow(header)
        w.writerows(rows)
    return path


def onec_xlsx(path: Path, header: list[str], rows: list[list]) -> Path:
    """1C list export: sheet TDSheet, header row, empty cells truly empty."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "TDSheet"
    ws.append(header)
    for r in rows:
        ws.append([None if v == "" else v for v in r])
    wb.save(path)
    return path

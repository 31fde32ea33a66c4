"""A bounded peek at a file: its kind, encoding, delimiter and first rows.

Recognition must not depend on file names (users rename exports), so everything here is
decided from bytes. Only the head is read; the readers validate the rest while loading.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from pathlib import Path

from .model import Sample
from .readers import charset

HEAD_BYTES = 256 * 1024
SAMPLE_ROWS = 30
DELIMITERS = (";", ",", "\t", "|")
_HTML_START = re.compile(r"^\s*(<!doctype html|<html|<meta|<head|<table|<body|<style)", re.I)
_XML_START = re.compile(r"^\s*<\?xml|^\s*<[^\s>!?]+[\s>]")


def peek(path: Path) -> Sample:
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    if not head:
        return Sample(path=path, head=head, size=size, kind="empty")
    if head.startswith(b"PK\x03\x04"):
        return _peek_zip(path, head, size)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _peek_spreadsheet(path, head, size, "xls")
    encoding, bom = guess_encoding(head, complete=size <= HEAD_BYTES)
    if encoding is None:
        return Sample(path=path, head=head, size=size, kind="binary")
    text = _decode_head(head, encoding, bom, complete=size <= HEAD_BYTES)
    stripped = text.lstrip()
    if not stripped:
        return Sample(path=path, head=head, size=size, kind="empty", encoding=encoding, bom=bom, text=text)
    if stripped.startswith("1CClientBankExchange"):
        enc = _bank_encoding(head, encoding, text)
        text = _decode_head(head, enc, bom, complete=size <= HEAD_BYTES)
        return Sample(path=path, head=head, size=size, kind="bank", encoding=enc, bom=bom, text=text)
    if _HTML_START.match(stripped[:2000]) or ("<table" in stripped[:5000].lower() and stripped.startswith("<")):
        return _peek_html(path, head, size, encoding, bom, text)
    if _XML_START.match(stripped[:2000]):
        return Sample(path=path, head=head, size=size, kind="xml", encoding=_xml_encoding(text, encoding), bom=bom, text=text)
    return _peek_delimited(path, head, size, encoding, bom, text)


def guess_encoding(data: bytes, complete: bool) -> tuple[str | None, bool]:
    """(python codec, has BOM) of a text head, or (None, False) when it is not text.
    A first guess for recognition: the readers decide again over the whole file (charset.py)."""
    bom = charset.bom_encoding(data)
    if bom:
        return bom, True
    utf16 = charset.utf16_without_bom(data)
    if utf16:
        return utf16, False
    if b"\x00" in data[:4096]:
        return None, False
    controls = sum(1 for b in data[:4096] if b < 9 or 13 < b < 32)
    if controls > len(data[:4096]) * 0.02:
        return None, False
    return charset.choose_head(data, complete), False


def _cut_to_line(data: bytes) -> bytes:
    cut = data.rfind(b"\n")
    return data[: cut + 1] if cut > 0 else data


def _decode_head(head: bytes, encoding: str, bom: bool, complete: bool) -> str:
    data = head if complete else _cut_to_line(head)
    text = data.decode(encoding, errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def _bank_encoding(head: bytes, encoding: str, text: str) -> str:
    # 1CClientBankExchange declares its code page in the file itself.
    m = re.search(r"Кодировка=(\w+)", text) or re.search(r"Кодировка=(\w+)", head.decode("cp1251", "replace"))
    if m:
        return {"windows": "cp1251", "dos": "cp866", "utf8": "utf-8", "utf-8": "utf-8"}.get(m.group(1).lower(), encoding)
    return encoding


def _xml_encoding(text: str, fallback: str) -> str:
    m = re.match(r"\s*<\?xml[^>]*encoding=[\"']([\w-]+)[\"']", text)
    if not m:
        return fallback
    try:
        return codecs.lookup(m.group(1)).name
    except LookupError:
        return fallback


def sniff_delimiter(lines: list[str]) -> str | None:
    """The delimiter that splits the first lines into the most consistent, widest rows."""
    best, best_score = None, 0.0
    sample = "\n".join(lines)
    for delim in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=delim, quotechar='"'))
        except csv.Error:
            continue
        rows = [r for r in rows if r]
        if len(rows) > 1:
            rows = rows[:-1] if len(lines) > 2 else rows  # the last line of a head may be cut
        widths = [len(r) for r in rows]
        if not widths or max(widths) < 2:
            continue
        modal = max(set(widths), key=widths.count)
        consistency = widths.count(modal) / len(widths)
        score = consistency * min(modal, 50)
        if score > best_score:
            best, best_score = delim, score
    return best


def _peek_delimited(path, head, size, encoding, bom, text) -> Sample:
    lines = text.splitlines()[: SAMPLE_ROWS + 20]
    delim = sniff_delimiter(lines)
    if delim is None:
        return Sample(path=path, head=head, size=size, kind="text", encoding=encoding, bom=bom, text=text)
    # CR-only line ends (Excel for Mac "CSV (Macintosh)") are line ends too: DuckDB reads them,
    # and the sample is parsed with universal newlines
    body = text if size <= HEAD_BYTES else text[: max(text.rfind("\n"), text.rfind("\r")) + 1]
    rows: list[tuple[str, ...]] = []
    try:
        for row in csv.reader(io.StringIO(body, newline=None), delimiter=delim, quotechar='"'):
            if row:
                rows.append(tuple(row))
            if len(rows) > SAMPLE_ROWS:
                break
    except csv.Error:
        pass  # a head cut inside a quoted cell: the rows parsed so far are the sample
    if not rows:
        return Sample(path=path, head=head, size=size, kind="text", encoding=encoding, bom=bom, text=text)
    h = header_index(rows)
    header = rows[h]
    if _trailing_only_on_data(header, rows[h + 1:]):
        header = header + ("",)  # Sipuni: no `;` after the header's last title, one after every data row's
    return Sample(path=path, head=head, size=size, kind="csv", encoding=encoding, bom=bom, text=text,
                  delimiter=delim, header=header, rows=tuple(rows[h + 1:]), header_row=h,
                  titles=tuple(" ".join(c for c in r if c.strip()) for r in rows[:h]))


def header_index(rows: list[tuple[str, ...]]) -> int:
    """The header is the first row as wide as the table: 1C list exports put the list's title (one
    cell) and sometimes a period line above it. Only a single line per title row is assumed."""
    widths = [len(r) for r in rows]
    if len(widths) < 3:
        return 0
    modal = max(set(widths), key=widths.count)
    for i, row in enumerate(rows[:10]):
        if len(row) == modal and sum(1 for c in row if c.strip()) >= 2:
            return i
        if len(row) == modal - 1 and sum(1 for c in row if c.strip()) >= 2 and _trailing_only_on_data(row, rows[i + 1:]):
            return i  # a header one cell short of rows that all end with an empty cell (a trailing `;`)
    return 0


def _trailing_only_on_data(header: tuple[str, ...], rows) -> bool:
    """Every data row has exactly one cell more than the header, and it is empty."""
    body = [r for r in rows[:-1] or rows if any(c.strip() for c in r)]  # the head's last row may be cut
    return bool(body) and all(len(r) == len(header) + 1 and not r[-1].strip() for r in body)


def _peek_html(path, head, size, encoding, bom, text) -> Sample:
    from .readers.html_table import head_rows

    rows = head_rows(text, SAMPLE_ROWS + 1)
    width = max((len(r) for r in rows), default=0)
    h = next((i for i, r in enumerate(rows) if len(r) == width and sum(1 for c in r if c.strip()) >= 2), 0)
    header = rows[h] if rows else ()
    return Sample(path=path, head=head, size=size, kind="html", encoding=encoding, bom=bom, text=text,
                  header=header, rows=tuple(rows[h + 1:]), header_row=h,
                  titles=tuple(" ".join(c for c in r if c.strip()) for r in rows[:h]))


def _peek_zip(path, head, size) -> Sample:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile:
        return Sample(path=path, head=head, size=size, kind="binary")
    if "xl/workbook.xml" in names:
        return _peek_spreadsheet(path, head, size, "xlsx")
    if "content.xml" in names and "mimetype" in names:
        return _peek_spreadsheet(path, head, size, "ods")
    return Sample(path=path, head=head, size=size, kind="binary")


def _peek_spreadsheet(path, head, size, kind) -> Sample:
    from .readers import workbook_guard
    from .readers.spreadsheet import head_rows

    problem, risky = workbook_guard.check(path, kind)  # bombs and far-corner cells never reach calamine
    if problem:
        return Sample(path=path, head=head, size=size, kind=kind, problem=problem)
    try:
        if risky:  # cannot be measured cheaply: opened first in a child process under a memory limit
            sheet, header_row, rows = workbook_guard.probe(path, SAMPLE_ROWS + 1)
        else:
            sheet, header_row, rows = head_rows(path, SAMPLE_ROWS + 1)
    except ValueError as err:
        if risky:
            return Sample(path=path, head=head, size=size, kind=kind, problem=str(err))
        return Sample(path=path, head=head, size=size, kind="binary")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - a truncated or corrupt workbook (or a Rust panic, which is
        # a BaseException) is reported by the loader as a damaged workbook, not here
        return Sample(path=path, head=head, size=size, kind="binary")
    header = rows[0] if rows else ()
    return Sample(path=path, head=head, size=size, kind=kind, header=header, rows=tuple(rows[1:]),
                  sheet=sheet, header_row=header_row)

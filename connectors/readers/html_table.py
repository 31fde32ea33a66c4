"""HTML tables saved as `.xls` (Bitrix24 "Экспорт в Excel", Bitrix24 call statistics).

Not Excel at all (FORMATS.md §1.3): an HTML `<table>` with entities and nested spans, so it is
parsed as HTML, streamed row by row with lxml; cell text has tags stripped.
"""
from __future__ import annotations

import itertools
from pathlib import Path

import lxml.html
from lxml import etree

from .delimited import RawTable, unique_names
from .tabular import load_rows


def _cell_text(cell) -> str | None:
    # Text gathered by walking the tree, not with text_content(): iterparse yields plain
    # lxml.etree elements, which have no text_content() (every real "Excel" export crashed the
    # loader). `<br>` is a line break inside the cell (several phones, multi-line notes), so it
    # becomes "\n" instead of gluing the words together; other whitespace collapses as HTML does.
    parts: list[str] = []
    _gather(cell, parts)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    return text if text else None


def _gather(node, parts: list[str]) -> None:
    if node.tag == "br":
        parts.append("\n")
    elif isinstance(node.tag, str) and node.text:  # comments / processing instructions hold no cell text
        parts.append(node.text)
    for child in node:
        _gather(child, parts)
        if child.tail:
            parts.append(child.tail)


def head_rows(text: str, limit: int) -> list[tuple[str, ...]]:
    try:
        doc = lxml.html.fromstring(text)
    except (etree.ParserError, ValueError):
        return []
    out = []
    for tr in doc.iter("tr"):
        out.append(tuple(_cell_text(c) or "" for c in tr if c.tag in ("td", "th")))
        if len(out) >= limit:
            break
    return out


def _iter_rows(path: Path, encoding: str):
    for _, tr in etree.iterparse(str(path), events=("end",), tag="tr", html=True, encoding=encoding, recover=True):
        cells = [_cell_text(c) for c in tr if c.tag in ("td", "th")]
        line = tr.sourceline or 0
        tr.clear()
        yield line, cells


def read_html_table(con, path: Path, table: str, encoding: str) -> RawTable:
    """The header is the first row as wide as the table (1C saves a title row above it);
    rows with no text at all are layout spacers, not records."""
    rows = _iter_rows(path, encoding)
    head = list(itertools.islice(rows, 30))
    width = max((len(cells) for _, cells in head), default=0)
    h = next((i for i, (_, cells) in enumerate(head) if len(cells) == width and sum(1 for c in cells if c) >= 2), 0)
    names = unique_names([c or "" for c in head[h][1]]) if head else []
    warnings = [f"{h} title row(s) above the header skipped (not records)"] if h else []
    data = ((line, cells) for line, cells in itertools.chain(head[h + 1:], rows) if any(cells))
    return load_rows(con, table, names, data, [], encoding, warnings)

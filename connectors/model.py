"""Typed records that connectors pass around: what a file looks like, what it is, what loading did."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class InputError(Exception):
    """A problem with a user's file or arguments: shown as one line that names the fix."""


@dataclass(frozen=True)
class Sample:
    """A bounded peek at one file: enough to recognise it without reading it all."""

    path: Path
    head: bytes                      # first bytes, raw
    size: int
    kind: str                        # csv | html | xlsx | xls | xml | bank | text | binary | empty
    encoding: str | None = None      # python codec name of the text, when text
    bom: bool = False
    text: str = ""                   # decoded head (text kinds)
    delimiter: str | None = None     # csv-like only
    header: tuple[str, ...] = ()     # first row cells as written (csv/html/xlsx)
    rows: tuple[tuple[str, ...], ...] = ()  # a few first data rows (first row included when headerless)
    sheet: str | None = None         # xlsx/xls: the sheet holding the table
    header_row: int = 0              # 0-based index of the header among the non-empty rows
    titles: tuple[str, ...] = ()     # text of title rows above the header (1C: "Счета на оплату ...")
    problem: str | None = None       # refused before reading (a hostile workbook): the one-line reason


@dataclass(frozen=True)
class Detection:
    """One connector's verdict on a sample."""

    system: str
    entity: str
    confidence: float                # 0..1
    profile: str                     # profile key in the registry
    why: str = ""


@dataclass
class Reject:
    line: int | None
    reason: str
    raw: str


@dataclass
class FileReport:
    """What happened to one input file (one entry of audit.json `inputs`, per entity)."""

    path: str
    sha256: str
    system: str = "unknown"
    entity: str = "unknown"
    confidence: float = 0.0
    encoding: str | None = None
    delimiter: str | None = None
    kind: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    problem: str | None = None
    raw_table: str | None = None
    mapped: dict[str, list[str]] = field(default_factory=dict)  # canonical field -> source column(s)
    unmapped: list[str] = field(default_factory=list)        # source columns kept only in raw
    warnings: list[str] = field(default_factory=list)
    replaced: int = 0                                        # U+FFFD characters in the text read
    found_by: dict[str, str] = field(default_factory=dict)   # canonical field -> "content" when not found by its title
    region: str | None = None                                # default phone region its numbers were read in
    clean_table: str | None = None   # a view of raw_table without control characters (canonical tables read it)

    def contract_entry(self) -> dict:
        """The keys of `inputs` in the audit.json contract."""
        entry = {
            "path": self.path,
            "sha256": self.sha256,
            "system": self.system,
            "entity": self.entity,
            "encoding": self.encoding or "",
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
        }
        if self.problem:
            entry["problem"] = self.problem
        if self.replaced:
            entry["replacement_chars"] = self.replaced
        if self.region:
            entry["phone_region"] = self.region
        return entry

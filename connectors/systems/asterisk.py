"""Asterisk call detail records: cdr_csv `Master.csv`, cdr_custom, and FreePBX's CSV export (FORMATS.md §4.1–4.2).

cdr_csv writes no header row, so a file is recognised by its shape: 16, 17, 18 or 21 fields
with timestamps at 10–12 and a disposition at 15. cdr_custom's default layout starts with the
caller id (`"Name" <number>`). FreePBX exports the same fields with a header row.
"""
import re

from ..model import Sample
from ..profile import Profile

SYSTEM = "asterisk"
DISPOSITIONS = {"ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"}
_TS = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
_CDR_BASE = ["accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp", "lastdata",
             "start", "answer", "end", "duration", "billsec", "disposition", "amaflags"]
_CDR_OPTIONAL = {16: [], 17: ["uniqueid"], 18: ["uniqueid", "userfield"],
                 19: ["uniqueid", "peeraccount", "linkedid"],  # loguserfield=no with newcdrcolumns (rare)
                 21: ["uniqueid", "userfield", "peeraccount", "linkedid", "sequence"]}
_CUSTOM = ["clid", "src", "dst", "dcontext", "channel", "dstchannel", "lastapp", "lastdata", "start", "answer",
           "end", "duration", "billsec", "disposition", "amaflags", "accountcode", "uniqueid", "userfield", "sequence"]


def _rows(sample: Sample) -> list[tuple[str, ...]]:
    return [sample.header, *sample.rows] if sample.header else list(sample.rows)


def _share(rows, test) -> float:
    return sum(1 for r in rows if test(r)) / len(rows) if rows else 0.0


def _cdr_csv_ok(r) -> bool:
    return len(r) in _CDR_OPTIONAL and r[14] in DISPOSITIONS and bool(_TS.match(r[9]))


def _cdr_custom_ok(r) -> bool:
    return len(r) >= 15 and r[13] in DISPOSITIONS and bool(_TS.match(r[8]))


def detect_cdr_csv(sample: Sample) -> float:
    if sample.delimiter != ",":
        return 0.0
    return round(0.97 * _share(_rows(sample), _cdr_csv_ok), 3)


def detect_cdr_custom(sample: Sample) -> float:
    if sample.delimiter != ",":
        return 0.0
    rows = _rows(sample)
    if _share(rows, _cdr_csv_ok) > 0.5:
        return 0.0
    return round(0.95 * _share(rows, _cdr_custom_ok), 3)


def cdr_csv_columns(sample: Sample) -> list[str] | None:
    widths = [len(r) for r in _rows(sample)]
    width = max(set(widths), key=widths.count)
    return _CDR_BASE + _CDR_OPTIONAL[width] if width in _CDR_OPTIONAL else None


def cdr_custom_columns(sample: Sample) -> list[str] | None:
    widths = [len(r) for r in _rows(sample)]
    width = max(set(widths), key=widths.count)
    names = _CUSTOM[:width] if width <= len(_CUSTOM) else _CUSTOM + [f"extra_{i}" for i in range(width - len(_CUSTOM))]
    return names


_FIELDS = {
    "record_id": ("uniqueid",), "call_id": ("linkedid", "uniqueid"), "started_at": ("start", "calldate"),
    "answered_at": ("answer",), "ended_at": ("end",), "duration": ("duration",), "billsec": ("billsec",),
    "status": ("disposition",), "from_number": ("src",), "to_number": ("dst",), "employee": ("cnam",),
    "context": ("dcontext",), "channel": ("channel",), "app": ("lastapp",),
}

CDR_CSV = Profile(system=SYSTEM, entity="calls", variant="cdr_csv", fields=_FIELDS, kinds=("csv",), reader="headerless",
                  detector=detect_cdr_csv, columns_for=cdr_csv_columns)
CDR_CUSTOM = Profile(system=SYSTEM, entity="calls", variant="cdr_custom", fields=_FIELDS, kinds=("csv",), reader="headerless",
                     detector=detect_cdr_custom, columns_for=cdr_custom_columns)
FREEPBX = Profile(
    system="freepbx", entity="calls", kinds=("csv",),
    markers=("calldate", "clid", "src", "dst", "dcontext", "channel", "dstchannel", "lastapp", "disposition",
             "billsec", "uniqueid", "linkedid", "recordingfile", "did", "cnum"),
    fields={**_FIELDS, "from_number": ("src", "cnum"), "to_number": ("dst",)},
    required=("started_at", "status"),
)

PROFILES = (CDR_CSV, CDR_CUSTOM, FREEPBX)

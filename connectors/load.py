"""Load export files into DuckDB: discover → peek → detect → read raw → map → canonical tables.

Every file gets a FileReport; a bad file gets a one-line `problem` and the others still load.
Accounting always closes: rows_read = rows_loaded + rows_rejected, rejects kept in meta.rejects.
"""
from __future__ import annotations

import hashlib
import re
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb

from . import archive, content_fields, registry
from .canonical import build as canonical
from .model import Detection, FileReport, InputError, Sample
from .profile import Profile
from .readers.delimited import RawTable, qident, read_delimited, unique_names
from .readers.html_table import read_html_table
from .readers.spreadsheet import read_spreadsheet
from .discover import Target, discover, parse_target
from .sniff import peek
from .split import split as split_rows

Progress = Callable[[str], None]
__all__ = ["Target", "discover", "parse_target", "load", "load_file"]  # discovery lives in discover.py
# Optional structured progress (the web app's stage bar): stage(name, info), called before and after each file.
Stage = Callable[[str, dict], None]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(4 * 1024 * 1024):
            h.update(chunk)
    return h.hexdigest()


def _problem_for_kind(sample: Sample) -> str | None:
    if sample.kind == "empty":
        return "empty file (no data at all); re-export it from the source system"
    if sample.kind == "binary" and sample.head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        # a workbook (zip / OLE2 signature) that cannot be opened: saying "not an XLSX" misled users
        return "a damaged or truncated workbook (XLSX/XLS) that cannot be opened; download or export it again"
    if sample.kind == "binary":
        return "binary or corrupt file, not a CSV/XLSX/HTML/XML export; re-export it as CSV or XLSX"
    if sample.kind == "xml" and re.search(r"<(xs|xsd):schema\b", sample.text[:4000]):
        return "an XML schema (.xsd) describes a format, it holds no records; nothing to load"
    if sample.kind == "text" and sample.size > len(sample.head) and not re.search(rb"[\r\n]", sample.head):
        return (f"no line break in the first {len(sample.head) // 1024} KiB (the limit for a header line): not a table "
                "export; export the list as CSV or XLSX")
    if sample.kind == "text":
        return "plain text with no table structure; export the list as CSV or XLSX"
    return None


_NOT_EXPORTS = {".md": "documentation", ".rst": "documentation", ".py": "code", ".ipynb": "a notebook",
                ".json": "a JSON document", ".yaml": "a settings file", ".yml": "a settings file"}


def _not_an_export(path: Path) -> str | None:
    """Only the wording: a file that matched no profile and whose extension says what it is."""
    kind = _NOT_EXPORTS.get(path.suffix.lower())
    return f"not an export ({kind}); nothing to load — if it really is one, name it with PATH:system:entity" if kind else None


def _dictionary_problem(sample: Sample) -> str | None:
    from .headers import norm_header

    names = {norm_header(h) for h in sample.header}
    if {"field", "description"} <= names or {"поле", "описание"} <= names:
        return "a data dictionary (describes columns), not records; nothing to load"
    return None


def load(targets: list[Target], con: duckdb.DuckDBPyConnection, *, region: str | None = None,
         progress: Progress | None = None, extra: tuple[Profile, ...] = (),
         stage: Stage | None = None, timings: dict[str, float] | None = None) -> tuple[list[FileReport], dict[str, int]]:
    """`extra`: profiles from the user's mapping files (mapping_file.py), tried before the built-in ones.
    `region`: the phone region of every file (`--region`); None infers it per file (canonical/regions.py).
    `timings`, when given, receives the seconds of each file (`file:<path>`) and of `canonical`."""
    timings = {} if timings is None else timings
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    con.execute("CREATE OR REPLACE TABLE meta.rejects (file VARCHAR, line BIGINT, reason VARCHAR, raw VARCHAR)")
    reports: list[FileReport] = []
    with tempfile.TemporaryDirectory(prefix="crm-audit-") as tmp:
        index = 0
        for i, target in enumerate(targets, 1):
            if progress:
                progress(f"[{i}/{len(targets)}] {target.display}")
            if stage:
                stage("loading", {"index": i, "total": len(targets), "file": target.display})
            t0 = time.perf_counter()
            new: list[FileReport] = []
            for member in _expand(target, Path(tmp)):
                if isinstance(member, FileReport):
                    new.append(member)
                    continue
                index += 1
                new += load_file(con, member, index, Path(tmp), extra)
            reports += new
            timings[f"file:{target.display}"] = time.perf_counter() - t0
            if stage:
                stage("loaded", {"index": i, "total": len(targets), "file": target.display, "reports": new})
    if stage:
        stage("canonical", {})
    t0 = time.perf_counter()
    counts = canonical.build(con, reports, region)
    timings["canonical"] = time.perf_counter() - t0
    _write_meta(con, reports)
    return reports, counts


MAX_COLUMNS = 5000  # a 10,000-column file loads in ~5 s of CPU; wider ones are refused (none is a real export)
_NOTHING = hashlib.sha256(b"").hexdigest()  # the digest of what was read from an entry that is not read


def _expand(target: Target, workdir: Path):
    """The target itself, or the files of a .zip of exports (unpacked safely, archive.py), or the
    report of an entry that is not read at all (links, pipes: discover.py says why)."""
    if target.problem:
        yield FileReport(path=target.display, sha256=_NOTHING, problem=target.problem)
        return
    if not _is_export_zip(target.path):
        yield target
        return
    dest = Path(tempfile.mkdtemp(prefix="zip-", dir=workdir))
    try:
        unpacked = archive.unpack(target.path, dest)
    except (ValueError, zipfile.BadZipFile, OSError, EOFError) as err:
        yield FileReport(path=target.display, sha256=_safe_sha(target.path), kind="zip", problem=_zip_problem(err))
        return
    if not unpacked.files and not unpacked.skipped:
        yield FileReport(path=target.display, sha256=_safe_sha(target.path), kind="zip",
                         problem="an empty archive (no files inside); put the exports in it and zip it again")
    for name, problem in unpacked.skipped:
        yield FileReport(path=f"{target.display}/{name}", sha256=_NOTHING, problem=problem)
    for path, name in unpacked.files:
        yield Target(path, f"{target.display}/{name}", target.override)


def _zip_problem(err: Exception) -> str:
    if isinstance(err, ValueError):
        return str(err)
    return "a damaged or truncated .zip archive that cannot be opened; download it or zip the exports again"


def _is_export_zip(path: Path) -> bool:
    """A zip that is not a workbook (XLSX / ODS are zips too: they go to the spreadsheet reader)."""
    try:
        with path.open("rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                return False
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist()[:10_000])
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return path.suffix.lower() == ".zip"  # a damaged .zip is said to be one, not "a damaged workbook"
    return not ({"xl/workbook.xml", "[Content_Types].xml", "content.xml", "mimetype"} & names)


def _safe_sha(path: Path) -> str:
    try:
        return sha256(path)
    except OSError:
        return _NOTHING


def load_file(con, target: Target, index: int, workdir: Path, extra: tuple[Profile, ...] = ()) -> list[FileReport]:
    rep = FileReport(path=target.display, sha256=_NOTHING)
    try:
        rep.sha256 = sha256(target.path)
        sample = peek(target.path)
    except OSError as err:
        rep.problem = f"cannot read the file ({err.strerror or err}); check permissions"
        return [rep]
    rep.kind, rep.encoding, rep.delimiter = sample.kind, sample.encoding, sample.delimiter
    if sample.problem:  # refused before reading (workbook_guard): even a PATH:system:entity override
        rep.problem = sample.problem
        return [rep]
    if len(sample.header) > MAX_COLUMNS:  # refused early: every step's cost grows with the columns
        rep.problem = (f"{len(sample.header):,} columns (limit {MAX_COLUMNS:,}): not a list export as CRMs and 1C write "
                       "them; export only the fields you need")
        return [rep]
    problem = _problem_for_kind(sample)
    if problem and not target.override:
        rep.problem = (_not_an_export(target.path) if sample.kind == "text" else None) or problem
        return [rep]
    detection, problem = _choose(sample, target, extra)
    if detection is None:
        rep.problem = _dictionary_problem(sample) or _not_an_export(target.path) or problem
        return [rep]
    rep.system, rep.entity, rep.confidence = detection.system, detection.entity, detection.confidence
    profile = registry.by_key(detection.profile, extra) or registry.find(detection.system, detection.entity, extra)
    if hasattr(profile, "adapt"):  # a user mapping may fix the delimiter / encoding
        sample = profile.adapt(sample)
        rep.encoding, rep.delimiter = sample.encoding, sample.delimiter
    table = f'raw."{index:03d}_{_slug(target.path.stem)}"'
    try:
        results = _read(con, profile, sample, target.path, table, workdir)
    except InputError as err:
        rep.problem = str(err)
        return [rep]
    except (duckdb.Error, zipfile.BadZipFile, ValueError, KeyError, IndexError, OSError) as err:
        rep.problem = _read_problem(sample, err)
        return [rep]
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as err:  # noqa: BLE001 - any reader failure is this file's problem: the others
        # still load and the CLI prints one line, never a traceback (an lxml AttributeError once did;
        # a Rust panic inside calamine arrives as a BaseException)
        rep.problem = _read_problem(sample, err)
        return [rep]
    out = []
    parts = []
    for entity, raw in results:
        # the detected layout itself (Bitrix24's UI and REST layouts are one system + entity)
        own = profile if profile.entity == entity else registry.find(rep.system, entity, extra) or profile
        for key, part in split_rows(con, own, raw):
            sub = registry.by_key(key, extra) if key else None
            parts.append((sub.entity if sub else entity, part, sub or own, raw))
    stored: set[str] = set()
    for entity, raw, prof, whole in parts:
        r = FileReport(**{**rep.__dict__, "entity": entity, "mapped": {}, "unmapped": [], "warnings": [], "found_by": {}})
        r.raw_table = raw.table
        r.encoding = raw.encoding or r.encoding
        r.rows_loaded = raw.loaded
        r.rows_rejected = len(raw.rejects)
        r.rows_read = r.rows_loaded + r.rows_rejected
        r.warnings = list(raw.warnings)
        r.mapped = prof.map_columns(raw.columns)
        used = {c for cols in r.mapped.values() for c in cols}
        if entity == "companies" and r.rows_loaded:
            found = content_fields.infer(con, raw.table, [c for c in raw.columns if c not in used], r.mapped)
            r.mapped.update(found)
            r.warnings += content_fields.describe(found)
            used |= {c for cols in found.values() for c in cols}
        r.unmapped = [c for c in raw.columns if c not in used]
        if r.rows_read == 0:
            r.problem = "header only: the file has no records; re-export with data"
        elif r.rows_rejected and r.rows_loaded == 0:
            r.problem = f"no row could be read ({raw.rejects[0].reason}); check the export's format"
        elif raw.problem:
            r.problem = raw.problem
        elif raw.replaced:
            r.problem = replacement_problem(raw.replaced, r.encoding)
        r.replaced = raw.replaced
        _clean_controls(con, r, raw.columns)
        if whole.table not in stored:
            _store_rejects(con, r.path, whole)
            stored.add(whole.table)
        out.append(r)
    return out


# C0 control characters that no spreadsheet or page may hold (openpyxl's ILLEGAL_CHARACTERS_RE):
# tab, line feed and carriage return are text. RE2 syntax, for DuckDB.
CONTROLS = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"


def _clean_controls(con, rep: FileReport, cols: list[str]) -> None:
    """Count the control characters of a loaded file (a warning) and give the canonical tables a
    view without them; the raw table keeps every value exactly as read. One scan of the file's
    cells; the view exists only for files that hold such characters."""
    if not rep.raw_table or not rep.rows_loaded:
        return
    if not cols:
        return
    joined = "concat_ws(chr(9), " + ", ".join(qident(c) for c in cols) + ")"
    n_chars, n_rows = con.execute(
        f"""SELECT coalesce(sum(length(s) - length(regexp_replace(s, '{CONTROLS}', '', 'g'))), 0), count(*)
            FROM (SELECT {joined} AS s FROM {rep.raw_table}) WHERE regexp_matches(s, '{CONTROLS}')""").fetchone()
    if not n_chars:
        return
    clean = rep.raw_table[:-1] + '_clean"' if rep.raw_table.endswith('"') else rep.raw_table + "_clean"
    repl = ", ".join(f"regexp_replace({qident(c)}, '{CONTROLS}', '', 'g') AS {qident(c)}" for c in cols)
    con.execute(f"CREATE OR REPLACE VIEW {clean} AS SELECT * REPLACE ({repl}) FROM {rep.raw_table}")
    rep.clean_table = clean
    rep.warnings.append(f"{n_chars} control character(s) (NUL, ESC...) in {n_rows} row(s) removed from the values; "
                        f"the raw values are kept in {rep.raw_table}")


def _choose(sample: Sample, target: Target, extra: tuple[Profile, ...] = ()) -> tuple[Detection | None, str | None]:
    if target.override:
        system, entity = target.override
        profile = registry.best_variant(system, entity, sample, extra)
        conf, why = profile.score(sample)
        return Detection(system, entity, 1.0, profile.key, f"user override (own score {conf:.2f})"), None
    return registry.detect(sample, extra)


def _read(con, profile: Profile, sample: Sample, path: Path, table: str, workdir: Path) -> list[tuple[str, RawTable]]:
    if profile.reader == "headerless":
        names = profile.columns_for(sample) if profile.columns_for else None
        if not names:
            raise InputError("rows have a field count this call-log layout does not define; name the file with PATH:system:entity")
        raw = read_delimited(con, path, table, workdir, encoding=sample.encoding, delimiter=sample.delimiter,
                             names=names, header=False)
        return [(profile.entity, raw)]
    if profile.reader != "table":
        from .readers import special

        return special.read(profile.reader, con, sample, path, table, workdir)
    if sample.kind == "csv":
        raw = read_delimited(con, path, table, workdir, encoding=sample.encoding, delimiter=sample.delimiter,
                             names=unique_names(sample.header), header=True, skip=sample.header_row,
                             detect_encoding=not getattr(profile, "encoding", None))
    elif sample.kind == "html":
        raw = read_html_table(con, path, table, sample.encoding)
    elif sample.kind in ("xlsx", "xls", "ods"):
        raw = read_spreadsheet(con, path, table, sample.sheet, sample.header_row)
    else:
        raise InputError(f"a {sample.kind} file cannot hold {profile.system} {profile.entity}; check the file")
    return [(profile.entity, raw)]


def replacement_problem(count: int, encoding: str | None) -> str:
    """Text decoded with replacement characters: every figure resting on it must say so."""
    return (f"{count} character(s) could not be decoded ({encoding or 'unknown encoding'}) and read as U+FFFD: "
            "names and texts of this file may be wrong; re-export it as UTF-8")


def _read_problem(sample: Sample, err: Exception) -> str:
    first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    if sample.kind in ("xlsx", "xls", "ods"):
        return f"cannot read the workbook ({first[:120]}); it may be truncated or password-protected: re-export it"
    return f"cannot read the file ({first[:160]}); re-export it or name its format with PATH:system:entity"


def _slug(stem: str) -> str:
    return re.sub(r"[^\w]+", "_", stem)[:40].strip("_") or "file"


def _store_rejects(con, path: str, raw: RawTable) -> None:
    if raw.rejects:
        # One statement with list parameters, not executemany: that costs ~1 ms a row (30 s for 30k rejects).
        con.execute("INSERT INTO meta.rejects SELECT ?, unnest(?::BIGINT[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
                    [path, [r.line for r in raw.rejects], [r.reason for r in raw.rejects], [r.raw for r in raw.rejects]])


def _write_meta(con, reports: list[FileReport]) -> None:
    con.execute(
        """CREATE OR REPLACE TABLE meta.files (path VARCHAR, sha256 VARCHAR, system VARCHAR, entity VARCHAR,
           confidence DOUBLE, kind VARCHAR, encoding VARCHAR, delimiter VARCHAR, rows_read BIGINT, rows_loaded BIGINT,
           rows_rejected BIGINT, problem VARCHAR, raw_table VARCHAR, warnings VARCHAR)"""
    )
    # one statement with list parameters per table, not executemany (~1 ms a row: 5,000 files or a
    # 2,000-column file took seconds here)
    rows = [(r.path, r.sha256, r.system, r.entity, r.confidence, r.kind, r.encoding, r.delimiter, r.rows_read,
             r.rows_loaded, r.rows_rejected, r.problem, r.raw_table, "; ".join(r.warnings)) for r in reports]
    types = ("VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE", "VARCHAR", "VARCHAR", "VARCHAR", "BIGINT", "BIGINT",
             "BIGINT", "VARCHAR", "VARCHAR", "VARCHAR")
    _insert_columns(con, "meta.files", rows, types)
    # matched_by: how the column was found ("title", or "content" for a loss reason in a custom field)
    con.execute("CREATE OR REPLACE TABLE meta.columns (path VARCHAR, entity VARCHAR, field VARCHAR, source_column VARCHAR,"
                " matched_by VARCHAR)")
    rows = [(r.path, r.entity, f, c, r.found_by.get(f, "title")) for r in reports for f, cols in r.mapped.items() for c in cols]
    rows += [(r.path, r.entity, None, c, None) for r in reports for c in r.unmapped]
    _insert_columns(con, "meta.columns", rows, ("VARCHAR",) * 5)



def _insert_columns(con, table: str, rows: list[tuple], types: tuple[str, ...]) -> None:
    if not rows:
        return
    cols = [list(c) for c in zip(*rows)]
    select = ", ".join(f"unnest(?::{t}[])" for t in types)
    con.execute(f"INSERT INTO {table} SELECT {select}", cols)

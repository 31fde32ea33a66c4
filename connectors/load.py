"""Load export files into DuckDB: discover → peek → detect → read raw → map → canonical tables.

Every file gets a FileReport; a bad file gets a one-line `problem` and the others still load.
Accounting always closes: rows_read = rows_loaded + rows_rejected, rejects kept in meta.rejects.
"""
from __future__ import annotations

import hashlib
import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import registry
from .canonical import build as canonical
from .model import Detection, FileReport, InputError, Sample
from .profile import Profile
from .readers.delimited import RawTable, read_delimited, unique_names
from .readers.html_table import read_html_table
from .readers.spreadsheet import read_spreadsheet
from .sniff import peek

Progress = Callable[[str], None]
# Optional structured progress (the web app's stage bar): stage(name, info), called before and after each file.
Stage = Callable[[str, dict], None]
_SKIP_NAMES = re.compile(r"(^\.|\.duckdb(\.wal)?$|^~\$|\.pyc$)")


@dataclass
class Target:
    path: Path
    display: str
    override: tuple[str, str] | None = None


def parse_target(arg: str) -> tuple[str, tuple[str, str] | None]:
    """`PATH:system:entity` → (PATH, (system, entity)); anything else is a plain path."""
    parts = arg.rsplit(":", 2)
    if len(parts) == 3 and (parts[1], parts[2]) in registry.systems():
        return parts[0], (parts[1], parts[2])
    if len(parts) == 3 and not Path(arg).exists() and Path(parts[0]).exists():
        known = ", ".join(f"{s}:{e}" for s, e in registry.systems())
        raise InputError(f"unknown system:entity '{parts[1]}:{parts[2]}' in {arg}; use one of: {known}")
    return arg, None


def discover(args: list[str]) -> list[Target]:
    targets: list[Target] = []
    for arg in args:
        raw, override = parse_target(arg)
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{raw}: no such file or folder; check the path")
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file()
                           and not any(_SKIP_NAMES.search(part) for part in p.relative_to(path).parts))
            targets += [Target(p, _display(p), override) for p in files]
        else:
            targets.append(Target(path, _display(path), override))
    return targets


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


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


def load(targets: list[Target], con: duckdb.DuckDBPyConnection, *, region: str = "RU",
         progress: Progress | None = None, extra: tuple[Profile, ...] = (),
         stage: Stage | None = None) -> tuple[list[FileReport], dict[str, int]]:
    """`extra`: profiles from the user's mapping files (mapping_file.py), tried before the built-in ones."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    con.execute("CREATE OR REPLACE TABLE meta.rejects (file VARCHAR, line BIGINT, reason VARCHAR, raw VARCHAR)")
    reports: list[FileReport] = []
    with tempfile.TemporaryDirectory(prefix="crm-audit-") as tmp:
        for i, target in enumerate(targets, 1):
            if progress:
                progress(f"[{i}/{len(targets)}] {target.display}")
            if stage:
                stage("loading", {"index": i, "total": len(targets), "file": target.display})
            new = load_file(con, target, i, Path(tmp), extra)
            reports += new
            if stage:
                stage("loaded", {"index": i, "total": len(targets), "file": target.display, "reports": new})
    if stage:
        stage("canonical", {})
    counts = canonical.build(con, reports, region)
    _write_meta(con, reports)
    return reports, counts


def load_file(con, target: Target, index: int, workdir: Path, extra: tuple[Profile, ...] = ()) -> list[FileReport]:
    rep = FileReport(path=target.display, sha256=sha256(target.path))
    try:
        sample = peek(target.path)
    except OSError as err:
        rep.problem = f"cannot read the file ({err.strerror}); check permissions"
        return [rep]
    rep.kind, rep.encoding, rep.delimiter = sample.kind, sample.encoding, sample.delimiter
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
    except Exception as err:  # noqa: BLE001 - any reader failure is this file's problem: the others
        # still load and the CLI prints one line, never a traceback (an lxml AttributeError once did)
        rep.problem = _read_problem(sample, err)
        return [rep]
    out = []
    for entity, raw in results:
        r = FileReport(**{**rep.__dict__, "entity": entity, "mapped": {}, "unmapped": [], "warnings": []})
        prof = registry.find(r.system, entity, extra) or profile
        r.raw_table = raw.table
        r.encoding = raw.encoding or r.encoding
        r.rows_loaded = raw.loaded
        r.rows_rejected = len(raw.rejects)
        r.rows_read = r.rows_loaded + r.rows_rejected
        r.warnings = list(raw.warnings)
        r.mapped = prof.map_columns(raw.columns)
        used = {c for cols in r.mapped.values() for c in cols}
        r.unmapped = [c for c in raw.columns if c not in used]
        if r.rows_read == 0:
            r.problem = "header only: the file has no records; re-export with data"
        elif r.rows_rejected and r.rows_loaded == 0:
            r.problem = f"no row could be read ({raw.rejects[0].reason}); check the export's format"
        _store_rejects(con, r.path, raw)
        out.append(r)
    return out


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
                             names=unique_names(sample.header), header=True, skip=sample.header_row)
    elif sample.kind == "html":
        raw = read_html_table(con, path, table, sample.encoding)
    elif sample.kind in ("xlsx", "xls", "ods"):
        raw = read_spreadsheet(con, path, table, sample.sheet, sample.header_row)
    else:
        raise InputError(f"a {sample.kind} file cannot hold {profile.system} {profile.entity}; check the file")
    return [(profile.entity, raw)]


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
    con.executemany(
        "INSERT INTO meta.files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(r.path, r.sha256, r.system, r.entity, r.confidence, r.kind, r.encoding, r.delimiter, r.rows_read,
          r.rows_loaded, r.rows_rejected, r.problem, r.raw_table, "; ".join(r.warnings)) for r in reports],
    )
    con.execute("CREATE OR REPLACE TABLE meta.columns (path VARCHAR, entity VARCHAR, field VARCHAR, source_column VARCHAR)")
    rows = [(r.path, r.entity, f, c) for r in reports for f, cols in r.mapped.items() for c in cols]
    rows += [(r.path, r.entity, None, c) for r in reports for c in r.unmapped]
    if rows:
        con.executemany("INSERT INTO meta.columns VALUES (?, ?, ?, ?)", rows)


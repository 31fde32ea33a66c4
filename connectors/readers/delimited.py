"""Delimited text (CSV, `;`-CSV, TSV, headerless CDRs) into a raw DuckDB table, all text.

DuckDB reads the file (streaming, parallel); we only give it the dialect and the column names,
so nothing is type-inferred (phones keep `+7`, INNs keep leading zeros) and no sniffer guesses.
Rows DuckDB cannot parse go to its rejects table with a line number and a reason; we keep them.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..model import Reject
from . import stray_quotes
from .transcode import ensure_utf8

MAX_LINE = 64 * 1024 * 1024


@dataclass
class RawTable:
    table: str                                   # qualified name, e.g. raw."deals_1"
    columns: list[str]                           # data columns as named in raw (header text)
    loaded: int
    rejects: list[Reject] = field(default_factory=list)
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    replaced: int = 0                            # U+FFFD in the text read (undecodable bytes, or damage already in it)
    problem: str | None = None                   # a reader's finding about the whole file (bank totals that do not add up)


def unique_names(header: list[str] | tuple[str, ...]) -> list[str]:
    """Header cells as written; blanks become column_N, repeats get _1, _2 (as DuckDB does)."""
    seen: dict[str, int] = {}
    names = []
    for i, cell in enumerate(header):
        name = cell if cell.strip() else f"column_{i + 1}"
        base = name
        while name in seen or name.startswith("_") and name in ("_record", "_line"):
            seen[base] = seen.get(base, 0) + 1
            name = f"{base}_{seen[base]}"
        seen.setdefault(name, 0)
        names.append(name)
    return names


def sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def qident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_GLOB = re.compile(r"[*?\[\]{}]")


def exact_path(path: Path, workdir: Path) -> str:
    """A path DuckDB opens as exactly that file: its readers expand `*`, `?` and `[...]` in names,
    so `deals*.csv` read its neighbours too. Such a path is reached through a link with a plain
    name in the work folder; every path is absolute (a relative `s3:/x` would be taken as a URL)."""
    full = path.absolute()
    if not _GLOB.search(str(full)):
        return str(full)
    link = workdir / ("exact-" + hashlib.sha1(str(full).encode("utf-8", "surrogateescape")).hexdigest()[:16] + ".csv")
    if not link.is_symlink():
        link.symlink_to(full)
    return str(link)


def _lf_copy(path: Path, encoding: str, workdir: Path) -> Path:
    """CR-only line ends (Excel for Mac "CSV (Macintosh)"): a work copy with LF, so that line
    numbers and line breaks inside cells are counted like any other file's. Byte-wise, so only for
    ASCII-compatible encodings (a UTF-16 `\r` is two bytes)."""
    if encoding.lower().replace("_", "-").startswith("utf-16"):
        return path
    with path.open("rb") as fh:
        head = fh.read(64 * 1024)
    if b"\r" not in head or b"\n" in head:
        return path
    dst = workdir / ("lf-" + hashlib.sha1(str(path.absolute()).encode("utf-8", "surrogateescape")).hexdigest()[:16] + ".csv")
    with path.open("rb") as fin, dst.open("wb") as fout:
        while chunk := fin.read(16 * 1024 * 1024):
            fout.write(chunk.replace(b"\r", b"\n"))
    return dst


def read_delimited(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    table: str,
    workdir: Path,
    *,
    encoding: str,
    delimiter: str,
    names: list[str],
    header: bool,
    skip: int = 0,
    as_view: bool = True,
    detect_encoding: bool = True,
) -> RawTable:
    """`skip`: title lines above the header (1C list exports print the list's name first).
    `as_view`: a clean file becomes a numbering view over the data (no copy); readers that add
    computed columns afterwards (1C lists) need a real table.
    `detect_encoding`: False when the user named the encoding (a mapping file)."""
    path = _lf_copy(path, encoding, workdir)
    text = ensure_utf8(path, encoding, workdir, detect=detect_encoding)
    warnings = [f"{skip} title line(s) above the header skipped (not records)"] if skip else []
    if text.replaced:
        warnings.append(f"{text.replaced} undecodable byte(s) replaced with U+FFFD (file is not clean {text.encoding})")
    if text.inherent:
        warnings.append(f"{text.inherent} replacement character(s) U+FFFD already in the text (damaged before export)")
    ncols = len(names)
    trailing = ncols > 1 and names[-1].startswith("column_")
    colspec = "{" + ", ".join(f"{sql_str(n)}: 'VARCHAR'" for n in names) + "}"
    stage = table[:-1] + '_stage"' if table.endswith('"') else f"{table}_stage"
    # an ASCII name: DuckDB's rejects_table option takes a bare identifier (file stems may be Cyrillic)
    rej = "rejects_" + hashlib.sha1(table.encode("utf-8")).hexdigest()[:16]
    source, stray = text.path, {}  # stray quotes: physical line -> its text (stray_quotes.py)
    undone, last = False, None
    while True:
        con.execute(f"DROP TABLE IF EXISTS {stage}")
        # Values are bound (path) or quoted literals (names); read_csv options must be constants.
        con.execute(
            f"""CREATE TABLE {stage} AS SELECT * FROM read_csv(?, columns={colspec}, header={str(header).lower()}, skip={int(skip)},
                auto_detect=false, delim={sql_str(delimiter)}, quote='"', escape='"', strict_mode=true,
                null_padding=false, max_line_size={MAX_LINE}, store_rejects=true,
                rejects_table={sql_str(rej)}, rejects_scan={sql_str(rej + '_scan')})""",
            [exact_path(source, workdir)],
        )
        rejects = _collect_rejects(con, rej)
        if undone:
            break  # the read of the last state that helped
        bad = None if len(stray) >= stray_quotes.MAX_REPAIRS else stray_quotes.swallowing(
            rejects, lambda: _breaks_in_cells(con, stage, names), text.newlines, _ends_with_newline(text.path))
        if bad is None:
            break
        if bad.line in stray:
            # no progress (a lone CR made DuckDB's line differ from the physical one): undo the last repair
            del stray[last]
            source = stray_quotes.blank_out(text.path, set(stray), workdir / (rej + ".undone")) if stray else text.path
            undone = True
            continue
        last = bad.line
        stray[last] = stray_quotes.line_text(text.path, last)
        source = stray_quotes.blank_out(text.path, set(stray), workdir / (rej + f".requoted{len(stray)}"))
    if stray:  # each blanked line is its record's reject; DuckDB skipped it as a blank line
        rejects = sorted(rejects + [Reject(line, stray_quotes.REASON, raw) for line, raw in stray.items()],
                         key=lambda r: r.line or 0)
        warnings.append(f"{len(stray)} stray quote(s) ran over the rest of the file (line(s) "
                        f"{', '.join(map(str, sorted(stray)[:5]))}): only those records rejected, the lines after "
                        "them read as records")
    first_line = (2 if header else 1) + skip
    loaded = con.execute(f"SELECT count(*) FROM {stage}").fetchone()[0]
    # Line breaks inside quoted cells = all breaks - one per record (header included). A last
    # line without "\n" has no break of its own, so count it; `> 0`, not `> 1`: a file with a
    # single multi-line cell used to take the fast path and shift every later `_line` by one.
    records_breaks = (first_line - 1) + loaded + sum(1 + r.raw.count("\n") for r in rejects)
    embedded = text.newlines + (0 if _ends_with_newline(text.path) else 1) - records_breaks
    data_cols = names[:-1] if trailing and _all_blank(con, stage, names[-1]) else names
    if len(data_cols) < len(names):
        warnings.append("trailing delimiter on every line (empty last column dropped)")
    # Blank lines are skipped by DuckDB but still numbered by it, so a blank line in the middle
    # shifted the `_line` of every later row. They look like quoted line breaks in the count
    # above; only when the cells do not hold all those breaks is the file scanned for them.
    blanks: list[int] = []
    if embedded > 0 and _breaks_in_cells(con, stage, names) < embedded:
        blanks = [b for b in _blank_lines(source) if b not in stray]
    records = {id(r): r.line - first_line + 1 for r in rejects}  # DuckDB's line → record number
    _finish(con, stage, table, data_cols, rejects, first_line, has_embedded=embedded > 0, blanks=blanks, as_view=as_view)
    recovered = _recover(con, table, data_cols, len(names), delimiter, rejects, records)
    if recovered:
        loaded += len(recovered)
        rejects = [r for r in rejects if id(r) not in recovered]
        warnings.append(f"{len(recovered)} row(s) with unescaped quotes inside a quoted cell (e.g. Asterisk caller ids "
                        f"like \"\"Name\" <101>\") read leniently, as Asterisk and spreadsheet programs do")
    if trailing and len(data_cols) == len(names):
        extra = _reject_values_past_trailing(con, table, names, text.path, rejects)
        if extra:
            loaded -= extra
            data_cols = names[:-1]
            warnings.append("trailing delimiter on every line (empty last column dropped)")
    return RawTable(table, data_cols, loaded, rejects, text.encoding, warnings, replaced=text.replaced + text.inherent)


def _reject_values_past_trailing(con, table: str, names: list[str], path: Path, rejects: list[Reject]) -> int:
    """Rows with one value more than a `;`-terminated header (Bitrix24 layout) are rejects.

    DuckDB tolerates one empty field after the last column, so `"a";"b";"EXTRA";` under the
    header `"A";"B";` loaded with `EXTRA` in the unnamed trailing column (which then stayed as a
    data column) instead of being rejected like any other too-wide row. When most rows leave
    that column empty it is the trailing delimiter, and the rows that fill it are rejects.
    """
    last = qident(names[-1])
    cond = f"{last} IS NOT NULL AND trim({last}) <> ''"
    filled, total = con.execute(f"SELECT count(*) FILTER (WHERE {cond}), count(*) FROM {table}").fetchone()
    if filled == 0 or filled * 2 > total:
        return 0  # nothing past the end, or a real (untitled) last column
    lines = [int(ln) for (ln,) in con.execute(f"SELECT _line FROM {table} WHERE {cond} ORDER BY _line").fetchall()]
    texts = _record_texts(path, set(lines))
    for line in lines:
        rejects.append(Reject(line=line, raw=texts.get(line, ""), reason=(
            f"TOO MANY COLUMNS: Expected Number of Columns: {len(names) - 1} Found: {len(names)} "
            "(more fields than the header: quote values that contain the delimiter, or remove the extra field)")))
    rejects.sort(key=lambda r: r.line or 0)
    con.execute(f"DELETE FROM {table} WHERE {cond}")
    con.execute(f"ALTER TABLE {table} DROP COLUMN {last}")
    return len(lines)


def _record_texts(path: Path, starts: set[int]) -> dict[int, str]:
    """The text of the records starting at the given physical lines (a quoted cell may continue
    on the next lines: a record ends where the count of `"` is even)."""
    out: dict[int, str] = {}
    current, parts, quotes = None, [], 0
    with path.open("r", encoding="utf-8", errors="replace", newline="") as fh:
        for number, line in enumerate(fh, 1):
            if current is None and number in starts:
                current, parts, quotes = number, [], 0
            if current is not None:
                parts.append(line)
                quotes += line.count('"')
                if quotes % 2 == 0:
                    out[current] = "".join(parts).rstrip("\r\n").lstrip("\ufeff")
                    current = None
                    if len(out) == len(starts):
                        break
    return out


def _recover(con, table: str, data_cols: list[str], width: int, delimiter: str, rejects: list[Reject],
             records: dict[int, int]) -> set[int]:
    """Rows DuckDB rejects only for a stray quote inside a quoted cell (which some writers, such as
    Asterisk's cdr_custom, never escape) are re-read with Python's lenient csv module when that
    yields exactly the expected fields on one line; anything else stays rejected."""
    fixed, ids = [], set()
    for r in rejects:
        if "UNQUOTED VALUE" not in r.reason or "\n" in r.raw:
            continue
        try:
            rows = list(csv.reader(io.StringIO(r.raw), delimiter=delimiter, quotechar='"'))
        except csv.Error:
            continue
        if len(rows) == 1 and len(rows[0]) == width:
            cells = [c if c != "" else None for c in rows[0][: len(data_cols)]]
            fixed.append((records[id(r)], r.line, *cells))
            ids.add(id(r))
    if fixed:
        marks = ", ".join("?" for _ in range(len(data_cols) + 2))
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", fixed)
    return ids


def _newlines_sql(cols: list[str]) -> str:
    # one call over all cells, not a sum of one term per column: a 2,000-column file exceeded
    # DuckDB's expression depth (1,000) with the sum
    if not cols:
        return "0"
    joined = "concat_ws('', " + ", ".join(qident(c) for c in cols) + ")"
    return f"(length({joined}) - length(replace({joined}, chr(10), '')))"


def _breaks_in_cells(con, stage: str, cols: list[str]) -> int:
    return con.execute(f"SELECT coalesce(sum({_newlines_sql(cols)}), 0) FROM {stage}").fetchone()[0]


def _blank_lines(path: Path) -> list[int]:
    """Numbers (as DuckDB counts lines: quoted line breaks excluded) of the empty lines.

    A line starts a new DuckDB line when it does not begin inside quotes; with `"` as both
    quote and escape, being inside quotes is the parity of the `"` seen so far.
    """
    out: list[int] = []
    inside, u = False, 0
    with path.open("rb") as fh:
        for raw in fh:
            if not inside:
                u += 1
                if raw in (b"\n", b"\r\n", b"\r"):
                    out.append(u)
                    continue
            if raw.count(b'"') % 2:
                inside = not inside
    return out


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as fh:
        fh.seek(0, 2)
        if fh.tell() == 0:
            return False
        fh.seek(-1, 2)
        return fh.read(1) == b"\n"


def _all_blank(con, stage: str, col: str) -> bool:
    q = f"SELECT count(*) FROM {stage} WHERE {qident(col)} IS NOT NULL AND trim({qident(col)}) <> ''"
    return con.execute(q).fetchone()[0] == 0


def _collect_rejects(con, rej: str) -> list[Reject]:
    rows = con.execute(
        f"""SELECT line, string_agg(DISTINCT error_type || ': ' || error_message, '; ') AS reason,
                   any_value(csv_line) AS raw
            FROM {rej} GROUP BY line ORDER BY line"""
    ).fetchall()
    con.execute(f"DROP TABLE IF EXISTS {rej}")
    con.execute(f"DROP TABLE IF EXISTS {rej}_scan")
    return [Reject(line=int(line), reason=_reason(reason), raw=(raw or "").strip("\r\n")) for line, reason, raw in rows]


def _reason(text: str) -> str:
    text = text.replace("\n", " ")
    if "UNQUOTED VALUE" in text:
        return text + " (an unterminated or stray quote; fix the quoting or re-export the file)"
    # every reject reason names the fix, not only the quoting one
    if "TOO MANY COLUMNS" in text:
        return text + " (more fields than the header: quote values that contain the delimiter, or remove the extra field)"
    if "MISSING COLUMNS" in text:
        return text + " (fewer fields than the header: the line was cut or split; rejoin it or re-export the file)"
    return text


def _finish(con, stage: str, table: str, cols: list[str], rejects: list[Reject], first_line: int, has_embedded: bool,
            blanks: list[int] = (), as_view: bool = True):
    """Add `_record` (1-based record number) and `_line` (line where the record starts).

    DuckDB numbers reject lines by unquoted line breaks; loaded rows carry no number, so the
    k-th loaded row's place is found by counting the rejected records before it, then shifted
    by the line breaks inside quoted cells of all earlier records.
    """
    select_cols = ", ".join(qident(c) for c in cols)
    nl_expr = _newlines_sql(cols) if has_embedded else "0"
    con.execute(f"DROP TABLE IF EXISTS {table}")
    if not rejects and not has_embedded and not as_view:
        # a plain scan keeps insertion order (preserve_insertion_order): no sort needed
        con.execute(f"""CREATE TABLE {table} AS SELECT rowid + 1 AS _record, rowid + {first_line} AS _line, {select_cols}
                        FROM {stage}""")
        con.execute(f"DROP TABLE {stage}")
        return
    if not rejects and not has_embedded:
        # Record k starts on line first_line + k - 1: no copy of the data, a view numbers the rows
        # (rowid is the insertion position of a table written once, never updated).
        data = stage[:-len('_stage"')] + '_data"' if stage.endswith('_stage"') else stage + "_data"
        con.execute(f"DROP TABLE IF EXISTS {data}")
        con.execute(f"ALTER TABLE {stage} RENAME TO {data.split('.', 1)[1]}")
        con.execute(
            f"""CREATE VIEW {table} AS SELECT rowid + 1 AS _record, rowid + {first_line} AS _line, {select_cols}
                FROM {data}"""
        )
        return
    if not rejects and not blanks:  # only line breaks inside quotes shift the lines: one window, no merge
        con.execute(
            f"""CREATE TABLE {table} AS
                SELECT rowid + 1 AS _record,
                       rowid + {first_line} + coalesce(sum({nl_expr}) OVER (ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS _line,
                       {select_cols}
                FROM {stage} ORDER BY rowid"""
        )
        con.execute(f"DROP TABLE {stage}")
        return
    con.execute("CREATE OR REPLACE TEMP TABLE _rej_lines (u BIGINT, nl BIGINT)")
    # list parameters, not executemany (~1 ms a row: minutes for a file with many rejects)
    if rejects:
        con.execute("INSERT INTO _rej_lines SELECT unnest(?::BIGINT[]), unnest(?::BIGINT[])",
                    [[r.line for r in rejects], [r.raw.count("\n") for r in rejects]])
    con.execute("CREATE OR REPLACE TEMP TABLE _blank_lines (u BIGINT)")
    if blanks:
        con.execute("INSERT INTO _blank_lines SELECT unnest(?::BIGINT[])", [list(blanks)])
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _places AS
        WITH loaded AS (SELECT rowid + 1 AS k, {nl_expr} AS nl FROM {stage}),
        skipped AS (SELECT u FROM _rej_lines UNION ALL SELECT u FROM _blank_lines),  -- DuckDB lines without a loaded row
        thresholds AS (SELECT u - row_number() OVER (ORDER BY u) AS t FROM skipped),
        -- u = first_line + k - 1 + #(t < first_line + k - 1), as one sorted running count: a
        -- correlated count per row took minutes on files with tens of thousands of rejects.
        events AS (SELECT {first_line} + k - 1 AS key, 1 AS kind, k, nl FROM loaded
                   UNION ALL SELECT t, 0, NULL, NULL FROM thresholds),
        placed AS (
            SELECT k, nl, u FROM (
                SELECT k, nl, kind, key + sum(1 - kind) OVER (ORDER BY key, kind DESC ROWS UNBOUNDED PRECEDING) AS u
                FROM events)
            WHERE kind = 1
        ),
        everything AS (SELECT u, nl, k FROM placed UNION ALL SELECT u, nl, NULL FROM _rej_lines)
        SELECT u, k, u + coalesce(sum(nl) OVER (ORDER BY u ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS line,
               row_number() OVER (ORDER BY u) AS record  -- blank lines are no records
        FROM everything"""
    )
    con.execute(
        f"""CREATE TABLE {table} AS
        SELECT p.record AS _record, p.line AS _line, {select_cols}
        FROM (SELECT rowid + 1 AS k, * FROM {stage}) s JOIN _places p ON p.k = s.k
        ORDER BY s.k"""
    )
    if rejects:
        by_u = dict(con.execute("SELECT u, line FROM _places WHERE k IS NULL").fetchall())
        for r in rejects:
            r.line = int(by_u.get(r.line, r.line))
    con.execute(f"DROP TABLE {stage}")
    con.execute("DROP TABLE _rej_lines")
    con.execute("DROP TABLE _blank_lines")
    con.execute("DROP TABLE _places")

"""Bad and awkward files: each gets a one-line problem naming the fix, the rest of the folder
still loads, rows are accounted for, rejects are kept with their line, and inputs stay untouched.

Line numbers are checked against Python's csv module (reader.line_num), never against the loader.
"""
from __future__ import annotations

import hashlib
import io
import json
import random
import re
from pathlib import Path

import duckdb
import openpyxl
import pytest
from export_writers import csv_records
from typer.testing import CliRunner

from auditor.cli import app
from connectors.load import discover, load

FIX = re.compile(r"re-?export|export it again|download|PATH:system:entity|fix the|quote values|rejoin|remove the", re.I)

B24_HEADER = ["ID", "Название сделки", "Стадия сделки", "Сумма", "Валюта", "Компания", "Контакт", "Ответственный",
              "Дата создания", "Направление"]
B24_ROWS = [
    ["101", "Поставка ёлок", "Cчёт на предоплату", "150000.00", "Российский рубль", 'ООО "Ромашка"', "Иван Петров",
     "Мария Сидорова", "12.03.2024 10:15:00", "Общая"],
    ["102", "Монтаж ворот; срочно", "Сделка успешна", "99000.00", "Российский рубль", "ИП Ёжиков", "Пётр Щукин",
     "Мария Сидорова", "13.03.2024 11:00:00", "Общая"],
    ["103", "Шлагбаум", "Сделка провалена", "", "Российский рубль", "", "", "Мария Сидорова", "14.03.2024 09:00:00",
     "Общая"],
]
MAVEN_HEADER = ["opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date", "close_date",
                "close_value"]


def bitrix_csv(header, rows, eol="\n") -> str:
    """Bitrix24's csv.php layout (FORMATS.md §1.2): every field quoted, `;` after every field."""
    def line(cells):
        return "".join('"' + c.replace('"', '""') + '";' for c in cells) + eol
    return line(header) + "".join(line(r) for r in rows)


def maven_line(i: int, extra: str = "") -> str:
    return f"ID{i:04d},Agent {i},GTX Basic,Acme {i},Won,2016-10-20,2017-03-01,{1000 + i}{extra}\n"


def xlsx_bytes(rows: int = 300) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(MAVEN_HEADER)
    for i in range(rows):
        ws.append([f"X{i:04d}", f"Agent {i}", "GTX Basic", f"Acme {i}", "Lost", "2016-10-20", "2017-03-01", 10 + i])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HTML_XLS = """<meta http-equiv="Content-type" content="text/html;charset=utf-8" />
<table border="1"><thead><tr><th>ID</th><th>Название сделки</th><th>Стадия сделки</th><th>Сумма</th><th>Валюта</th><th>Компания</th><th>Ответственный</th></tr></thead>
<tbody><tr><td>7</td><td>Сделка &quot;Ромашка&quot; &amp; Co</td><td>Сделка успешна</td><td>150000.00</td><td>Российский рубль</td><td>ООО &laquo;Ромашка&raquo;</td><td>Иван<br>Петров</td></tr>
<tr><td>8</td><td>Ворота</td><td>Новая</td><td>1 000,50</td><td>Российский рубль</td><td></td><td><span class="tel-stat-user-name">Мария</span></td></tr>
</tbody></table>
"""

BROKEN_QUOTE_AT = 6   # data record number of the line with the unterminated quote
TOO_MANY_AT = 4


def write_folder(root: Path) -> dict[str, Path]:
    root.mkdir()
    files = {}

    def put(name: str, data: bytes) -> None:
        files[name] = root / name
        files[name].write_bytes(data)

    put("empty.csv", b"")
    put("header_only.csv", bitrix_csv(B24_HEADER, []).encode("utf-8"))
    put("unknown.csv", b"foo,bar,baz\n1,2,3\n4,5,6\n")
    put("deals_cp1251.csv", bitrix_csv(B24_HEADER, B24_ROWS).encode("cp1251"))
    put("deals_bom.csv", b"\xef\xbb\xbf" + bitrix_csv(B24_HEADER, B24_ROWS).encode("utf-8"))
    lines = [maven_line(i) for i in range(10)]
    lines.insert(BROKEN_QUOTE_AT - 1, 'ID9999,Agent "X,GTX Basic,"Acme unterminated,Won,2016-10-20,2017-03-01,5\n')
    put("broken_quote.csv", (",".join(MAVEN_HEADER) + "\n" + "".join(lines)).encode())
    lines = [maven_line(i) for i in range(10)]
    lines.insert(TOO_MANY_AT - 1, maven_line(8888, ",EXTRA"))
    put("too_many.csv", (",".join(MAVEN_HEADER) + "\n" + "".join(lines)).encode())
    rnd = random.Random(7)
    put("binary.csv", bytes(rnd.randrange(256) for _ in range(4096)) + b"\x00" * 64 + bytes(rnd.randrange(256) for _ in range(512)))
    data = xlsx_bytes()
    put("good.xlsx", data)
    put("truncated.xlsx", data[: len(data) // 2])
    put("DEAL_20240312_1a2b3c4d.xls", b"\xef\xbb\xbf" + HTML_XLS.encode("utf-8"))
    return files


# name -> (system, entity, read, loaded, rejected, file-level problem expected)
EXPECT = {
    "empty.csv": ("unknown", "unknown", 0, 0, 0, True),
    "header_only.csv": ("bitrix24", "deals", 0, 0, 0, True),
    "unknown.csv": ("unknown", "unknown", 0, 0, 0, True),
    "deals_cp1251.csv": ("bitrix24", "deals", 3, 3, 0, False),
    "deals_bom.csv": ("bitrix24", "deals", 3, 3, 0, False),
    "broken_quote.csv": ("generic", "deals", 11, 10, 1, False),  # the stray quote costs its record only
    "too_many.csv": ("generic", "deals", 11, 10, 1, False),
    "binary.csv": ("unknown", "unknown", 0, 0, 0, True),
    "good.xlsx": ("generic", "deals", 300, 300, 0, False),
    "truncated.xlsx": ("unknown", "unknown", 0, 0, 0, True),
    "DEAL_20240312_1a2b3c4d.xls": ("bitrix24", "deals", 2, 2, 0, False),
}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("robust") / "exports"
    files = write_folder(root)
    before = {n: _sha(p) for n, p in files.items()}
    con = duckdb.connect()
    reports, counts = load(discover([str(root)]), con)
    by_name = {}
    for r in reports:
        by_name.setdefault(Path(r.path).name, []).append(r)
    yield con, files, by_name, counts
    assert {n: _sha(p) for n, p in files.items()} == before, "an input file was modified"
    con.close()


def _rep(by_name, name):
    reps = by_name[name]
    assert len(reps) == 1
    return reps[0]


def test_every_written_file_is_reported(folder):
    _, files, by_name, _ = folder
    assert sorted(by_name) == sorted(files) == sorted(EXPECT)


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_file_outcome(folder, name):
    con, files, by_name, _ = folder
    system, entity, read, loaded, rejected, has_problem = EXPECT[name]
    rep = _rep(by_name, name)
    assert (rep.system, rep.entity) == (system, entity), rep.problem
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (read, loaded, rejected)
    assert rep.rows_read == rep.rows_loaded + rep.rows_rejected
    assert rep.sha256 == _sha(files[name])
    if has_problem:
        assert rep.problem, name
        assert "\n" not in rep.problem and "\r" not in rep.problem
        assert FIX.search(rep.problem), rep.problem
    else:
        assert rep.problem is None, rep.problem
    stored = con.execute("SELECT count(*) FROM meta.rejects WHERE file = ?", [rep.path]).fetchone()[0]
    assert stored == rep.rows_rejected
    if rep.raw_table and rep.rows_loaded:
        assert con.execute(f"SELECT count(*) FROM {rep.raw_table}").fetchone()[0] == rep.rows_loaded


def test_good_files_in_the_same_folder_still_load(folder):
    con, _, by_name, counts = folder
    # 3 + 3 Bitrix24 CSV, 2 HTML, 10 around the broken quote, 10 around the wide row, 300 from the workbook
    assert counts["deals"] == 3 + 3 + 2 + 10 + 10 + 300
    assert con.execute("SELECT count(*) FROM meta.files").fetchone()[0] == len(EXPECT)


def test_problems_are_specific(folder):
    _, _, by_name, _ = folder
    assert "empty" in _rep(by_name, "empty.csv").problem
    assert "header only" in _rep(by_name, "header_only.csv").problem
    assert "not recognised" in _rep(by_name, "unknown.csv").problem
    assert "binary" in _rep(by_name, "binary.csv").problem
    truncated = _rep(by_name, "truncated.xlsx").problem
    assert re.search(r"truncated|damaged|corrupt", truncated) and re.search(r"xlsx|workbook", truncated, re.I)


@pytest.mark.parametrize("name,encoding", [("deals_cp1251.csv", "cp1251"), ("deals_bom.csv", "utf-8")])
def test_bitrix24_csv_text(folder, name, encoding):
    con, _, by_name, _ = folder
    rep = _rep(by_name, name)
    assert rep.encoding == encoding
    cols = [c for (c,) in con.execute(f"SELECT column_name FROM (DESCRIBE SELECT * FROM {rep.raw_table})").fetchall()
            if c not in ("_record", "_line")]
    assert cols == B24_HEADER  # no BOM in the first title, no empty column from the trailing `;`
    raw = con.execute(f'SELECT _line, * EXCLUDE (_record, _line) FROM {rep.raw_table} ORDER BY _record').fetchall()
    assert [r[0] for r in raw] == [2, 3, 4]
    assert [[c or "" for c in r[1:]] for r in raw] == B24_ROWS
    stg = con.execute("SELECT record_id, title, stage, state, amount, company_name, company_name_norm, created_at::VARCHAR "
                      "FROM stg.deals WHERE _file = ? ORDER BY _record", [rep.path]).fetchall()
    assert stg == [
        ("101", "Поставка ёлок", "Cчёт на предоплату", "open", 150000.0, 'ООО "Ромашка"', "ромашка", "2024-03-12 10:15:00"),
        ("102", "Монтаж ворот; срочно", "Сделка успешна", "won", 99000.0, "ИП Ёжиков", "ежиков", "2024-03-13 11:00:00"),
        ("103", "Шлагбаум", "Сделка провалена", "lost", None, None, None, "2024-03-14 09:00:00"),
    ]


def test_html_xls_from_bitrix24(folder):
    con, _, by_name, _ = folder
    rep = _rep(by_name, "DEAL_20240312_1a2b3c4d.xls")
    assert rep.kind == "html"
    rows = con.execute("SELECT record_id, title, state, amount, company_name, owner FROM stg.deals WHERE _file = ? "
                       "ORDER BY _record", [rep.path]).fetchall()
    assert [r[:5] for r in rows] == [
        ("7", 'Сделка "Ромашка" & Co', "won", 150000.0, "ООО «Ромашка»"),
        ("8", "Ворота", "open", 1000.5, None),
    ]
    assert re.split(r"\s+", rows[0][5]) == ["Иван", "Петров"]  # <br> separates, it does not glue words
    assert rows[1][5] == "Мария"


def test_a_stray_quote_rejects_its_record_only_with_a_line_and_a_fix(folder):
    con, files, by_name, _ = folder
    rep = _rep(by_name, "broken_quote.csv")
    loaded = con.execute(f"SELECT opportunity_id, _line FROM {rep.raw_table} ORDER BY _record").fetchall()
    # records before the bad line keep lines 2..6, those after it are read again (lines 8..12)
    assert loaded == [(f"ID{i:04d}", i + 2 + (i >= BROKEN_QUOTE_AT - 1)) for i in range(10)]
    assert any("stray quote" in w for w in rep.warnings)
    rejects = con.execute("SELECT file, line, reason, raw FROM meta.rejects WHERE file = ?", [rep.path]).fetchall()
    assert len(rejects) == 1
    file, line, reason, raw = rejects[0]
    text = files["broken_quote.csv"].read_text()
    assert line == BROKEN_QUOTE_AT + 1
    assert raw.startswith(text.splitlines()[line - 1])
    assert "quot" in reason and FIX.search(reason) and "\n" not in reason


def test_too_many_columns_rejects_one_row(folder):
    con, files, by_name, _ = folder
    rep = _rep(by_name, "too_many.csv")
    rejects = con.execute("SELECT line, reason, raw FROM meta.rejects WHERE file = ?", [rep.path]).fetchall()
    text = files["too_many.csv"].read_text().splitlines()
    assert rejects == [(TOO_MANY_AT + 1, rejects[0][1], text[TOO_MANY_AT])]
    assert "ID8888" in rejects[0][2] and FIX.search(rejects[0][1]) and "\n" not in rejects[0][1]
    lines = [ln for (ln,) in con.execute(f"SELECT _line FROM {rep.raw_table} ORDER BY _record").fetchall()]
    assert lines == [n for n in range(2, 13) if n != TOO_MANY_AT + 1]


def test_workbook_rows_are_sheet_rows(folder):
    con, _, by_name, _ = folder
    rep = _rep(by_name, "good.xlsx")
    rows = con.execute(f"SELECT _line, opportunity_id, close_value FROM {rep.raw_table} ORDER BY _record LIMIT 2").fetchall()
    assert rows == [(2, "X0000", "10"), (3, "X0001", "11")]


# ------------------------------------------------------------ line numbers: multi-line cells + rejects

def _interleaved(seed: int, n: int, eol: str, style: str, blank_lines: bool) -> tuple[str, str, int]:
    """A deals file where multi-line quoted cells, too-wide / too-short rows and (optionally)
    empty lines are interleaved. Returns (text, delimiter, field count)."""
    rnd = random.Random(seed)
    if style == "bitrix":
        header, delim = B24_HEADER, ";"
    else:
        header, delim = MAVEN_HEADER, ","
    width = len(header)

    def fmt(cells):
        if style == "bitrix":
            return "".join('"' + c.replace('"', '""') + '";' for c in cells)
        return ",".join('"' + c.replace('"', '""') + '"' if ("\n" in c or '"' in c or delim in c) else c for c in cells)

    out = [fmt(header)]
    for i in range(n):
        cells = [f"R{i}"] + [f"v{i}.{j}" for j in range(1, width)]
        if style == "bitrix":
            cells[2] = rnd.choice(["Новая", "Сделка успешна", "Сделка провалена"])
        if rnd.random() < 0.3:
            cells[rnd.randrange(1, width)] = eol.join(f'строка {k} "q"' for k in range(rnd.randrange(2, 5)))
        r = rnd.random()
        if r < 0.12:
            cells.append("EXTRA")
        elif r < 0.2:
            cells = cells[:-2]
        out.append(fmt(cells))
        if blank_lines and rnd.random() < 0.1:
            out.append("")
    return eol.join(out) + eol, delim, width + (1 if style == "bitrix" else 0)


@pytest.mark.parametrize("seed,n,eol,style,blank_lines,encoding", [
    (1, 60, "\n", "plain", False, "utf-8"),
    (2, 60, "\r\n", "plain", False, "utf-8"),
    (3, 60, "\n", "bitrix", False, "utf-8"),
    (4, 60, "\r\n", "bitrix", False, "cp1251"),
    (5, 60, "\n", "plain", True, "utf-8"),
    (6, 60, "\r\n", "bitrix", True, "utf-8-sig"),
    (7, 3000, "\n", "plain", True, "utf-8"),
])
def test_multiline_cells_and_rejects_keep_true_line_numbers(tmp_path, seed, n, eol, style, blank_lines, encoding):
    text, delim, width = _interleaved(seed, n, eol, style, blank_lines)
    path = tmp_path / f"deals_{seed}.csv"
    path.write_bytes(text.encode(encoding))
    truth = csv_records(text, delim)
    good = [(line, row[0]) for line, row in truth if len(row) == width]
    bad = [line for line, row in truth if len(row) != width]
    assert good and bad and any("\n" in c for _, row in truth for c in row)

    con = duckdb.connect()
    (rep,), _ = load(discover([str(path)]), con)
    assert rep.entity == "deals"
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (len(truth), len(good), len(bad))
    id_col = "ID" if style == "bitrix" else "opportunity_id"
    got = con.execute(f'SELECT _line, "{id_col}" FROM {rep.raw_table} ORDER BY _record').fetchall()
    assert got == good
    records = con.execute(f'SELECT _record FROM {rep.raw_table} ORDER BY _record').fetchall()
    assert [r for (r,) in records] == [i + 1 for i, (_, row) in enumerate(truth) if len(row) == width]
    stg = con.execute("SELECT _line, record_id FROM stg.deals ORDER BY _record").fetchall()
    assert stg == good
    rejects = con.execute("SELECT file, line, reason, raw FROM meta.rejects ORDER BY line").fetchall()
    assert [r[1] for r in rejects] == bad
    by_line = dict(truth)
    for file, line, reason, raw in rejects:
        assert file == rep.path and reason and "\n" not in reason and FIX.search(reason)
        assert raw.replace("\r\n", "\n").startswith(delim.join(
            ['"' + c + '"' if style == "bitrix" else c for c in by_line[line][:1]]))
    # multi-line values arrive whole
    multi = con.execute(f"SELECT count(*) FROM {rep.raw_table} WHERE "
                        + " OR ".join(f'contains("{c}", chr(10))' for c in (B24_HEADER if style == "bitrix" else MAVEN_HEADER))
                        ).fetchone()[0]
    assert multi == sum(1 for _, row in truth if len(row) == width and any("\n" in c for c in row))


# ------------------------------------------------------------ CLI

def test_cli_inspect_never_prints_a_traceback(tmp_path):
    root = tmp_path / "exports"
    files = write_folder(root)
    before = {n: _sha(p) for n, p in files.items()}
    result = CliRunner().invoke(app, ["inspect", str(root)])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "Traceback" not in result.output
    for name, (*_, has_problem) in EXPECT.items():
        if has_problem:
            assert any(name in ln and FIX.search(ln) for ln in result.output.splitlines()), name
    result = CliRunner().invoke(app, ["inspect", str(root), "--json"])
    assert result.exit_code == 0 and "Traceback" not in result.output
    entries = json.loads(result.stdout)
    assert sorted(Path(e["path"]).name for e in entries) == sorted(EXPECT)
    for e in entries:
        assert e["rows_read"] == e["rows_loaded"] + e["rows_rejected"]
        assert ("problem" in e) == EXPECT[Path(e["path"]).name][5]
        if "problem" in e:
            assert "\n" not in e["problem"]
    assert {n: _sha(p) for n, p in files.items()} == before


def test_cli_missing_path_is_one_line_and_exit_2(tmp_path):
    result = CliRunner().invoke(app, ["inspect", str(tmp_path / "no-such-folder")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "no-such-folder" in lines[0] and "check the path" in lines[0]


@pytest.mark.parametrize("final_newline", [True, False])
def test_a_single_multiline_cell_shifts_later_lines(tmp_path, final_newline):
    """One quoted line break in the whole file (and no rejects) must still shift later rows."""
    rows = [maven_line(i) for i in range(6)]
    rows[2] = rows[2].replace("Agent 2", '"Agent\n2"')
    text = ",".join(MAVEN_HEADER) + "\n" + "".join(rows)
    if not final_newline:
        text = text.rstrip("\n")
    path = tmp_path / "one_break.csv"
    path.write_text(text, encoding="utf-8")
    con = duckdb.connect()
    (rep,), _ = load(discover([str(path)]), con)
    want = [(line, row[0]) for line, row in csv_records(text, ",")]
    assert want == [(2, "ID0000"), (3, "ID0001"), (4, "ID0002"), (6, "ID0003"), (7, "ID0004"), (8, "ID0005")]
    assert con.execute(f"SELECT _line, opportunity_id FROM {rep.raw_table} ORDER BY _record").fetchall() == want
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (6, 6, 0)

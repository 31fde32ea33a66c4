"""The hostile corpus (tests/hostile_corpus.py): every case loads in its own process under a memory
limit and a timeout (tests/hostile_runner.py), and must end normally with a one-line problem per bad
file, the good file beside it loaded, rows accounted, and inputs byte-identical. Then the whole
corpus goes through `crm-audit run` once, limited the same way: exit 0, no traceback, every output
written, no payload live in any output (HTML escaped, no formula in the workbook, no file content
pulled in through an XML entity).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import stat
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hostile_corpus import CASES, GOOD, GOOD_ROWS, PAYLOADS, write_case

HERE = Path(__file__).resolve().parent
MEMORY = 3 * 1024 ** 3


def _digests(root: Path) -> dict[str, str]:
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not stat.S_ISREG(path.lstat().st_mode) or path.name.endswith(".result.json"):
            continue
        out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile") / "cases"
    root.mkdir()
    for name in CASES:
        write_case(name, root / name)
    before = _digests(root)
    out = root.parent / "results.json"
    done = subprocess.run([sys.executable, str(HERE / "hostile_runner.py"), str(out), *(str(root / n) for n in CASES)],
                          capture_output=True, text=True, timeout=900, cwd=str(HERE.parent))
    assert done.returncode == 0, done.stderr[-2000:]
    yield root, json.loads(out.read_text(encoding="utf-8")), done.stderr
    assert _digests(root) == before, "an input file was modified"


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_holds(corpus, case):
    _, results, stderr = corpus
    res = results[case]
    assert res["exit"] == 0, f"{case}: the loader died ({res['exit']}): {stderr[-800:]}"
    reports = {r["path"]: r for r in res["reports"]}
    assert len(reports) == len(res["reports"]), "one report per file"
    good = reports[GOOD]
    assert (good["rows_read"], good["rows_loaded"], good.get("problem")) == (GOOD_ROWS, GOOD_ROWS, None)
    for r in res["reports"]:
        assert r["rows_read"] == r["rows_loaded"] + r["rows_rejected"], r
        assert res["rejects"].get(r["path"], 0) == r["rows_rejected"], r
        if r.get("problem"):
            assert "\n" not in r["problem"] and len(r["problem"]) < 400, r["problem"]
            assert "Traceback" not in r["problem"]
    for name, expect in CASES[case][1].items():
        rep = reports.get(name)
        assert rep is not None, f"{name} is not reported: {sorted(reports)}"
        if expect[0] == "loaded":
            assert (rep["rows_read"], rep["rows_loaded"], rep.get("problem")) == (expect[1], expect[2], None), rep
        elif expect[0] == "problem":
            assert rep.get("problem") and re.search(expect[1], rep["problem"]), rep
        elif expect[0] == "not-binary":
            assert rep.get("problem") is None or "binary" not in rep["problem"], rep


def test_control_characters_are_cleaned_and_counted(corpus):
    _, results, _ = corpus
    rep = next(r for r in results["control_characters"]["reports"] if r["path"] == "DEAL_controls.csv")
    assert any(re.match(r"6 control character\(s\) \(NUL, ESC...\) in 2 row", w) for w in rep["warnings"]), rep["warnings"]
    raw = results["control_characters"]["raw"]["DEAL_controls.csv"]
    assert any("\x00" in cell for row in raw for cell in row)  # the raw table keeps the value as read


def test_glob_names_read_only_their_own_rows(corpus):
    _, results, _ = corpus
    raw = results["glob_names"]["raw"]
    # each file holds its own id range (3 rows from X000100, 4 from X000200, ...): no neighbour's rows
    for name, first in (("deals*.csv", 100), ("deals[1].csv", 200), ("deals1.csv", 300), ("deals?.csv", 400)):
        ids = {row[2] for row in raw[name]}
        assert ids == {f"X{first + i:06d}" for i in range(len(ids))}, (name, ids)


def test_no_entity_pulls_a_file_in(corpus):
    _, results, _ = corpus
    assert "root:" not in json.dumps(results["xxe"])


def _limit():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def test_whole_corpus_through_run(corpus, tmp_path):
    root, _, _ = corpus
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-c", "from auditor.cli import app; app()", "run", str(root), "--out", str(out), "--no-gx"],
                          capture_output=True, text=True, timeout=600, preexec_fn=_limit, cwd=str(HERE.parent),
                          env={**os.environ, "COLUMNS": "200", "CRM_AUDIT_MEMORY": "1GB"})
    assert done.returncode == 0, (done.stdout[-1500:], done.stderr[-1500:])
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    html = (out / "scorecard.html").read_text(encoding="utf-8")
    for live in ("<script>alert", "<img src=x onerror", "onerror=alert(9)>"):
        assert live not in html
    wb = openpyxl.load_workbook(out / "scorecard.xlsx")
    formulas = [(ws.title, c.coordinate, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@")))]
    assert formulas == []
    texts = [html, (out / "audit.json").read_text(encoding="utf-8"),
             "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)]
    assert not any("root:x:0:0" in t for t in texts)
    doc = json.loads(texts[1])
    assert all(e["rows_read"] == e["rows_loaded"] + e["rows_rejected"] for e in doc["inputs"])
    assert len(PAYLOADS) > 0

"""Per-stage timings (auditor/run.py → AuditResult.timings → audit.json `timings`, `crm-audit run --timings`):
every stage and part is there, named after what ran, and the numbers add up. No speed is asserted
(the machine is shared; figures come from bench/small_audit.py)."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.timings import ordered, table

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT.parent / "shared" / "contract" / "audit_result.schema.json"
# a small real-shaped company: the Bitrix24 CRM exports and the Asterisk call log of the sample
PARTS = [ROOT / "sample_data" / "exports" / "bitrix24", ROOT / "sample_data" / "exports" / "telephony"]


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("timed")
    res = CliRunner().invoke(app, ["run", *map(str, PARTS), "--out", str(out), "--as-of", "2026-11-20", "--timings"])
    assert res.exit_code == 0, res.output
    return res.output, json.loads((out / "audit.json").read_text(encoding="utf-8"))


def test_audit_json_keeps_the_contract(cli_run):
    _, doc = cli_run
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(doc)


def test_every_stage_and_part_is_timed(cli_run):
    _, doc = cli_run
    t = doc["timings"]
    assert all(isinstance(v, float | int) and v >= 0 for v in t.values())
    for stage in ("load", "checks", "great_expectations", "inference", "self_test", "report", "total"):
        assert stage in t, stage
    # one entry per input file, and the canonical build
    assert {f"load.file:{e['path']}" for e in doc["inputs"]} == {k for k in t if k.startswith("load.file:")}
    assert "load.canonical" in t
    # check families = first part of the metric ids measured (n/a ones are decided before measuring)
    measured = {mid.split(".", 1)[0] for mid, m in doc["metrics"].items() if not mid.startswith("gx.") and m["status"] != "n/a"}
    families = {k.split(".", 1)[1] for k in t if k.startswith("checks.") and not k.startswith("checks.prepare.")}
    assert measured <= families
    assert "checks.prepare.dedup_contacts" in t and "checks.prepare.calls" in t
    # GX: import, context, plan, one entry per suite behind the gx.* metrics, the export of the suites
    suites = {m["details"]["suite"] for mid, m in doc["metrics"].items() if mid.startswith("gx.")}
    assert suites and {f"great_expectations.suite:{s}" for s in suites} == {k for k in t if ".suite:" in k}
    for part in ("import", "context", "plan", "export"):
        assert f"great_expectations.{part}" in t
    assert "report.html" in t and "report.xlsx" in t


def test_the_numbers_add_up(cli_run):
    _, doc = cli_run
    t = doc["timings"]
    slack = 0.005  # each value is rounded to the millisecond
    for stage in ("load", "checks", "great_expectations", "report"):
        parts = sum(v for k, v in t.items() if k.startswith(stage + "."))
        assert parts <= t[stage] + slack * (1 + len(t)), stage  # parts never exceed their stage
    stages = sum(t[k] for k in ("load", "checks", "great_expectations", "inference", "self_test", "report"))
    assert stages <= t["total"] + 6 * slack


def test_cli_prints_the_table(cli_run):
    output, doc = cli_run
    lines = output.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("stage") and "seconds" in line)
    rows = lines[head + 1:]
    assert rows[0].split()[0] == "load" and rows[-1].split()[0] == "total"
    assert float(rows[-1].split()[1]) == pytest.approx(doc["timings"]["total"], abs=0.0015)
    assert any(r.strip().startswith("canonical") for r in rows)


def test_table_lists_parts_under_their_stage_slowest_first():
    t = {"load": 3.0, "load.file:a.csv": 1.0, "load.file:b.csv": 1.5, "checks": 2.0, "checks.prepare.calls": 0.5,
         "checks.completeness": 1.0, "report.html": 0.2, "report.xlsx": 0.7, "report": 1.0, "total": 7.0}
    assert ordered(t) == [
        ("load", "", 3.0), ("load", "file:b.csv", 1.5), ("load", "file:a.csv", 1.0),
        ("checks", "", 2.0), ("checks", "completeness", 1.0), ("checks", "prepare.calls", 0.5),
        ("report", "", 1.0), ("report", "xlsx", 0.7), ("report", "html", 0.2),
        ("total", "", 7.0)]
    text = table(t)
    assert "42.9%" in text.splitlines()[1]  # load: 3 of 7 s
    # a stage known only by its parts is still listed, with their sum
    assert ordered({"gx.import": 1.0, "gx.suite:deals": 2.0}) == [("gx", "", 3.0), ("gx", "suite:deals", 2.0),
                                                                  ("gx", "import", 1.0)]

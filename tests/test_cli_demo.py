"""`crm-audit demo` (the README's quick start) end to end through the CLI."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from auditor.cli import app


def test_demo_writes_the_scorecard_and_says_where(tmp_path):
    out = tmp_path / "demo-out"
    result = CliRunner().invoke(app, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Open the scorecard: {(out / 'scorecard.html').resolve()}" in result.output
    for name in ("audit.json", "scorecard.html", "scorecard.xlsx", "audit.duckdb"):
        assert (out / name).is_file(), name
    audit = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    assert audit["as_of"] == "2026-11-20"
    assert audit["maturity"]["level"] == 1

"""Smoke test of bench/small_audit.py on the sample exports: it runs both sides in child processes
and prints the comparison, the per-stage table of the run and a well-formed summary line.
No timed assertion (the machine is shared): only that the figures are there and consistent."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_small_audit_bench_runs_and_reports(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "small_audit.py"), "--repeat", "1", "--no-gx",
                          "--work", str(tmp_path), "--json", str(tmp_path / "r.json")],
                         capture_output=True, text=True, cwd=ROOT, timeout=600, check=False)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert re.fullmatch(r"small_audit/bare_load=\d+\.\d\d", lines[-1])
    (r,) = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert r["rows"] == 6660 and r["files"] == 10  # every row of the sample read by the audit
    assert r["wall"] > r["timings"]["total"] > 0 and r["bare"] > 0 and r["cpu"] > 0
    assert "great_expectations" not in r["timings"]  # --no-gx passed through
    row = next(line for line in lines if line.startswith("sample_data "))
    assert row.split()[1:3] == ["10", "6,660"]
    stages = [line.split()[0] for line in lines if re.match(r"^[a-z_]+ +\d+\.\d{3} +\d+\.\d%$", line)]
    assert stages == ["load", "checks", "evidence_store", "inference", "self_test", "report", "total"]

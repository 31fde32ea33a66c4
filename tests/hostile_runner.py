"""Loads each hostile case in its own forked child under a memory limit and a timeout.

Run as `python tests/hostile_runner.py OUT.json CASE_DIR...` (a subprocess of test_hostile.py):
the imports are paid once, each case costs a fork. A child that dies (signal, memory, timeout)
is recorded as such: the test fails on it, the other cases still run.
"""
from __future__ import annotations

import json
import os
import resource
import signal
import sys
from pathlib import Path

import duckdb  # noqa: F401 - imported once here, so that children only fork

from connectors.load import discover, load

MEMORY = 3 * 1024 ** 3  # address space: DuckDB is told to stay within 1 GB of it
TIMEOUT = 60


def _child(case: Path, out: Path) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    signal.alarm(TIMEOUT)
    os.chdir(case)
    con = duckdb.connect(config={"memory_limit": "1GB", "threads": 2})
    reports, _ = load(discover(["."]), con)
    raw = {}
    for r in reports:
        if r.raw_table and r.rows_loaded:
            raw[r.path] = [list(map(str, row)) for row in con.execute(f"SELECT * FROM {r.raw_table}").fetchall()]
    rejects = con.execute("SELECT file, count(*) FROM meta.rejects GROUP BY file").fetchall()
    out.write_text(json.dumps({"reports": [{**r.contract_entry(), "warnings": r.warnings} for r in reports],
                               "rejects": dict(rejects), "raw": raw}, ensure_ascii=False), encoding="utf-8")


def main(out_path: str, cases: list[str]) -> None:
    results = {}
    for case in map(Path, cases):
        result = case.parent / (case.name + ".result.json")
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _child(case, result)
            except BaseException as err:  # noqa: BLE001 - reported to the parent, which fails the test
                sys.stderr.write(f"{case.name}: {type(err).__name__}: {err}\n")
                code = 3
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        entry = {"exit": os.waitstatus_to_exitcode(status)}
        if result.exists():
            entry.update(json.loads(result.read_text(encoding="utf-8")))
        results[case.name] = entry
    Path(out_path).write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])

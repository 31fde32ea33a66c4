#!/usr/bin/env python3
"""What audits over time cost: keeping the full evidence (meta.evidence), `--baseline` and `compare`.

    python bench/history_cost.py EXPORTS_DIR [--work DIR]

Audits EXPORTS_DIR twice without Great Expectations (the second with --baseline the first),
then compares the two, and prints the timings and sizes: evidence_store (writing meta.evidence),
baseline (the block and its records), compare (comparison.json/.html/.xlsx), the evidence rows
kept and the whole audit for scale. E.g. on `python bench/scale_generate.py /tmp/s --scale 0.1`.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402

from auditor import audit  # noqa: E402
from auditor.history.compare import run_compare  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("exports", type=Path)
    ap.add_argument("--work", type=Path, default=None, help="folder for the two audits (default: a temporary one)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="crm-audit-history-"))
    try:
        t0 = time.perf_counter()
        first = audit([str(args.exports)], work / "a", use_gx=False)
        run_a = time.perf_counter() - t0
        t0 = time.perf_counter()
        second = audit([str(args.exports)], work / "b", use_gx=False, baseline=work / "a")
        run_b = time.perf_counter() - t0
        t0 = time.perf_counter()
        doc = run_compare([str(work / "a"), str(work / "b")], work / "c", "en")
        compare_s = time.perf_counter() - t0
        with duckdb.connect(str(work / "a" / "audit.duckdb"), read_only=True) as con:
            kept = con.execute("SELECT metric, count(*) FROM meta.evidence GROUP BY metric ORDER BY 2 DESC").fetchall()
        print(f"rows loaded: {sum(r.rows_loaded for r in first.inputs):,}")
        print(f"audit without history work: {run_a - first.timings.get('evidence_store', 0):.1f} s; "
              f"evidence_store {first.timings.get('evidence_store', 0):.2f} s "
              f"({sum(n for _, n in kept):,} ids kept in meta.evidence)")
        print(f"audit with --baseline: {run_b:.1f} s, of which baseline {second.timings.get('baseline', 0):.2f} s")
        print(f"compare of two audits: {compare_s:.2f} s ({len(doc['metrics'])} metrics)")
        for mid, n in kept:
            print(f"  {mid}: {n:,}")
        print(json.dumps({"evidence_store_s": round(first.timings.get("evidence_store", 0), 3),
                          "baseline_s": round(second.timings.get("baseline", 0), 3),
                          "compare_s": round(compare_s, 3), "audit_s": round(run_a, 3)}))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

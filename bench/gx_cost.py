"""What Great Expectations costs: checks/gx_suite.py's run_gx per suite vs the same numbers in DuckDB SQL.

    python bench/gx_cost.py [--rows 1000000] [--batch-rows 500000] [--skip-sample]

1. GX's import time (GX is imported lazily, so this is what the first run_gx pays).
2. sample_data: every suite, GX (read the columns from DuckDB as Arrow -> pandas -> validate)
   vs the equivalent SQL (checks/gx/sql.py: same unexpected / missing counts, one query per suite).
3. Generated canonical tables (`stg.contacts`, `stg.deals`, --rows each, built with DuckDB range()):
   same comparison, plus the share of the GX time spent only fetching the frame and the peak RSS.

The SQL side counts only; GX also collects every unexpected row's position (for the evidence).
"""
from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checks import gx_suite
from checks.gx.sql import run_equivalent

AS_OF = dt.date(2025, 12, 31)

CONTACTS = """
CREATE OR REPLACE TABLE stg.contacts AS
SELECT 'contacts.csv' AS _file, i AS _record, ref, ref AS record_id, full_name, NULL::VARCHAR AS first_name,
       NULL::VARCHAR AS last_name, NULL::VARCHAR AS middle_name, phone, phones, phones_invalid, email, emails, created_at
FROM (
  SELECT i,
    'C' || CASE WHEN i % 1000 = 7 THEN i - 1 ELSE i END AS ref,                      -- 0.1 % repeated ids
    CASE WHEN i % 50 = 0 THEN NULL ELSE 'Клиент ' || i END AS full_name,
    CASE WHEN i % 17 = 0 THEN NULL ELSE '+7916' || lpad((i % 10000000)::VARCHAR, 7, '0') END AS phone,
    CASE WHEN i % 17 = 0 OR i % 31 = 0 THEN []::VARCHAR[] ELSE ['+7916' || lpad((i % 10000000)::VARCHAR, 7, '0')] END
      || CASE WHEN i % 9 = 0 THEN ['+7495' || lpad((i % 10000000)::VARCHAR, 7, '0')] ELSE [] END AS phones,
    CASE WHEN i % 31 = 0 AND i % 17 <> 0 THEN ['8916' || (i % 1000)] ELSE []::VARCHAR[] END AS phones_invalid,
    CASE WHEN i % 3 = 0 THEN NULL WHEN i % 23 = 0 THEN 'client' || i || '@mail' ELSE 'client' || i || '@mail.ru' END AS email,
    CASE WHEN i % 3 = 0 THEN []::VARCHAR[] WHEN i % 23 = 0 THEN ['client' || i || '@mail']
         ELSE ['client' || i || '@mail.ru'] END AS emails,
    CASE WHEN i % 200 = 0 THEN TIMESTAMP '2030-01-01' ELSE TIMESTAMP '2020-01-01' + to_seconds(i * 60) END AS created_at
  FROM range(?) t(i)
)
"""

DEALS = """
CREATE OR REPLACE TABLE stg.deals AS
SELECT 'deals.csv' AS _file, i AS _record, 'D' || i AS ref, 'D' || i AS record_id,
  CASE WHEN i % 40 = 0 THEN NULL ELSE ['Новая', 'Переговоры', 'Успешно реализовано', 'Закрыто и не реализовано'][1 + i % 4] END AS stage,
  CASE WHEN i % 25 = 0 THEN NULL ELSE ['Анна', 'Игорь', 'Мария'][1 + i % 3] END AS owner,
  TIMESTAMP '2020-01-01' + to_seconds(i * 60) AS created_at,
  CASE WHEN i % 4 < 2 THEN NULL WHEN i % 97 = 0 THEN TIMESTAMP '2019-12-31' ELSE TIMESTAMP '2020-02-01' + to_seconds(i * 60) END AS closed_at,
  CASE WHEN i % 11 = 0 THEN NULL WHEN i % 101 = 0 THEN -1.0 ELSE (i * 7919) % 500000 END::DOUBLE AS amount,
  CASE WHEN i % 89 = 0 THEN 120.0 ELSE (i % 5) * 25.0 END::DOUBLE AS probability,
  ['open', 'open', 'won', 'lost'][1 + i % 4] AS state
FROM range(?) t(i)
"""


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fetch_time(con, suite) -> float:
    t0 = time.perf_counter()
    for _ in gx_suite._frames(con, suite.frame_sql(), None):
        pass
    return time.perf_counter() - t0


def compare(con, as_of: dt.date, batch_rows: int, with_fetch: bool) -> None:
    suites = gx_suite.plan(con, as_of)
    timings: dict[str, float] = {}
    metrics = gx_suite.run_gx(con, as_of, batch_rows=batch_rows, timings=timings)
    by_suite: dict[str, int] = {}
    for m in metrics:
        by_suite[m.details["suite"]] = by_suite.get(m.details["suite"], 0) + 1
    head = f"{'suite':<22}{'rows':>10}{'exps':>6}{'GX s':>9}{'SQL s':>9}{'GX/SQL':>8}"
    print(head + (f"{'fetch s':>9}" if with_fetch else ""))
    tot_gx = tot_sql = 0.0
    for s in suites:
        rows = con.execute(f"SELECT count(*) FROM ({s.frame_sql(ordered=False)})").fetchall()[0][0]
        t0 = time.perf_counter()
        run_equivalent(con, s)
        t_sql = time.perf_counter() - t0
        t_gx = timings[f"suite:{s.name}"]
        tot_gx += t_gx
        tot_sql += t_sql
        line = f"{s.name:<22}{rows:>10}{len(s.expectations):>6}{t_gx:>9.3f}{t_sql:>9.3f}{t_gx / t_sql:>8.0f}"
        print(line + (f"{fetch_time(con, s):>9.3f}" if with_fetch else ""))
    print(f"{'total':<22}{'':>10}{len(metrics):>6}{tot_gx:>9.3f}{tot_sql:>9.3f}{tot_gx / tot_sql:>8.0f}")
    failing = [m for m in metrics if m.status == "fail"]
    print(f"  {len(metrics)} metrics, {len(failing)} failing; GX context {timings.get('context', 0):.3f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows of each generated table")
    ap.add_argument("--batch-rows", type=int, default=gx_suite.BATCH_ROWS)
    ap.add_argument("--skip-sample", action="store_true")
    args = ap.parse_args()

    t0 = time.perf_counter()
    gx = gx_suite._gx()
    print(f"import great_expectations {gx.__version__}: {time.perf_counter() - t0:.2f} s\n")

    if not args.skip_sample:
        from checks.runner import reference_date
        from connectors.load import discover, load

        con = duckdb.connect()
        load(discover([str(ROOT / "sample_data")]), con)
        print(f"== sample_data (reference date {reference_date(con)})")
        compare(con, reference_date(con), args.batch_rows, with_fetch=False)
        print()

    con = duckdb.connect()
    con.execute("CREATE SCHEMA stg")
    t0 = time.perf_counter()
    con.execute(CONTACTS, [args.rows])
    con.execute(DEALS, [args.rows])
    print(f"== generated: {args.rows:,} contacts + {args.rows:,} deals (built in {time.perf_counter() - t0:.1f} s), "
          f"batches of {args.batch_rows:,} rows")
    compare(con, AS_OF, args.batch_rows, with_fetch=True)
    print(f"  peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()

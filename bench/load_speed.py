"""Load speed: `crm-audit inspect` on a generated deals CSV vs DuckDB's own read_csv of the same file.

    python bench/load_speed.py [--rows 1000000] [--keep]

The CSV is an amoCRM-style deals export (comma, quotes where needed, Russian titles,
`DD.MM.YYYY HH:MM:SS` dates, phones in several spellings), written by DuckDB itself so
generating a million rows takes seconds. The floor is a bare DuckDB load of the same file
into a table, all text. The figure of merit is their ratio.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent

GENERATE = """
COPY (
  SELECT
    (30000000 + i)::VARCHAR AS "ID",
    'Сделка № ' || i || CASE WHEN i % 7 = 0 THEN ', срочно' ELSE '' END AS "Название сделки",
    ((i * 7919) % 500000)::VARCHAR AS "Бюджет ",
    ['Александр', 'Алексей', 'Мария', 'Ольга', 'Игорь', 'Павел'][1 + i % 6] AS "Ответственный",
    strftime(TIMESTAMP '2023-01-01' + to_seconds(i * 37), '%d.%m.%Y %H:%M:%S') AS "Дата создания сделки",
    CASE WHEN i % 3 = 0 THEN 'Робот' ELSE 'Мария' END AS "Кем создана сделка",
    strftime(TIMESTAMP '2023-01-02' + to_seconds(i * 37), '%d.%m.%Y %H:%M:%S') AS "Дата редактирования",
    CASE WHEN i % 4 = 0 THEN 'не закрыта' ELSE strftime(TIMESTAMP '2023-02-01' + to_seconds(i * 37), '%d.%m.%Y %H:%M:00') END AS "Дата закрытия",
    ['Первичный контакт', 'Успешно реализовано', 'Закрыто и не реализовано', 'Принимают решение'][1 + i % 4] AS "Этап сделки",
    'Воронка' AS "Воронка",
    'Клиент ' || (i % 250000) AS "Полное имя контакта",
    'ООО «Компания ' || (i % 90000) || '»' AS "Компания",
    CASE i % 3 WHEN 0 THEN '8 (916) ' || lpad(((i * 31) % 10000000)::VARCHAR, 7, '0')
               WHEN 1 THEN '+7 903 ' || lpad(((i * 17) % 10000000)::VARCHAR, 7, '0')
               ELSE '7495' || lpad(((i * 13) % 10000000)::VARCHAR, 7, '0') END AS "Мобильный телефон",
    'client' || (i % 250000) || '@example.ru' AS "Рабочий email",
    ['Москва', 'Казань', 'Алматы', ''][1 + i % 4] AS "Город",
    ['Сайт', 'Звонок', 'Реклама', 'Рекомендация'][1 + i % 4] AS "Источник",
    CASE WHEN i % 5 = 0 THEN 'Многострочное
примечание' ELSE '' END AS "Примечание"
  FROM range(?) t(i)
) TO '{path}' (HEADER, DELIMITER ',')
"""


def peak_rss_mb_children() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--keep", action="store_true", help="keep the generated file")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="crm-audit-bench-"))
    csv_path = tmp / "amocrm_export_leads_bench.csv"

    t0 = time.perf_counter()
    duckdb.connect().execute(GENERATE.format(path=csv_path), [args.rows])
    size_mb = csv_path.stat().st_size / 1e6
    print(f"generated {args.rows:,} deals, {size_mb:.0f} MB in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    con = duckdb.connect(str(tmp / "bare.duckdb"))
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar=true, header=true)", [str(csv_path)])
    bare_rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
    con.close()
    bare = time.perf_counter() - t0
    print(f"duckdb read_csv (all text) : {bare:6.2f} s  ({bare_rows:,} rows)")

    exe = Path(sys.executable).with_name("crm-audit")
    cmd = [str(exe), "inspect", str(csv_path), "--json", "--db", str(tmp / "audit.duckdb")]
    t0 = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    ours = time.perf_counter() - t0
    if run.returncode != 0:
        sys.exit(f"crm-audit failed: {run.stderr.strip()[:500]}")
    import json

    entry = json.loads(run.stdout)[0]
    print(f"crm-audit inspect (load + canonical tables): {ours:6.2f} s  "
          f"(read {entry['rows_read']:,}, loaded {entry['rows_loaded']:,}, rejected {entry['rows_rejected']:,}; "
          f"peak RSS {peak_rss_mb_children():.0f} MB)")
    print(f"ratio crm-audit / duckdb read_csv = {ours / bare:.2f}")
    if args.keep:
        print(f"files kept in {tmp}")
    else:
        for p in tmp.iterdir():
            p.unlink()
        tmp.rmdir()


if __name__ == "__main__":
    main()

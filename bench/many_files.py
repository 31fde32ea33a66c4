"""Many small exports in one folder: files per second and peak memory of recognising + loading them.

Users send whole export folders; the cost per file must be small and memory flat in the number
of files. This writes N small exports (Bitrix24 deals / contacts CSV, generic deals CSV, in turn,
20 records each), loads the folder into an on-disk DuckDB as `crm-audit run` does, and prints
files/s for the per-file loop and the canonical build, and the peak RSS after each quarter.

    python bench/many_files.py --files 5000
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connectors.canonical import build as canonical  # noqa: E402
from connectors.load import _write_meta, discover, load_file  # noqa: E402

B24_DEALS = ["ID", "Название сделки", "Стадия сделки", "Сумма", "Валюта", "Компания", "Контакт", "Ответственный",
             "Дата создания"]
B24_CONTACTS = ["ID", "Имя", "Фамилия", "Рабочий телефон", "Рабочий e-mail", "Компания", "Дата создания"]
GENERIC = ["opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date", "close_date", "close_value"]


def _bitrix(header: list[str], rows: list[list[str]]) -> bytes:
    def line(cells):
        return "".join('"' + c.replace('"', '""') + '";' for c in cells) + "\n"
    return ("\ufeff" + line(header) + "".join(line(r) for r in rows)).encode("utf-8")


def write_files(root: Path, n: int, rows: int = 20) -> None:
    for i in range(n):
        base = i * rows
        if i % 3 == 0:
            data = _bitrix(B24_DEALS, [[str(base + k), f"Сделка {base + k}", "Сделка успешна", f"{1000 + k}.00",
                                        "Российский рубль", f"ООО \"Ромашка {k}\"", "", "Мария Сидорова",
                                        "12.03.2024 10:15:00"] for k in range(rows)])
        elif i % 3 == 1:
            data = _bitrix(B24_CONTACTS, [[str(base + k), "Иван", f"Петров{k}", f"+7 916 {base + k:07d}"[:16],
                                           f"u{base + k}@example.ru", "", "12.03.2024 10:15:00"] for k in range(rows)])
        else:
            data = (",".join(GENERIC) + "\n" + "".join(
                f"X{base + k},Agent {k},GTX Basic,Acme {k},Won,2016-10-20,2017-03-01,{k}\n" for k in range(rows))).encode()
        (root / f"export_{i:05d}.csv").write_bytes(data)


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 1024 ** 2


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="many-files-") as tmp:
        root = Path(tmp) / "exports"
        root.mkdir()
        write_files(root, args.files)
        t0 = time.perf_counter()
        targets = discover([str(root)])
        t_discover = time.perf_counter() - t0
        con = duckdb.connect(str(Path(tmp) / "audit.duckdb"))
        for schema in ("raw", "meta"):
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        con.execute("CREATE OR REPLACE TABLE meta.rejects (file VARCHAR, line BIGINT, reason VARCHAR, raw VARCHAR)")
        work = Path(tmp) / "work"
        work.mkdir()
        reports = []
        marks = {len(targets) * q // 4 for q in (1, 2, 3, 4)}
        t1, c1 = time.perf_counter(), time.process_time()
        for i, target in enumerate(targets, 1):
            reports += load_file(con, target, i, work)
            if i in marks:
                el = time.perf_counter() - t1
                print(f"  {i:6d} files  {i / el:7.1f} files/s  RSS {rss_mb():7.0f} MB", flush=True)
        t_load, c_load = time.perf_counter() - t1, time.process_time() - c1
        t2, c2 = time.perf_counter(), time.process_time()
        counts = canonical.build(con, reports, "RU")
        _write_meta(con, reports)
        t_build, c_build = time.perf_counter() - t2, time.process_time() - c2
        con.close()
    problems = sum(1 for r in reports if r.problem)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"files {len(targets)}  problems {problems}  rows {sum(counts.values())}")
    print(f"discover {t_discover:.2f} s | per-file load {t_load:.1f} s = {len(targets) / t_load:.1f} files/s "
          f"({1000 * t_load / len(targets):.1f} ms/file) | canonical build {t_build:.1f} s | "
          f"total {len(targets) / (t_discover + t_load + t_build):.1f} files/s | peak RSS {peak:.0f} MB")
    print(f"CPU time (steadier on a shared machine): load {c_load:.1f} s ({1000 * c_load / len(targets):.1f} ms/file), "
          f"build {c_build:.1f} s")


if __name__ == "__main__":
    main()

"""Smoke test of the scale benchmark: bench/run_bench.py --quick end to end on generated data.

No timed assertions (the machine is shared): only that the pipeline runs, the generated files
are byte-for-byte what the systems write, they load with no rejects, and the last line of the
benchmark is a well-formed summary.
"""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"^audit/bare_load=(\d+\.\d\d|n/a) peak_rss_gb=(\d+\.\d|n/a) "
                     r"dedup_f1=(\d+\.\d\d|n/a) dedup_time/splink_time=(\d+\.\d\d|n/a)$")


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bench")
    args = [sys.executable, str(ROOT / "bench" / "run_bench.py"), "--quick", "--no-gx",
            "--data", str(tmp / "data"), "--work", str(tmp / "work")]
    try:
        import splink  # noqa: F401
    except ImportError:
        args.append("--no-splink")
    run = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=900, check=False)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    data = next((tmp / "data").glob("scale_*"))
    return run.stdout, data


def test_summary_line(bench):
    out, _ = bench
    last = out.rstrip("\n").splitlines()[-1]
    assert SUMMARY.match(last), last
    assert "== Stages of `crm-audit run`" in out


def test_generated_files_load_without_rejects(bench):
    _, data = bench
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    run = subprocess.run([str(Path(sys.executable).with_name("crm-audit")), "inspect", str(data / "exports"), "--json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    entries = json.loads(run.stdout)
    assert len(entries) == len(manifest["files"])
    for e in entries:
        assert not e.get("problem"), e
        assert e["rows_read"] == e["rows_loaded"] + e["rows_rejected"], e
        assert e["rows_rejected"] == 0, e
        rel = e["path"].split("exports/", 1)[1]
        assert e["rows_loaded"] == manifest["files"][rel]["rows"], (rel, e["rows_loaded"], manifest["files"][rel])
    assert {(e["system"], e["entity"]) for e in entries} >= {
        ("bitrix24", "contacts"), ("bitrix24", "companies"), ("bitrix24", "deals"), ("bitrix24", "leads"),
        ("1c", "counterparties"), ("1c", "documents"), ("1c", "payments"), ("asterisk", "calls")}


def test_bytes_as_the_systems_write_them(bench):
    _, data = bench
    ex = data / "exports"
    for path in (ex / "bitrix24").glob("*.csv"):
        raw = path.read_bytes()
        assert raw.startswith(b'\xef\xbb\xbf"ID";'), path.name
        assert b"\r\n" not in raw
        lines = raw[3:].split(b"\n")
        assert lines[-1] == b""
        assert lines[0].endswith(b'";')
        if not path.name.startswith("DEAL_"):  # deal comments may span lines inside one quoted cell
            assert all(ln.startswith(b'"') and ln.endswith(b'";') for ln in lines[:-1]), path.name
    master = (ex / "telephony" / "Master.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(master)))
    assert {len(r) for r in rows} == {21}
    first = master.splitlines()[:200]
    for line in first:
        cells = line.split(",")
        assert re.search(r',\d+,\d+,"(ANSWERED|NO ANSWER|BUSY)","DOCUMENTATION","[\d.]+","","","[\d.]+",\d+$', line), line
        assert cells[0] == '""'
    unanswered = [ln for ln in master.splitlines() if '"NO ANSWER"' in ln][:20]
    assert unanswered and all(re.search(r'"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d",,"\d{4}-', ln) for ln in unanswered)
    bank = next((ex / "1c" / "bank").glob("*.txt")).read_bytes()
    assert bank.startswith(b"1CClientBankExchange\r\n") and "Кодировка=Windows".encode("cp1251") in bank[:200]
    assert b"\r\n\r\n" not in bank and bank.count(b"\n") == bank.count(b"\r\n")
    invoices = (ex / "1c" / "Счета на оплату покупателям.txt").read_bytes()
    invoices.decode("cp1251")
    assert invoices.startswith("Дата\tНомер\tКонтрагент".encode("cp1251")) and b"\r\n" in invoices
    sales = (ex / "1c" / "Реализация товаров и услуг.txt").read_bytes()
    assert sales.startswith(b"\xef\xbb\xbf" + "Дата\t".encode())
    truth = (data / "truth" / "contacts_truth.csv").read_text(encoding="utf-8").splitlines()
    assert truth[0].startswith("contact_id,person_id")
    contacts = next((ex / "bitrix24").glob("CONTACT_*.csv")).read_bytes().count(b"\n") - 1
    assert len(truth) - 1 == contacts

#!/usr/bin/env python3
"""Upload the 0.1-scale bench set through `crm-audit serve` and compare with `crm-audit run`.

    python bench/web_upload.py [--scale 0.1]     # part of `make bench`
    python bench/web_upload.py --quick           # scale 0.002, seconds

On the files bench/scale_generate.py writes into bench/data/scale_<X>/exports (the set
bench/run_bench.py uses; generated here if missing):

1. `crm-audit run exports` in a child process (cwd = the data folder, so file names match the
   server's): wall time and peak RSS (rusage of that child).
2. `crm-audit serve` in a child process. Its own RSS (the server, not the audit's worker) is
   sampled every 20 ms while a client streams a multipart upload (httpx, file by file from
   disk): once with the smallest file only, once with the whole set. Memory is flat in the
   upload size when the peak above the idle server stays the same for both (it must not grow
   with the bytes sent: uploads stream to disk).
3. The whole set's upload-to-scorecard time: from the first byte sent to `state: done`.
   Target: within 15% of the CLI's wall time on the same files; the audit.json of both must be
   byte-identical. Both run --rounds times (default 2), alternating which goes first; the best
   of each is compared (on a shared machine the load drifts between runs).

Timings are wall-clock on a shared machine: differences under ~10% are noise.
The last line is the summary:
    web/cli=X.XX upload_mb_s=Y server_peak_mb_small=A server_peak_mb_full=B same_audit_json=yes|no
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
CLI = [sys.executable, "-c", "from auditor.cli import app; app()"]


def ensure_data(root: Path, scale: float) -> Path:
    import scale_generate as gen

    d = root / f"scale_{f'{scale:.4f}'.rstrip('0').rstrip('.')}"
    mf = d / "manifest.json"
    if mf.exists():
        m = json.loads(mf.read_text(encoding="utf-8"))
        if m.get("generator_sha256") == gen.generator_sha256() and m.get("scale") == scale:
            return d
    print(f"generating scale {scale} into {d} …", flush=True)
    gen.generate(d, scale, gen.SEED, quiet=True)
    return d


def run_cli(data: Path, out: Path) -> tuple[float, float, float]:
    t0 = time.perf_counter()
    with (out.parent / "cli.log").open("wb") as log:
        proc = subprocess.Popen([*CLI, "run", "exports", "--out", str(out)], cwd=str(data), stdout=log,
                                stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"crm-audit run failed; see {out.parent / 'cli.log'}")
    print(f"  (CLI read from disk: {usage.ru_inblock * 512 / 2**20:,.0f} MB)", flush=True)
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


class Sampler:
    """Peak RSS of one process (the server only: the audit runs in a worker process)."""

    def __init__(self, pid: int):
        self.proc = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.02)

    def __enter__(self):
        self.peak = self.proc.memory_info().rss
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def upload(base: str, data: Path, files: list[Path]):
    import httpx2 as httpx  # the test extra's client; streams file objects part by part

    handles = [open(p, "rb") for p in files]
    try:
        parts = [("files", (p.relative_to(data).as_posix(), fh)) for p, fh in zip(files, handles)]
        r = httpx.post(f"{base}/api/audits", files=parts, timeout=None)
    finally:
        for fh in handles:
            fh.close()
    if r.status_code != 202:
        sys.exit(f"upload refused: {r.status_code} {r.text[:300]}")
    return r.json()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--quick", action="store_true", help="scale 0.002 (seconds)")
    ap.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    ap.add_argument("--rerun", action="store_true", help="also time a re-run on the stored files (no upload)")
    ap.add_argument("--rounds", type=int, default=2, help="CLI and server runs each (best of them is compared)")
    args = ap.parse_args()
    scale = 0.002 if args.quick else args.scale
    data = ensure_data(args.data, scale)
    files = sorted(p for p in (data / "exports").rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in files)
    work = Path(args.work or tempfile.mkdtemp(prefix="crm-audit-web-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"set: {len(files)} files, {size / 2**20:,.1f} MB (scale {scale})", flush=True)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server_log = (work / "server.log").open("w")
    server = subprocess.Popen([*CLI, "serve", "--port", str(port), "--data-dir", str(work / "web"),
                               "--max-upload-mb", str(max(1024, int(size / 2**20) * 2))],
                              stdout=server_log, stderr=subprocess.STDOUT, text=True)
    cli_walls, web_walls, ups, peaks = [], [], [], []
    try:
        while not _listening(port):
            time.sleep(0.05)
        import httpx2 as httpx

        idle = psutil.Process(server.pid).memory_info().rss
        smallest = min(files, key=lambda p: p.stat().st_size)
        with Sampler(server.pid) as small:
            first = upload(base, data, [smallest])
        httpx.delete(f"{base}/api/audits/{first['id']}")
        for rnd in range(args.rounds):
            # alternate the order: the machine's load drifts, and each side gets the early slot once
            for side in (("cli", "web") if rnd % 2 == 0 else ("web", "cli")):
                if side == "cli":
                    shutil.rmtree(work / "cli-out", ignore_errors=True)
                    wall, rss, cpu = run_cli(data, work / "cli-out")
                    cli_walls.append(wall)
                    print(f"round {rnd + 1} crm-audit run:       {wall:7.1f} s  CPU {cpu:6.1f} s  peak RSS {rss:,.0f} MB",
                          flush=True)
                    continue
                t0 = time.perf_counter()
                with Sampler(server.pid) as full:
                    body = upload(base, data, files)
                ups.append(time.perf_counter() - t0)
                peaks.append(full.peak)
                while (s := httpx.get(f"{base}{body['status_url']}").json())["state"] not in ("done", "failed"):
                    time.sleep(0.2)
                web_walls.append(time.perf_counter() - t0)
                if s["state"] != "done":
                    sys.exit(f"the server's audit failed: {s['error']}")
                served = httpx.get(f"{base}{s['outputs']['audit.json']}").content
                run = s.get("run") or {}
                print(f"round {rnd + 1} upload to scorecard: {web_walls[-1]:7.1f} s  worker CPU {run.get('cpu_seconds')} s  "
                      f"peak RSS {run.get('peak_rss_mb')} MB  read from disk {run.get('read_mb')} MB  (upload {ups[-1]:.1f} s; "
                      f"stages {run.get('timings')})", flush=True)
                if args.rerun and rnd == 0:  # the same stored files again, without uploading
                    t1 = time.perf_counter()
                    httpx.post(f"{base}{body['status_url']}/rerun", json={})
                    while (r := httpx.get(f"{base}{body['status_url']}").json())["state"] not in ("done", "failed"):
                        time.sleep(0.2)
                    run = r.get("run") or {}
                    print(f"round {rnd + 1} re-run (no upload):  {time.perf_counter() - t1:7.1f} s  worker CPU "
                          f"{run.get('cpu_seconds')} s  read from disk {run.get('read_mb')} MB  (stages {run.get('timings')})",
                          flush=True)
                if rnd < args.rounds - 1:
                    httpx.delete(f"{base}/api/audits/{body['id']}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        server_log.close()
    same = served == (work / "cli-out" / "audit.json").read_bytes()
    mb = 2**20
    cli_best, web_best, up_best = min(cli_walls), min(web_walls), min(ups)
    ratio = web_best / cli_best
    print(f"server idle RSS {idle / mb:,.0f} MB; peak while receiving {smallest.stat().st_size / mb:,.2f} MB: "
          f"{small.peak / mb:,.0f} MB; while receiving {size / mb:,.0f} MB: {max(peaks) / mb:,.0f} MB", flush=True)
    print(f"best of {args.rounds}: crm-audit run {cli_best:.1f} s; upload to scorecard {web_best:.1f} s (upload "
          f"{up_best:.1f} s, {size / mb / up_best:,.0f} MB/s) = {ratio:.2f} × the CLI "
          f"(target ≤ 1.15: {'met' if ratio <= 1.15 else 'missed'})")
    print(f"audit.json identical to the CLI's: {'yes' if same else 'no'}")
    print(f"web/cli={ratio:.2f} upload_mb_s={size / mb / up_best:.0f} server_peak_mb_small={small.peak / mb:.0f} "
          f"server_peak_mb_full={max(peaks) / mb:.0f} same_audit_json={'yes' if same else 'no'}")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Shared by tests/test_web_*.py: a client on a temporary data dir, the sample exports as upload
parts, and stand-in worker entry points (they run in the real worker processes the queue spawns)."""
from __future__ import annotations

import io
import json
import os
import signal
import time
from contextlib import contextmanager
from pathlib import Path

from starlette.testclient import TestClient

from auditor.web import Settings, create_app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
BASE = "http://127.0.0.1:8765"


@contextmanager
def client(data_dir: Path, **kw):
    settings = Settings(data_dir=data_dir, **kw)
    with TestClient(create_app(settings), base_url=kw.get("base_url", BASE)) as c:
        yield c


def sample_parts() -> list:
    """The bundled exports as a dropped `exports` folder sends them: relative path as file name."""
    root = SAMPLE
    return [("files", (p.relative_to(root).as_posix(), p.read_bytes())) for p in sorted((root / "exports").rglob("*"))
            if p.is_file()]


def csv_part(name: str = "deals.csv", body: bytes = b"id,title\n1,a\n") -> tuple:
    return ("files", (name, io.BytesIO(body)))


def wait(c, audit_id: str, states=("done", "failed"), timeout: float = 120) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        s = c.get(f"/api/audits/{audit_id}").json()
        if s["state"] in states:
            return s
        time.sleep(0.1)
    raise AssertionError(f"audit {audit_id} still {s['state']} after {timeout} s")


# --- stand-in workers (module-level: the spawned process imports them by name) -------------------
def crash_worker(folder: str) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def blocking_worker(folder: str) -> None:
    """Says it runs, then waits for a `release` file: the test controls exactly when it ends."""
    d = Path(folder)
    (d / "progress.json").write_text(json.dumps({"stage": "checks", "progress": 0.7, "detail": "", "files": []}))
    while not (d / "release").exists():
        time.sleep(0.05)
    (d / "out").mkdir(exist_ok=True)
    (d / "out" / "audit.json").write_text("{}")
    os._exit(0)

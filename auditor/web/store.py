"""Audits on disk: one folder per audit under DATA_DIR/audits/<id>/, so the list survives restarts.

    meta.json      what the client sent (original names as metadata), options, state; written by the server
    progress.json  stage, progress and per-file rows; written by the audit's worker process
    uploads/       the uploaded bytes under generated names (0001.csv, ...)
    view/          per run: hard links NNNN/<client's base name> → uploads (readers take hints from names)
    out/           audit.json, scorecard.html, scorecard.xlsx, audit.duckdb, expectations/
    worker.log     the worker's log (a crash's traceback goes here, never to the client)
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import shutil
import threading
from pathlib import Path

ID_RE = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{8}$")
STATES = ("queued", "running", "done", "failed")


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def write_json(path: Path, data: dict) -> None:
    """Atomic: a reader never sees half a file (the server reads while the worker writes)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class Store:
    def __init__(self, data_dir: Path):
        self.root = Path(data_dir).expanduser().resolve() / "audits"
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)  # personal data: only this user may list or read the audits
        self._lock = threading.RLock()

    def new_id(self) -> str:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
        return f"{stamp}-{secrets.token_hex(4)}"

    def dir(self, audit_id: str) -> Path | None:
        """The audit's folder, or None: ids are matched against their pattern, never joined raw."""
        if not ID_RE.match(audit_id or ""):
            return None
        d = self.root / audit_id
        return d if (d / "meta.json").is_file() else None

    def create(self, audit_id: str) -> Path:
        d = self.root / audit_id
        (d / "uploads").mkdir(parents=True)
        return d

    def meta(self, audit_id: str) -> dict | None:
        d = self.dir(audit_id)
        return read_json(d / "meta.json") if d else None

    def save(self, meta: dict) -> None:
        with self._lock:
            write_json(self.root / meta["id"] / "meta.json", meta)

    def update(self, audit_id: str, **changes) -> dict | None:
        with self._lock:
            meta = self.meta(audit_id)
            if meta is None:
                return None
            meta.update(changes)
            self.save(meta)
            return meta

    def progress(self, audit_id: str) -> dict:
        d = self.dir(audit_id)
        return (read_json(d / "progress.json") if d else None) or {}

    def ids(self) -> list[str]:
        """Newest first (ids start with their UTC creation time)."""
        return sorted((p.name for p in self.root.iterdir() if ID_RE.match(p.name) and (p / "meta.json").is_file()),
                      reverse=True)

    def delete(self, audit_id: str) -> bool:
        d = self.dir(audit_id)
        if d is None:
            return False
        with self._lock:
            # rename first so a half-deleted audit never shows in the list
            trash = self.root / f".deleting-{audit_id}-{secrets.token_hex(2)}"
            os.replace(d, trash)
        shutil.rmtree(trash, ignore_errors=True)
        return True

    def expired(self, keep_days: float) -> list[str]:
        if keep_days <= 0:
            return []
        limit = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=keep_days)
        old = []
        for audit_id in self.ids():
            meta = self.meta(audit_id) or {}
            try:
                created = dt.datetime.fromisoformat(meta.get("created", ""))
            except ValueError:
                continue
            if created < limit:
                old.append(audit_id)
        return old

    def sweep_trash(self) -> None:
        """At start: half-deleted audits, and uploads cut off before their meta.json was written."""
        for p in self.root.glob(".deleting-*"):
            shutil.rmtree(p, ignore_errors=True)
        for p in self.root.iterdir():
            if ID_RE.match(p.name) and not (p / "meta.json").exists():
                shutil.rmtree(p, ignore_errors=True)

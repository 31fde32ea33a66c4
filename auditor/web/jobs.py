"""The job queue: audits run one at a time by default, each in its own worker process.

A thread in the server starts workers (multiprocessing, "spawn": a clean interpreter, no state
forked from the server's threads) and watches them. A worker that dies (crash, out of memory,
killed) fails only its own audit; the server keeps answering.
"""
from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
from collections.abc import Callable

from .store import Store, now

log = logging.getLogger(__name__)
POLL = 0.2


def _died(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (often the machine running out of memory)" if -code == signal.SIGKILL else ""
        return f"the audit process was stopped by {name}{hint}; re-run it, with fewer files if it happens again"
    return f"the audit process ended unexpectedly (exit status {code}); see worker.log in its folder and re-run"


class Jobs:
    def __init__(self, store: Store, workers: int = 1, target: Callable[[str], None] | None = None):
        from . import worker

        self.store = store
        self.workers = max(1, workers)
        self.target = target or worker.main
        self.queue: list[str] = []
        self.running: dict[str, multiprocessing.Process] = {}
        self._cv = threading.Condition()
        self._stop = False
        self._ctx = multiprocessing.get_context("spawn")
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        self.recover()
        self._thread = threading.Thread(target=self._loop, name="crm-audit-jobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._cv:
            self._stop = True
            self._cv.notify_all()
        if self._thread:
            self._thread.join(timeout=5)
        for audit_id, proc in list(self.running.items()):
            proc.terminate()
            proc.join(timeout=5)
            self.store.update(audit_id, state="failed", finished=now(),
                              error="interrupted: the server stopped while this audit ran; re-run it")
        self.running.clear()

    def recover(self) -> None:
        """After a restart: audits that were running are failed with the reason; queued ones queue again."""
        self.store.sweep_trash()
        for audit_id in reversed(self.store.ids()):  # oldest first keeps the queue's order
            meta = self.store.meta(audit_id) or {}
            if meta.get("state") == "running":
                self.store.update(audit_id, state="failed", finished=now(),
                                  error="interrupted: the server stopped while this audit ran; re-run it")
            elif meta.get("state") == "queued":
                self.queue.append(audit_id)

    # -- requests ----------------------------------------------------------------------------
    def submit(self, audit_id: str) -> None:
        with self._cv:
            self.store.update(audit_id, state="queued", error=None, queued=now(), started=None, finished=None)
            if audit_id not in self.queue:
                self.queue.append(audit_id)
            self._cv.notify_all()

    def position(self, audit_id: str) -> int | None:
        """1 = next to start."""
        with self._cv:
            return self.queue.index(audit_id) + 1 if audit_id in self.queue else None

    def cancel(self, audit_id: str) -> None:
        """Before a delete: leave the queue, or stop the worker."""
        with self._cv:
            if audit_id in self.queue:
                self.queue.remove(audit_id)
            proc = self.running.pop(audit_id, None)
        if proc is not None:
            proc.kill()
            proc.join(timeout=10)

    def busy(self, audit_id: str) -> bool:
        with self._cv:
            return audit_id in self.queue or audit_id in self.running

    # -- the loop ----------------------------------------------------------------------------
    def _loop(self) -> None:
        while True:
            with self._cv:
                if self._stop:
                    return
                while self.queue and len(self.running) < self.workers:
                    audit_id = self.queue.pop(0)
                    try:
                        self._launch(audit_id)
                    except Exception as err:  # noqa: BLE001 - the loop must outlive any one audit
                        log.exception("cannot start the worker for %s", audit_id)
                        self.store.update(audit_id, state="failed", finished=now(),
                                          error=f"the audit process could not start ({err}); re-run it")
                self._cv.wait(timeout=POLL)
                finished = [(i, p) for i, p in self.running.items() if not p.is_alive()]
                for audit_id, _ in finished:
                    self.running.pop(audit_id)
            for audit_id, proc in finished:
                self._finish(audit_id, proc)

    def _launch(self, audit_id: str) -> None:
        folder = self.store.dir(audit_id)
        if folder is None:  # deleted while queued
            return
        (folder / "progress.json").unlink(missing_ok=True)
        proc = self._ctx.Process(target=self.target, args=(str(folder),), name=f"crm-audit-{audit_id}", daemon=True)
        proc.start()
        self.running[audit_id] = proc
        self.store.update(audit_id, state="running", started=now(), pid=proc.pid)

    def _finish(self, audit_id: str, proc: multiprocessing.Process) -> None:
        proc.join(timeout=1)
        folder = self.store.dir(audit_id)
        if folder is None:  # deleted meanwhile
            return
        progress = self.store.progress(audit_id)
        if proc.exitcode == 0 and (folder / "out" / "audit.json").is_file():
            self.store.update(audit_id, state="done", finished=now(), error=None, level=progress.get("level"))
        else:
            error = progress.get("error") or _died(proc.exitcode)
            self.store.update(audit_id, state="failed", finished=now(), error=error)
        log.info("audit %s: exit %s", audit_id, proc.exitcode)

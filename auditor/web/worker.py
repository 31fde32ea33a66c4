"""One audit, run in its own process (the job queue starts it): the product's own pipeline.

It reads meta.json, runs `auditor.run.audit` on the stored files under the names the client gave,
and reports progress into progress.json. A crash or a memory error here ends only this process;
the server marks the audit failed.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import resource
import shutil
import sys
import time
import traceback
from pathlib import Path, PurePosixPath

from .store import read_json, write_json

# share of the bar each stage ends at (loading advances by bytes inside its span)
_SPANS = {"recognising": 0.02, "loading": 0.55, "canonical": 0.65, "checks": 0.85,
          "great_expectations": 0.92, "inference": 0.94, "reports": 1.0}


class Reporter:
    """Turns the pipeline's stage(name, info) calls into progress.json."""

    def __init__(self, folder: Path, files: list[dict]):
        self.path = folder / "progress.json"
        self.by_name = {f["name"]: f for f in files}
        self.total_bytes = sum(f["size"] for f in files) or 1
        self.done_bytes = 0
        self.state = {"stage": "recognising", "progress": 0.0, "detail": "", "files": [],
                      "error": None, "pid": os.getpid()}
        self._last = 0.0
        self.flush(force=True)

    def flush(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last > 0.2:
            self.state["updated"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
            write_json(self.path, self.state)
            self._last = now

    def message(self, text: str) -> None:
        if self.state["stage"] in ("checks", "great_expectations"):
            self.state["detail"] = text
            self.flush()

    def stage(self, name: str, info: dict) -> None:
        s = self.state
        passed = s.setdefault("stages", [])     # every stage reached, in order: a poll may miss a short one
        key = "loading" if name == "loaded" else name
        if not passed or passed[-1] != key:
            passed.append(key)
        if name == "loading":
            s["stage"] = "loading"
            s["detail"] = {"index": info["index"], "total": info["total"], "file": info["file"]}
        elif name == "loaded":
            f = self.by_name.get(info["file"], {})
            self.done_bytes += f.get("size", 0)
            for r in info["reports"]:
                s["files"].append(_row(r, f))
            rows = sum(r.rows_read for r in info["reports"])
            s["detail"] = {"index": info["index"], "total": info["total"], "file": info["file"], "rows": rows}
            lo, hi = _SPANS["recognising"], _SPANS["loading"]
            s["progress"] = round(lo + (hi - lo) * self.done_bytes / self.total_bytes, 4)
        else:
            before = list(_SPANS)[max(list(_SPANS).index(name) - 1, 0)] if name in _SPANS else None
            s["stage"], s["detail"] = name, ""
            if before and name != "recognising":
                s["progress"] = max(s["progress"], _SPANS[before])
        self.flush(force=name != "loaded" or info.get("index") == info.get("total"))


def _row(report, upload: dict) -> dict:
    return {"file_id": upload.get("n"), "path": report.path, "system": report.system, "entity": report.entity,
            "confidence": round(report.confidence or 0.0, 3), "encoding": report.encoding or "",
            "rows_read": report.rows_read, "rows_loaded": report.rows_loaded, "rows_rejected": report.rows_rejected,
            "problem": report.problem, "warnings": list(report.warnings), "override": upload.get("override")}


def targets(folder: Path, meta: dict) -> list:
    """Stored files as the pipeline's Targets: linked as view/NNNN/<client's base name>, shown by full name."""
    from connectors.load import Target

    view = folder / "view"
    shutil.rmtree(view, ignore_errors=True)
    out = []
    for f in meta["files"]:
        if f.get("skipped"):
            continue
        d = view / f"{f['n']:04d}"
        d.mkdir(parents=True)
        # base name checked at upload (names.check_name); readers read hints from it (1C document kinds)
        link = d / PurePosixPath(f["name"]).name
        src = folder / "uploads" / f["stored"]
        try:
            os.link(src, link)
        except OSError:
            os.symlink(src, link)
        override = tuple(f["override"].split(":", 1)) if f.get("override") else None
        out.append(Target(link, f["name"], override))
    return out


def main(folder_str: str) -> None:
    """The worker process's entry point; exit status 0 = audit written, else progress.json says why."""
    folder = Path(folder_str)
    # the worker's own output (library progress bars, warnings) goes to its log, not the server's console
    log_fd = os.open(folder / "worker.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    logging.basicConfig(filename=folder / "worker.log", level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    meta = read_json(folder / "meta.json")
    files = [f for f in meta["files"] if not f.get("skipped")]
    rep = Reporter(folder, files)
    try:
        code = _run(folder, meta, rep)
    except BaseException as err:  # noqa: BLE001 - one line for the client, the traceback for the log
        logging.getLogger(__name__).error("audit crashed:\n%s", traceback.format_exc())
        rep.state["error"] = _one_line(err)
        rep.flush(force=True)
        code = 3
    logging.shutdown()
    sys.stdout.flush()
    os._exit(code)  # skip interpreter teardown: nothing left to save, and a C extension cannot hang it


def _run(folder: Path, meta: dict, rep: Reporter) -> int:
    from connectors.model import InputError

    from ..run import audit

    out = folder / "out"
    shutil.rmtree(out, ignore_errors=True)
    sa = folder / "uploads" / meta["self_assessment"] if meta.get("self_assessment") else None
    as_of = dt.date.fromisoformat(meta["as_of"]) if meta.get("as_of") else None
    try:
        result = audit(targets(folder, meta), out, as_of=as_of, lang=meta.get("lang", "ru"),
                       self_assessment_file=sa, progress=rep.message, stage=rep.stage)
    except InputError as err:
        rep.state["error"] = _one_line(err)
        rep.flush(force=True)
        return 2
    use = resource.getrusage(resource.RUSAGE_SELF)
    rep.state.update(stage="done", progress=1.0, detail="", level=result.maturity.level,
                     confidence=round(result.maturity.confidence, 3), as_of=result.as_of.isoformat(),
                     timings={k: round(v, 2) for k, v in result.timings.items()},
                     cpu_seconds=round(use.ru_utime + use.ru_stime, 1), peak_rss_mb=round(use.ru_maxrss / 1024),
                     read_mb=round(use.ru_inblock * 512 / 2**20))
    rep.flush(force=True)
    return 0


def _one_line(err: BaseException) -> str:
    if isinstance(err, MemoryError):
        return "the audit ran out of memory; audit fewer or smaller files at once, or free memory and re-run"
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    return f"{type(err).__name__}: {text}"[:300] if type(err).__name__ != "InputError" else text[:300]

"""Reporters: audit.json (the contract), scorecard.html, scorecard.xlsx. They never compute."""
from __future__ import annotations

import time
from pathlib import Path

from ..result import AuditResult
from .json_report import write_json


def write_all(result: AuditResult, con, out_dir: Path, show_pii: bool = False,
              started: float | None = None) -> list[Path]:
    """Write every report. The scorecards go first and their seconds into `result.timings`
    (`report.html`, `report.xlsx`, `report`, and `total` since `started`, a perf_counter value),
    so that audit.json, written last, carries the timings of the whole run but its own few ms."""
    timings = result.timings
    t_report = time.perf_counter()
    paths = []
    try:
        from .html_report import write_html
    except ImportError:
        write_html = None
    if write_html is not None:
        t0 = time.perf_counter()
        paths.append(write_html(result, con, out_dir / "scorecard.html", show_pii=show_pii))
        timings["report.html"] = time.perf_counter() - t0
    try:
        from .xlsx_report import write_xlsx
    except ImportError:
        write_xlsx = None
    if write_xlsx is not None:
        t0 = time.perf_counter()
        paths.append(write_xlsx(result, con, out_dir / "scorecard.xlsx", show_pii=show_pii))
        timings["report.xlsx"] = time.perf_counter() - t0
    timings["report"] = time.perf_counter() - t_report
    if started is not None:
        timings["total"] = time.perf_counter() - started
    return [write_json(result, out_dir / "audit.json"), *paths]

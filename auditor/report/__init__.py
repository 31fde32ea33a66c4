"""Reporters: audit.json (the contract), scorecard.html, scorecard.xlsx. They never compute."""
from __future__ import annotations

from pathlib import Path

from ..result import AuditResult
from .json_report import write_json


def write_all(result: AuditResult, con, out_dir: Path, show_pii: bool = False) -> list[Path]:
    paths = [write_json(result, out_dir / "audit.json")]
    try:
        from .html_report import write_html
    except ImportError:
        write_html = None
    if write_html is not None:
        paths.append(write_html(result, con, out_dir / "scorecard.html", show_pii=show_pii))
    try:
        from .xlsx_report import write_xlsx
    except ImportError:
        write_xlsx = None
    if write_xlsx is not None:
        paths.append(write_xlsx(result, con, out_dir / "scorecard.xlsx", show_pii=show_pii))
    return paths

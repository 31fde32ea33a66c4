"""The audit pipeline: load → checks (+ Great Expectations) → inference → reports."""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable
from pathlib import Path

from checks.runner import run_checks
from checks.thresholds import load_thresholds
from connectors.load import Stage, Target, discover, load
from connectors.mapping_file import load_mappings
from connectors.model import InputError

from . import self_assessment
from .database import open_db
from .inference import infer, load_config
from .recommendations import recommend
from .result import AuditResult

log = logging.getLogger(__name__)
Progress = Callable[[str], None]


def audit(
    paths: list[str],
    out_dir: Path | None = None,
    *,
    as_of: dt.date | None = None,
    lang: str = "en",
    self_assessment_file: Path | None = None,
    config_file: Path | None = None,
    region: str = "RU",
    show_pii: bool = False,
    use_gx: bool = True,
    mappings: list[Path] | tuple[Path, ...] = (),
    progress: Progress | None = None,
    stage: Stage | None = None,
) -> AuditResult:
    """Run the whole audit; with `out_dir`, write audit.json, scorecard.html/.xlsx, audit.duckdb.

    `paths` may also hold ready `Target`s (the web app: stored file + the name the client gave it).
    `stage(name, info)` reports progress by stage: recognising, loading/loaded (per file), canonical,
    checks, great_expectations, inference, reports.
    """
    say = progress or (lambda _m: None)
    step = stage or (lambda _name, _info: None)
    timings: dict[str, float] = {}
    cfg = load_config(config_file)
    thresholds = load_thresholds(config_file)
    claims = self_assessment.load(self_assessment_file) if self_assessment_file else {}
    step("recognising", {})
    targets = [t for p in paths for t in ([p] if isinstance(p, Target) else discover([p]))]
    extra = load_mappings(list(mappings))
    if not targets:
        raise InputError("no files found under the given paths; point to the export files or their folder")
    db_path = Path(out_dir) / "audit.duckdb" if out_dir else None
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    with open_db(db_path) as con:
        t0 = time.perf_counter()
        say(f"loading {len(targets)} file(s)")
        reports, counts = load(targets, con, region=region, progress=say, extra=extra, stage=stage)
        timings["load"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        say("measuring")
        step("checks", {})
        run = run_checks(con, as_of=as_of, thresholds=thresholds, progress=say)
        timings["checks"] = time.perf_counter() - t0
        metrics = dict(run.metrics)
        if use_gx:
            t0 = time.perf_counter()
            say("validating with Great Expectations")
            step("great_expectations", {})
            metrics.update(_gx_metrics(con, run.as_of, out_dir))
            timings["great_expectations"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        step("inference", {})
        maturity = infer(metrics, counts, cfg, lang)
        if claims:
            maturity = dataclasses.replace(maturity, questions=self_assessment.compare(maturity.questions, claims, lang))
        recs = recommend(metrics, maturity, lang)
        timings["inference"] = time.perf_counter() - t0
        result = AuditResult(run.as_of, tuple(reports), metrics, maturity, recs, lang, timings)
        if out_dir:
            t0 = time.perf_counter()
            say("writing the scorecard")
            step("reports", {})
            from .report import write_all

            write_all(result, con, Path(out_dir), show_pii=show_pii)
            timings["report"] = time.perf_counter() - t0
    return result


def _gx_metrics(con, as_of, out_dir):
    try:
        from checks.gx_suite import export_suites, run_gx
    except ImportError:  # GX integration not installed in this build
        return {}
    metrics = {m.id: m for m in run_gx(con, as_of)}
    if out_dir:
        export_suites(con, Path(out_dir))
    return metrics

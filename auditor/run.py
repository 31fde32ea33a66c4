"""The audit pipeline: load → checks (+ Great Expectations) → inference → reports."""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable
from pathlib import Path

from checks.runner import run_checks
from checks.selftest import self_test
from checks.thresholds import load_thresholds
from connectors.load import Stage, Target, discover, load
from connectors.mapping_file import load_mappings
from connectors.model import InputError

from . import roadmap, self_assessment
from .database import open_db
from .history.audits import load_audit
from .history.baseline import baseline_block
from .history.records import store_evidence
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
    region: str | None = None,
    show_pii: bool = False,
    use_gx: bool = True,
    mappings: list[Path] | tuple[Path, ...] = (),
    progress: Progress | None = None,
    baseline: str | Path | None = None,
    stage: Stage | None = None,
) -> AuditResult:
    """Run the whole audit; with `out_dir`, write audit.json, scorecard.html/.xlsx, audit.duckdb.

    `baseline`: an earlier audit (its folder or audit.json) to report the change since.
    `paths` may also hold ready `Target`s (the web app: stored file + the name the client gave it).
    `stage(name, info)` reports progress by stage: recognising, loading/loaded (per file), canonical,
    checks, great_expectations, inference, reports.
    `result.timings` (and audit.json `timings`): seconds per stage, `load`, `checks`,
    `great_expectations`, `inference`, `self_test`, `report`, `total`, each with its parts as
    `<stage>.<part>` (files, canonical tables, check families and prepare steps, GX suites, reports).
    """
    started = time.perf_counter()
    say = progress or (lambda _m: None)
    step = stage or (lambda _name, _info: None)
    timings: dict[str, float] = {}
    cfg = load_config(config_file)
    thresholds = load_thresholds(config_file)
    claims = self_assessment.load(self_assessment_file) if self_assessment_file else {}
    previous = load_audit(baseline) if baseline is not None else None   # read before out_dir is rewritten
    step("recognising", {})
    targets = [t for p in paths for t in ([p] if isinstance(p, Target) else discover([p]))]
    extra = load_mappings(list(mappings))
    if not targets:
        raise InputError("no files found under the given paths; point to the export files or their folder")
    if use_gx:
        _preload_gx()
    db_path = Path(out_dir) / "audit.duckdb" if out_dir else None
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    with open_db(db_path) as con:
        t0 = time.perf_counter()
        say(f"loading {len(targets)} file(s)")
        parts: dict[str, float] = {}
        reports, counts = load(targets, con, region=region, progress=say, extra=extra, stage=stage, timings=parts)
        timings["load"] = time.perf_counter() - t0
        timings.update({f"load.{k}": v for k, v in parts.items()})
        t0 = time.perf_counter()
        say("measuring")
        step("checks", {})
        run = run_checks(con, as_of=as_of, thresholds=thresholds, progress=say)
        timings["checks"] = time.perf_counter() - t0
        timings.update(_families(run.timings))
        metrics = dict(run.metrics)
        if out_dir or previous is not None:   # kept for `compare` and `--baseline`; a throw-away run needs none
            t0 = time.perf_counter()
            store_evidence(con, metrics, {"as_of": dt.datetime.combine(run.as_of, dt.time.max)})
            timings["evidence_store"] = time.perf_counter() - t0
        if use_gx:
            t0 = time.perf_counter()
            say("validating with Great Expectations")
            step("great_expectations", {})
            parts = {}
            metrics.update(_gx_metrics(con, run.as_of, out_dir, parts))
            timings["great_expectations"] = time.perf_counter() - t0
            timings.update({f"great_expectations.{k}": v for k, v in parts.items()})
        t0 = time.perf_counter()
        step("inference", {})
        maturity = infer(metrics, counts, cfg, lang)
        if claims:
            maturity = dataclasses.replace(maturity, questions=self_assessment.compare(maturity.questions, claims, lang))
        recs = recommend(metrics, maturity, lang)
        stages = roadmap.build(metrics, maturity, cfg, lang, thresholds=thresholds)
        timings["inference"] = time.perf_counter() - t0
        since = None
        if previous is not None:
            t0 = time.perf_counter()
            since = baseline_block(previous, metrics, con, db_path, [r.path for r in reports])
            timings["baseline"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        problems = tuple(self_test(con, metrics))
        timings["self_test"] = time.perf_counter() - t0
        for p in problems:
            log.error("self-test: %s", p)
        result = AuditResult(run.as_of, tuple(reports), metrics, maturity, recs, lang, timings,
                             reference=run.reference.to_json() if run.reference else {}, self_test=problems,
                             roadmap=stages, baseline=since)
        if out_dir:
            say("writing the scorecard")
            step("reports", {})
            from .report import write_all

            write_all(result, con, Path(out_dir), show_pii=show_pii, started=started)
        else:
            timings["total"] = time.perf_counter() - started
    return result


def _families(check_timings: dict[str, float]) -> dict[str, float]:
    """Per-check seconds summed by family (`checks.<dimension>`, the check id's first part);
    prepare steps each on their own (`checks.prepare.<step>`)."""
    out: dict[str, float] = {}
    for key, sec in check_timings.items():
        name = key if key.startswith("prepare.") else key.split(".", 1)[0]
        out[f"checks.{name}"] = out.get(f"checks.{name}", 0.0) + sec
    return out


def _preload_gx() -> None:
    try:
        from checks.gx_suite import preload
    except ImportError:  # GX integration not installed in this build
        return
    preload()


def _gx_metrics(con, as_of, out_dir, timings):
    try:
        from checks.gx_suite import run_gx
    except ImportError:  # GX integration not installed in this build
        return {}
    return {m.id: m for m in run_gx(con, as_of, timings=timings, export_to=Path(out_dir) if out_dir else None)}

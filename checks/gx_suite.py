"""Great Expectations over the canonical tables: suites built from the schema, validated with
GX's pandas engine, reported as `gx.<entity>.<expectation>.<column>` metrics.

Why pandas and not SQL: GX 1.x over DuckDB through SQLAlchemy returns no metric rows
(GX issues #10738, #11579). So each suite reads only the columns it needs from DuckDB as
Arrow, converts them to pandas (timestamps as datetime64[ns], numbers as float: GX compares
other dtypes with a Python call per value) and validates that frame with `Batch.validate`
in one ephemeral context, in batches of `batch_rows` rows when the frame is larger;
uniqueness expectations see the whole table (only their columns).

Metric value = unexpected_count ÷ element_count, i.e. over every row of the frame (every
number / address for the per-value suites). How NULLs count depends on the expectation type:
not-null counts them as the unexpected values; regex, value set and range skip them (GX's
`missing_count`, neither expected nor unexpected); uniqueness skips rows with a NULL key;
column pairs skip rows where either side is NULL. GX's own `unexpected_percent` divides by the
non-missing rows; it is kept in `details`. Status is GX's verdict: "ok" when the expectation
holds for every row, else "fail".

Evidence: GX's `unexpected_index_list` (row positions of the frame; COMPLETE result format)
mapped to the frame's `ref` column, capped at checks.runner.EVIDENCE_CAP; `total` counts the
distinct records. Asking GX itself for `unexpected_index_column_names=["ref"]` gives the same
refs but costs a pandas `.at` lookup per failing row per column (31 s for 143k failing rows of
1M), so the mapping is done here, vectorised.

GX is imported lazily (it takes seconds; an audit starts that import in a background thread,
`preload`, so that it overlaps the load and the checks); its progress bars, warnings, logging and any
stdout/stderr output are silenced.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import logging
import os
import sys
import threading
import time
import warnings
from pathlib import Path

from .gx import spec as S
from .model import Evidence, Metric

log = logging.getLogger(__name__)
BATCH_ROWS = 500_000
_PRELOAD: threading.Thread | None = None
RESULT_FORMAT = {"result_format": "COMPLETE", "return_unexpected_index_query": False, "partial_unexpected_count": 20}


def plan(con, as_of: dt.date | None = None) -> list[S.SuiteSpec]:
    """The suites for the loaded data (no GX import)."""
    return S.plan(con, as_of or _reference_date(con))


def build_suites(con, as_of: dt.date | None = None) -> dict[str, object]:
    """{suite name: gx.ExpectationSuite} for the loaded data (not attached to any GX context)."""
    as_of = as_of or _reference_date(con)
    gx = _gx()
    with _quiet():
        return {s.name: gx.ExpectationSuite(**s.to_json(as_of)) for s in S.plan(con, as_of)}


def run_gx(con, as_of: dt.date | None = None, *, batch_rows: int = BATCH_ROWS,
           timings: dict[str, float] | None = None, export_to: str | Path | None = None) -> list[Metric]:
    """Validate every suite over the loaded `stg` tables; one Metric per expectation. With
    `export_to`, also write the suites (export_suites) from the same plan and suite objects."""
    timings = {} if timings is None else timings
    as_of = as_of or _reference_date(con)
    t0 = time.perf_counter()
    suites = S.plan(con, as_of)
    timings["plan"] = time.perf_counter() - t0
    if not suites:
        return []
    t0 = time.perf_counter()
    gx = _gx()
    timings["import"] = time.perf_counter() - t0
    metrics: list[Metric] = []
    built: dict[str, object] = {}
    with _quiet():
        t0 = time.perf_counter()
        ctx = _context(gx)
        # one asset for every suite: the frame is a batch parameter, and each asset added
        # re-serialises the context's whole config
        batch_def = (ctx.data_sources.add_pandas("crm_audit").add_dataframe_asset("stg")
                     .add_batch_definition_whole_dataframe("frame"))
        timings["context"] = time.perf_counter() - t0
        for suite in suites:
            t0 = time.perf_counter()
            metrics += _validate(gx, batch_def, con, suite, as_of, batch_rows, built)
            timings[f"suite:{suite.name}"] = time.perf_counter() - t0
        if export_to is not None:
            t0 = time.perf_counter()
            _write_suites(gx, suites, built, Path(export_to), as_of)
            timings["export"] = time.perf_counter() - t0
    return metrics


def export_suites(con, out_dir: str | Path, as_of: dt.date | None = None) -> list[Path]:
    """Write each suite as GX JSON to `out_dir/expectations/<suite>.json`, plus a README.md."""
    as_of = as_of or _reference_date(con)
    gx = _gx()
    with _quiet():
        return _write_suites(gx, S.plan(con, as_of), {}, Path(out_dir), as_of)


def _write_suites(gx, specs: list[S.SuiteSpec], built: dict[str, object], out_dir: Path, as_of: dt.date) -> list[Path]:
    """`built`: GX suites already made for the validation, by name (the others are made here)."""
    folder = out_dir / "expectations"
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for s in specs:
        suite = built.get(s.name)
        if suite is None:
            suite = gx.ExpectationSuite(**s.to_json(as_of))
        path = folder / f"{s.name}.json"
        path.write_text(json.dumps(suite.to_json_dict(), ensure_ascii=False, indent=2, default=str) + "\n",
                        encoding="utf-8")
        paths.append(path)
    readme = folder / "README.md"
    readme.write_text(_readme(specs, as_of, gx.__version__), encoding="utf-8")
    return [*paths, readme]


def preload() -> None:
    """Start importing Great Expectations in a background thread (it takes seconds, mostly
    Python executing GX's module bodies), so that it overlaps the load and the checks, which
    spend most of their time inside DuckDB with the GIL released. `_gx()` waits for it.
    Nothing is redirected in that thread: stdout/stderr and warning filters are process-wide
    and the main thread is printing progress meanwhile (GX's import itself prints nothing)."""
    global _PRELOAD
    if _PRELOAD is None and "great_expectations" not in sys.modules:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        _PRELOAD = threading.Thread(target=_import_gx, name="gx-import", daemon=True)
        _PRELOAD.start()


def _import_gx() -> None:
    try:
        import great_expectations  # noqa: F401
        from great_expectations.execution_engine import pandas_execution_engine  # noqa: F401
    except Exception:  # noqa: BLE001 - `_gx()` imports again in the main thread and raises there
        log.debug("background import of great_expectations failed", exc_info=True)


# --------------------------------------------------------------------------- validation

class _Tally:
    """One expectation's result, summed over batches."""

    def __init__(self, exp: S.Exp):
        self.exp = exp
        self.element = self.unexpected = self.missing = 0
        self.success = True
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.seen: set[str] = set()
        self.batches = 0

    def add(self, result, refs) -> None:
        import numpy as np

        self.batches += 1
        info = result.exception_info or {}
        raised = [info] if "raised_exception" in info else list(info.values())
        errors = [str(i.get("exception_message")) for i in raised if isinstance(i, dict) and i.get("raised_exception")]
        if errors:
            self.errors += errors
            return
        r = result.result or {}
        self.success = self.success and bool(result.success)
        self.element += int(r.get("element_count") or 0)
        self.unexpected += int(r.get("unexpected_count") or 0)
        self.missing += int(r.get("missing_count") or 0)
        idx = r.get("unexpected_index_list") or []
        if idx:
            cap = _cap()
            for ref in dict.fromkeys(refs[np.asarray(idx, dtype=np.int64)].tolist()):
                if ref not in self.seen:
                    self.seen.add(ref)
                    if len(self.ids) < cap:
                        self.ids.append(str(ref))

    def metric(self, entity: str, suite: str) -> Metric:
        e = self.exp
        mid = e.metric_id(entity)
        nonmissing = self.element - self.missing
        details = {"engine": "great_expectations", "suite": suite, "expectation": e.type,
                   "kwargs": _jsonable(e.kwargs), "missing_count": self.missing if e.type != S.NOT_NULL else None,
                   "unexpected_percent_nonmissing": round(100 * self.unexpected / nonmissing, 4) if nonmissing else None,
                   "missing_rule": e.missing_rule, "batches": self.batches}
        if self.errors:
            return Metric(mid, e.dimension, None, "n/a", "share", reason="GX could not evaluate it: " + self.errors[0][:300],
                          description=e.rationale, details=details)
        if not self.element:
            return Metric(mid, e.dimension, None, "n/a", "share", 0, 0, reason=f"no {entity} rows to validate",
                          description=e.rationale, details=details)
        evidence = Evidence(entity, tuple(self.ids), len(self.seen), _cap())
        return Metric(mid, e.dimension, round(self.unexpected / self.element, 6), "ok" if self.success else "fail",
                      "share", self.unexpected, self.element, evidence=evidence, description=e.rationale, details=details)


def _validate(gx, batch_def, con, suite: S.SuiteSpec, as_of: dt.date, batch_rows: int,
              built: dict[str, object]) -> list[Metric]:
    rows = con.execute(f"SELECT count(*) FROM ({suite.frame_sql(ordered=False)})").fetchall()[0][0]
    exps = suite.expectations
    if rows <= batch_rows:
        parts = [(exps, False)]
    else:  # row-wise expectations stream in batches; uniqueness needs the whole (narrow) table
        parts = [(tuple(e for e in exps if not e.whole_table), True), (tuple(e for e in exps if e.whole_table), False)]
    tallies = {e.metric_id(suite.entity): _Tally(e) for e in exps}
    for i, (part, batched) in enumerate(parts):
        if not part:
            continue
        if len(parts) == 1:  # the whole suite: the same object is exported (built once)
            gx_suite = built[suite.name] = gx.ExpectationSuite(**suite.to_json(as_of))
        else:
            gx_suite = gx.ExpectationSuite(**{**suite.to_json(as_of), "name": f"{suite.name}#{i}",
                                              "expectations": [e.config(suite.entity) for e in part]})
        for df in _frames(con, suite.frame_sql(part), batch_rows if batched else None):
            res = batch_def.get_batch(batch_parameters={"dataframe": df}).validate(gx_suite, result_format=RESULT_FORMAT)
            refs = df["ref"].to_numpy(dtype=object)
            for r in res.results:
                tallies[r.expectation_config.meta["metric_id"]].add(r, refs)
    return [t.metric(suite.entity, suite.name) for t in tallies.values()]


def _frames(con, sql: str, batch_rows: int | None):
    """Plain pandas frames of the query: one, or one per `batch_rows` rows."""
    import pyarrow as pa

    rel = con.sql(sql)  # a relation, not a DB-API cursor: Arrow without an extra copy of the rows
    if batch_rows is None:
        yield _pandas(rel.to_arrow_table() if hasattr(rel, "to_arrow_table") else rel.arrow())
        return
    reader = rel.to_arrow_reader(batch_rows) if hasattr(rel, "to_arrow_reader") else rel.fetch_arrow_reader(batch_rows)
    pending: list = []
    size = 0
    try:
        for rb in reader:  # regroup whatever batch sizes DuckDB hands out into batch_rows
            pending.append(rb)
            size += rb.num_rows
            if size >= batch_rows:
                yield _pandas(pa.Table.from_batches(pending))
                pending, size = [], 0
        if pending:
            yield _pandas(pa.Table.from_batches(pending))
    finally:
        reader.close()  # an abandoned reader would keep the connection busy


def _pandas(table):
    """Arrow -> pandas with timestamps in nanoseconds where they fit (1677-2262): GX compares
    only datetime64[ns] (and int / float) columns vectorised; anything else goes through a
    Python call per value (10x slower). A column holding e.g. 1C's empty date 0001-01-01 keeps
    its microseconds and takes the slow path, with the same result."""
    import pyarrow as pa

    for i, f in enumerate(table.schema):
        if pa.types.is_timestamp(f.type) and f.type.unit != "ns":
            target = pa.timestamp("ns", f.type.tz)
        elif pa.types.is_decimal(f.type):  # object dtype otherwise: GX compares numbers vectorised only as float/int
            target = pa.float64()
        else:
            continue
        try:
            col = table.column(i).cast(target)
        except (pa.ArrowInvalid, OverflowError):
            continue
        table = table.set_column(i, pa.field(f.name, target), col)
    return table.to_pandas()


# --------------------------------------------------------------------------- GX plumbing

def _gx():
    """Import Great Expectations quietly (seconds; only when a suite is really needed)."""
    if _PRELOAD is not None:
        _PRELOAD.join()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    with _quiet():
        import great_expectations as gx
        from great_expectations.execution_engine import pandas_execution_engine as engine
    # GX fingerprints every in-memory frame below this size (an md5 over pandas' row hashes) only
    # to label the batch; our frames are built here and never looked up again, and hashing was
    # more than half of GX's time on a ten-million-row call log. 0 = never fingerprint.
    engine.HASH_THRESHOLD = 0
    return gx


def _context(gx):
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


@contextlib.contextmanager
def _quiet():
    """No GX warnings, log records below ERROR, progress bars or prints reach the CLI's output."""
    gx_log = logging.getLogger("great_expectations")
    level = gx_log.level
    buf = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        warnings.simplefilter("ignore")
        gx_log.setLevel(logging.ERROR)
        try:
            yield
        finally:
            gx_log.setLevel(level)
    if buf.getvalue().strip():
        log.debug("great_expectations output: %s", buf.getvalue()[:2000])


def _reference_date(con) -> dt.date:
    from .runner import reference_date  # lazy: the runner may import this module

    return reference_date(con)


def _cap() -> int:
    from .runner import EVIDENCE_CAP

    return EVIDENCE_CAP


def _jsonable(kwargs: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v) for k, v in kwargs.items()}


_LIST_FRAMES = {
    "phones": "one row per phone number of a record (`ref`, `phones`): the audit's E.164 form when the "
              "number is valid, else the text as typed (`unnest(list_concat(phones, phones_invalid))`)",
    "emails": "one row per e-mail address of a record (`ref`, `emails`): trimmed, lower-cased, a cell "
              "split on `,` `;` and spaces (`unnest(emails)`)",
}


def _readme(specs: list[S.SuiteSpec], as_of: dt.date, version: str) -> str:
    lines = [
        "# Great Expectations suites",
        "",
        f"Written by crm-audit with Great Expectations {version}; reference date {as_of.isoformat()}",
        "(timestamps after the end of that day fail the `created_at` / event-date range checks).",
        "Each expectation's `meta` names its quality dimension (completeness, validity, uniqueness,",
        "consistency) and why it matters.",
        "",
        "The suites describe the audit's canonical tables (`stg.<entity>`: one column per canonical",
        "field, plus `ref`, `_file`, `record_id`). To run one in your own GX 1.x pipeline:",
        "",
        "```python",
        "import json",
        "import great_expectations as gx",
        "",
        "context = gx.get_context()",
        'suite = context.suites.add(gx.ExpectationSuite(**json.load(open("deals.json", encoding="utf-8"))))',
        'batch = context.data_sources.add_pandas("crm").add_dataframe_asset("deals").add_batch_definition_whole_dataframe("all")',
        'validation = context.validation_definitions.add(gx.ValidationDefinition(name="deals", data=batch, suite=suite))',
        'result = validation.run(batch_parameters={"dataframe": deals_df},',
        '                        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["ref"]})',
        "```",
        "",
        "(`gx.ExpectationSuite(**json)` alone builds a suite without registering it; `context.suites.add`",
        "stores it in the context.) Some frames need columns computed first:",
        "",
        "| file | expectations | frame |",
        "|---|---|---|",
    ]
    for s in specs:
        if s.explode:
            frame = _LIST_FRAMES.get(s.explode[0], f"one row per element of `{s.explode[1]}`, as `{s.explode[0]}`")
        elif s.derived:
            frame = "the table plus " + "; ".join(f"`{k}` = `{v}`" for k, v in s.derived.items())
        else:
            frame = f"`stg.{s.entity}` as is"
        lines.append(f"| `{s.name}.json` | {len(s.expectations)} | {frame} |")
    lines += ["", "Uniqueness of `(_file, record_id)` must be checked over the whole table, not per batch.", ""]
    return "\n".join(lines)

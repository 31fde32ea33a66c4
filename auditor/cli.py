"""The `crm-audit` command line."""
from __future__ import annotations

import atexit
import gc
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from connectors import registry
from connectors.load import discover, load
from connectors.mapping_file import load_mappings
from connectors.model import FileReport, InputError

from .database import open_db

# At exit, the interpreter's last garbage collections walk every object the imported libraries
# made (GX, pandas, scipy: about 3 s on the 2-core machine, more than GX's validation of a small
# audit); freezing them first skips that walk. The files and the database are closed by then.
atexit.register(gc.freeze)

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Audit CRM, 1C and telephony exports: data quality and automation maturity.")
err = Console(stderr=True)
out = Console(width=None if sys.stdout.isatty() else 200)


def _fail(message: str) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


@app.command()
def inspect(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (searched recursively). "
                                                    "Add :system:entity to a path to say what it is.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array (audit.json `inputs` keys).")] = False,
    details: Annotated[bool, typer.Option("--details", help="With --json: add confidence, delimiter, kind, mapped and "
                                                            "unmapped columns and warnings to each entry.")] = False,
    db: Annotated[Path | None, typer.Option(help="Keep the loaded DuckDB database in this file.")] = None,
    region: Annotated[str, typer.Option(help="Phone region (ISO code) for numbers without +country; "
                                             "default: inferred per file from its data.")] = "",
    mapping: Annotated[list[Path] | None, typer.Option("--mapping", help="A YAML mapping file for an export the tool "
                                                       "does not know (repeatable; see docs/mapping.md).")] = None,
) -> None:
    """Recognise each file and load it: system, entity, confidence, encoding, rows read/loaded/rejected."""
    try:
        targets = discover(paths)
        extra = load_mappings(mapping or [])
    except InputError as e:
        _fail(str(e))
    if not targets:
        _fail("no files found under the given paths; point to the export files or their folder")
    with open_db(db) as con:
        progress = None if as_json or not sys.stderr.isatty() else (lambda m: err.print(m, style="dim", highlight=False))
        reports, _ = load(targets, con, region=region.upper() or None, progress=progress, extra=extra)
    if as_json:
        entries = []
        for r in reports:
            e = r.contract_entry()
            if details:  # --json alone gives exactly the contract's `inputs` keys, as its help promises
                e.update(confidence=r.confidence, delimiter=r.delimiter, kind=r.kind,
                         mapped={k: v for k, v in r.mapped.items()}, unmapped=r.unmapped, warnings=r.warnings)
            entries.append(e)
        print(json.dumps(entries, ensure_ascii=False, indent=2))
        return
    _print_reports(reports)


def _print_reports(reports: list[FileReport]) -> None:
    t = Table(show_lines=False, header_style="bold")
    for col in ("file", "system", "entity", "conf", "encoding", "delim", "read", "loaded", "rejected", "columns"):
        t.add_column(col, justify="right" if col in ("conf", "read", "loaded", "rejected") else "left", overflow="fold")
    for r in reports:
        delim = {"\t": "TAB", None: ""}.get(r.delimiter, r.delimiter)
        mapped = len(r.mapped)
        cols = f"{mapped} mapped, {len(r.unmapped)} unmapped" if r.raw_table else ""
        t.add_row(r.path, r.system, r.entity, f"{r.confidence:.2f}", r.encoding or "", delim,
                  str(r.rows_read), str(r.rows_loaded), str(r.rows_rejected), cols)
    out.print(t)
    by_path: dict[str, list[FileReport]] = {}
    for r in reports:
        by_path.setdefault(r.path, []).append(r)
    for path, reps in by_path.items():   # one file holding several entities (amoCRM contacts and companies)
        if len(reps) > 1:
            out.print(f"{path}: " + ", ".join(f"{r.rows_loaded:,} {r.entity}" for r in reps), highlight=False)
    for r in reports:
        if r.problem:
            out.print(f"[yellow]{r.path}[/yellow]: {r.problem}", highlight=False)
        for w in r.warnings:
            out.print(f"[dim]{r.path}: {w}[/dim]", highlight=False)
        if r.mapped:
            pairs = ", ".join(f"{k}←{'+'.join(v)}" for k, v in r.mapped.items())
            out.print(f"[dim]{r.path}: mapped {pairs}[/dim]", highlight=False)
        if r.unmapped:
            out.print(f"[dim]{r.path}: unmapped (kept in {r.raw_table}): {', '.join(r.unmapped)}[/dim]", highlight=False)


@app.command()
def systems() -> None:
    """List the systems and entities the tool recognises (for PATH:system:entity overrides)."""
    for system, entity in registry.systems():
        out.print(f"{system}:{entity}")


def main() -> None:  # pragma: no cover - console entry
    app()


def _progress_printer():
    if not sys.stderr.isatty():
        return lambda m: err.print(m, style="dim", highlight=False)
    return lambda m: err.print(f"… {m}", style="dim", highlight=False)


@app.command()
def run(
    paths: Annotated[list[str], typer.Argument(help="Export files or folders (searched recursively); PATH:system:entity to override.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for audit.json, scorecard.html, scorecard.xlsx, audit.duckdb.")] = Path("audit-out"),
    as_of: Annotated[str | None, typer.Option("--as-of", help="Reference date YYYY-MM-DD (default: latest event in the data).")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Scorecard language: ru or en.")] = "ru",
    self_assessment: Annotated[Path | None, typer.Option("--self-assessment", help="YAML with your own answers to Q1–Q5.")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="YAML overriding thresholds and inference settings.")] = None,
    region: Annotated[str, typer.Option(help="Phone region (ISO code) for numbers without +country; "
                                             "default: inferred per file from its data.")] = "",
    show_pii: Annotated[bool, typer.Option("--show-pii", help="Do not mask phones, e-mails and names in the outputs.")] = False,
    no_gx: Annotated[bool, typer.Option("--no-gx", help="Skip the Great Expectations validation (faster).")] = False,
    mapping: Annotated[list[Path] | None, typer.Option("--mapping", help="YAML mapping file for an unknown export (repeatable).")] = None,
    baseline: Annotated[Path | None, typer.Option("--baseline", help="An earlier audit (its --out folder or audit.json): "
                                                  "report the change since it.")] = None,
    timings: Annotated[bool, typer.Option("--timings", help="Print the seconds of each stage (also in audit.json `timings`).")] = False,
) -> None:
    """Run the audit and write the scorecard. Exit status 0 whenever the audit ran."""
    import datetime as dt

    from .run import audit

    if lang not in ("ru", "en"):
        _fail(f"--lang {lang}: use ru or en")
    try:
        ref = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        _fail(f"--as-of {as_of}: use a date like 2026-11-20")
    try:
        result = audit(paths, out, as_of=ref, lang=lang, self_assessment_file=self_assessment, config_file=config,
                       region=region.upper() or None, show_pii=show_pii, use_gx=not no_gx, mappings=mapping or [],
                       progress=_progress_printer(), baseline=baseline)
    except InputError as e:
        _fail(str(e))
    except KeyboardInterrupt:
        err.print("interrupted; partial outputs in the --out folder may be incomplete", highlight=False)
        raise typer.Exit(130)
    _summary(result, out)
    if timings:
        from .timings import table

        print(table(result.timings))  # `out` here is the --out folder, not the console


def _summary(result, out_dir: Path) -> None:
    m = result.maturity
    ref = result.reference or {}
    set_by = f" (set by {ref['source']})" if ref.get("source") and ref["source"] != "--as-of" else ""
    out.print(f"[bold]Maturity level {m.level}[/bold] (confidence {m.confidence:.0%}), as of {result.as_of}{set_by}",
              highlight=False)
    if ref.get("warning"):
        err.print(f"[yellow]warning:[/yellow] {ref['warning']}", highlight=False)
    for problem in result.self_test:
        err.print(f"[red]self-test failed:[/red] {problem}", highlight=False)
    for name, d in m.domains.items():
        out.print(f"  {name}: level {d.level if d.level is not None else '—'} — {d.why}", highlight=False)
    for q, a in m.questions.items():
        sig = a.level_signal if a.level_signal is not None else "—"
        out.print(f"  {q} [{sig}] {a.answer}", highlight=False)
        if a.contradiction:
            out.print(f"     [yellow]≠ {a.contradiction}[/yellow]", highlight=False)
    for miss in m.missing_inputs:
        out.print(f"  [dim]missing: {miss}[/dim]", highlight=False)
    if result.baseline is not None:
        b = result.baseline
        n = {k: sum(1 for x in b["metrics"] if x["change"] == k) for k in ("better", "worse")}
        out.print(f"  since the audit of {b['as_of']}: level {b.get('level')} → {m.level}; "
                  f"{n['better']} metrics better, {n['worse']} worse", highlight=False)
    for i, s in enumerate(result.roadmap, 1):
        out.print(f"  roadmap stage {i}: {s.domain} {s.from_level or '?'} → {s.to_level}, {len(s.steps)} step(s); "
                  f"overall level after it: {s.overall_after}", highlight=False)
    problems = [r for r in result.inputs if r.problem]
    loaded = sum(r.rows_loaded for r in result.inputs)
    out.print(f"{len(result.inputs)} input(s), {loaded:,} rows loaded, {len(problems)} with problems", highlight=False)
    for name in ("scorecard.html", "scorecard.xlsx", "audit.json", "audit.duckdb"):
        p = out_dir / name
        if p.exists():
            out.print(f"  {p}", highlight=False)


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("demo-out"),
    lang: Annotated[str, typer.Option("--lang", help="ru or en")] = "ru",
) -> None:
    """Audit the bundled sample exports (a fictional company) and say where the scorecard is."""
    sample = Path(__file__).resolve().parent.parent / "sample_data"
    if not (sample / "exports").is_dir():
        _fail("sample_data/exports not found next to the package; run from a source checkout")
    claims = sample / "self_assessment.yaml"
    # the generator's reference date, so the demo's numbers match sample_data/TRUTH.json
    run([str(sample / "exports")], out=out_dir, as_of="2026-11-20", lang=lang,
        self_assessment=claims if claims.exists() else None, config=None, region="RU", show_pii=False,
        no_gx=False, mapping=None, baseline=None)
    # `out` is the console; the folder is out_dir (the parameter once shadowed it: a crash after the audit)
    out.print(f"Open the scorecard: {(out_dir / 'scorecard.html').resolve()}", highlight=False)


@app.command()
def compare(
    audits: Annotated[list[str], typer.Argument(help="Two or more audits: --out folders of crm-audit run, or their audit.json.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for comparison.json, comparison.html, comparison.xlsx.")] = Path("comparison-out"),
    lang: Annotated[str, typer.Option("--lang", help="Page language: ru or en.")] = "ru",
) -> None:
    """Compare audits of one company over time: levels, every metric's change, records fixed / remaining / new."""
    from .history.compare import ranked, run_compare

    if lang not in ("ru", "en"):
        _fail(f"--lang {lang}: use ru or en")
    if len(audits) < 2:
        _fail("compare needs at least two audits (folders or audit.json files)")
    try:
        doc = run_compare(audits, out_dir, lang)
    except InputError as e:
        _fail(str(e))
    levels = " → ".join(f"{a['as_of']}: {a['level']}" for a in doc["audits"])
    out.print(f"[bold]Level over time[/bold] {levels}", highlight=False)
    for kind in ("better", "worse"):
        for m in ranked(doc, kind, 5):
            out.print(f"  {kind}: {m['id']} {m['values'][0]} → {m['values'][-1]}", highlight=False)
    for name in ("comparison.html", "comparison.xlsx", "comparison.json"):
        out.print(f"  {out_dir / name}", highlight=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind; anything but loopback requires a token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8765,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Where uploads and outputs are kept "
                                                  "(default ~/.local/share/crm-audit).")] = None,
    max_upload_mb: Annotated[float, typer.Option("--max-upload-mb", help="Largest upload (all files together).")] = 1024,
    max_unpacked_mb: Annotated[float | None, typer.Option("--max-unpacked-mb", help="Most bytes unpacked from "
                                                          ".zip uploads (default 10 × --max-upload-mb).")] = None,
    token: Annotated[str | None, typer.Option(help="Access token every request must carry (generated and printed "
                                              "when binding beyond loopback without one).")] = None,
    keep_days: Annotated[float, typer.Option("--keep-days", help="Delete audits (uploads and outputs) older than "
                                             "this; 0 keeps them.")] = 30,
    workers: Annotated[int, typer.Option(help="Audits run at the same time (each in its own process).")] = 1,
    allow_host: Annotated[list[str] | None, typer.Option("--allow-host", help="Another name this server is reached "
                                                         "by (Host header; repeatable).")] = None,
) -> None:
    """Start the local web app: upload exports, watch the audit, read the scorecard. Prints the URL."""
    import os

    from .web import Settings
    from .web import serve as run_server

    if max_upload_mb <= 0 or (max_unpacked_mb is not None and max_unpacked_mb <= 0):
        _fail("--max-upload-mb and --max-unpacked-mb must be positive")
    default = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "crm-audit"
    try:
        settings = Settings(data_dir=data_dir or default, host=host, port=port, max_upload_mb=max_upload_mb,
                            max_unpacked_mb=max_unpacked_mb, token=token, keep_days=keep_days, workers=workers,
                            allow_hosts=tuple(allow_host or ()))
        run_server(settings)
    except OSError as e:
        _fail(f"cannot start the server ({e.strerror or e}); choose another --port or --data-dir")

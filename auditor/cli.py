"""The `crm-audit` command line."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from connectors import registry
from connectors.load import discover, load
from connectors.model import FileReport, InputError

from .database import open_db

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Audit CRM, 1C and telephony exports: data quality and automation maturity.")
err = Console(stderr=True)
out = Console(width=None if sys.stdout.isatty() else 200)


def _fail(message: str) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(2)


@app.command()
def inspect(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (searched recursively). "
                                                    "Add :system:entity to a path to say what it is.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array (audit.json `inputs` keys).")] = False,
    db: Annotated[Path | None, typer.Option(help="Keep the loaded DuckDB database in this file.")] = None,
    region: Annotated[str, typer.Option(help="Default phone region (ISO code) for numbers without +country.")] = "RU",
) -> None:
    """Recognise each file and load it: system, entity, confidence, encoding, rows read/loaded/rejected."""
    try:
        targets = discover(paths)
    except InputError as e:
        _fail(str(e))
    if not targets:
        _fail("no files found under the given paths; point to the export files or their folder")
    with open_db(db) as con:
        progress = None if as_json or not sys.stderr.isatty() else (lambda m: err.print(m, style="dim", highlight=False))
        reports, _ = load(targets, con, region=region.upper(), progress=progress)
    if as_json:
        entries = []
        for r in reports:
            e = r.contract_entry()
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

"""The HTTP API (stable: other tools call it, README documents it) and the page."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response

from . import i18n
from .archives import ArchiveRefused, is_zip, unpack
from .names import skipped, sort_key
from .store import now
from .uploads import UploadRefused, receive

OUTPUTS = {"audit.json": "application/json", "scorecard.html": "text/html; charset=utf-8",
           "scorecard.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "audit.duckdb": "application/octet-stream", "expectations.zip": "application/zip"}
SCORECARD_CSP = ("sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                 "frame-ancestors 'self'")


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _ctx(request: Request):
    return request.app.state.ctx


# -- pages ------------------------------------------------------------------------------------
async def page(request: Request) -> Response:
    ctx = _ctx(request)
    lang = i18n.pick(request.query_params.get("lang"), request.headers.get("accept-language", ""))
    audit_id = request.path_params.get("audit_id")
    if audit_id is not None and ctx.store.dir(audit_id) is None:
        return HTMLResponse("<!doctype html><title>404</title><p>No such audit.</p>", status_code=404)
    html = ctx.render("index.html.j2", lang=lang, t=i18n.strings(lang), audits=[summary(ctx, i) for i in ctx.store.ids()],
                      open_id=audit_id or "", limit=ctx.settings.max_upload_bytes, systems=ctx.systems,
                      data_dir=str(ctx.store.root), keep_days=ctx.settings.keep_days)
    return HTMLResponse(html)


# -- the API ----------------------------------------------------------------------------------
async def list_audits(request: Request) -> Response:
    ctx = _ctx(request)
    return JSONResponse({"audits": [summary(ctx, i) for i in ctx.store.ids()]})


async def create_audit(request: Request) -> Response:
    ctx = _ctx(request)
    audit_id = ctx.store.new_id()
    folder = ctx.store.create(audit_id)
    try:
        up = await receive(request, folder / "uploads", ctx.settings.max_upload_bytes)
        lang, as_of = _options(up.fields.get("lang"), up.fields.get("as_of"))
        if up.self_assessment is not None:
            await run_in_threadpool(_check_self_assessment, up.self_assessment)
        files = await run_in_threadpool(_expand, up, ctx.settings.max_unpacked_bytes)
    except (UploadRefused, ArchiveRefused) as err:
        shutil.rmtree(folder, ignore_errors=True)
        return error(err.status, str(err))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    meta = {"id": audit_id, "created": now(), "state": "queued", "error": None, "lang": lang, "as_of": as_of,
            "self_assessment": up.self_assessment.name if up.self_assessment else None, "files": files,
            "uploaded_bytes": up.total}
    ctx.store.save(meta)
    ctx.jobs.submit(audit_id)
    return JSONResponse({"id": audit_id, "status_url": f"/api/audits/{audit_id}", "page_url": f"/audits/{audit_id}"},
                        status_code=202)


async def get_audit(request: Request) -> Response:
    ctx = _ctx(request)
    body = status(ctx, request.path_params["audit_id"])
    return JSONResponse(body) if body else error(404, "no such audit (deleted, or never created)")


async def delete_audit(request: Request) -> Response:
    ctx = _ctx(request)
    audit_id = request.path_params["audit_id"]
    if ctx.store.dir(audit_id) is None:
        return error(404, "no such audit (deleted, or never created)")
    await run_in_threadpool(ctx.jobs.cancel, audit_id)
    await run_in_threadpool(ctx.store.delete, audit_id)
    return Response(status_code=204)


async def rerun_audit(request: Request) -> Response:
    """Re-run on the files already uploaded, with `overrides` {file id: "system:entity" or ""}."""
    ctx = _ctx(request)
    audit_id = request.path_params["audit_id"]
    meta = ctx.store.meta(audit_id)
    if meta is None:
        return error(404, "no such audit (deleted, or never created)")
    if ctx.jobs.busy(audit_id):
        return error(409, "this audit is still queued or running; wait for it to finish, then re-run")
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        return error(400, 'send JSON: {"overrides": {"<file id>": "system:entity"}}')
    if not isinstance(body, dict) or not isinstance(body.get("overrides", {}), dict):
        return error(400, 'send JSON: {"overrides": {"<file id>": "system:entity"}}')
    try:
        lang, as_of = _options(body.get("lang", meta["lang"]), body.get("as_of", meta["as_of"]))
    except UploadRefused as err:
        return error(err.status, str(err))
    by_id = {str(f["n"]): f for f in meta["files"]}
    for key, value in body.get("overrides", {}).items():
        f = by_id.get(str(key))
        if f is None:
            return error(400, f"no file {key!s:.40} in this audit; use the file_id from its files list")
        if value in ("", None):
            f["override"] = None
        elif isinstance(value, str) and tuple(value.split(":", 1)) in ctx.systems_set:
            f["override"] = value
        else:
            return error(400, f"unknown system:entity {str(value)[:60]!r}; use one of GET /api/systems")
    ctx.store.update(audit_id, files=meta["files"], lang=lang, as_of=as_of, level=None)
    ctx.jobs.submit(audit_id)
    return JSONResponse({"id": audit_id, "status_url": f"/api/audits/{audit_id}"}, status_code=202)


async def systems(request: Request) -> Response:
    return JSONResponse({"systems": [f"{s}:{e}" for s, e in _ctx(request).systems]})


async def get_output(request: Request) -> Response:
    ctx = _ctx(request)
    audit_id, name = request.path_params["audit_id"], request.path_params["name"]
    folder = ctx.store.dir(audit_id)
    if folder is None:
        return error(404, "no such audit (deleted, or never created)")
    if name not in OUTPUTS:
        return error(404, f"no output {name[:60]!r}; one of: {', '.join(OUTPUTS)}")
    out = folder / "out"
    path = out / name
    if (ctx.store.meta(audit_id) or {}).get("state") != "done":
        return error(404, f"{name} is not ready: the audit is not done")
    if name == "expectations.zip" and (out / "expectations").is_dir():
        path = await run_in_threadpool(_zip_expectations, out)
    if not path.is_file():
        return error(404, f"this audit wrote no {name}")
    if name == "scorecard.html" and request.query_params.get("inline") == "1":
        # shown in the page's frame: sandboxed (no scripts, no same-origin rights), styles only
        return FileResponse(path, media_type=OUTPUTS[name], content_disposition_type="inline", filename=name,
                            headers={"content-security-policy": SCORECARD_CSP, "x-frame-options": "SAMEORIGIN"})
    return FileResponse(path, media_type=OUTPUTS[name], filename=name,
                        headers={"content-security-policy": "default-src 'none'; sandbox"})


# -- helpers ----------------------------------------------------------------------------------
def _options(lang, as_of) -> tuple[str, str | None]:
    lang = (lang or "ru").strip().lower() if isinstance(lang, str) or lang is None else lang
    if lang not in ("ru", "en"):
        raise UploadRefused(f"lang {str(lang)[:20]!r}: use ru or en")
    if as_of in (None, ""):
        return lang, None
    try:
        return lang, dt.date.fromisoformat(str(as_of)).isoformat()
    except ValueError:
        raise UploadRefused(f"as_of {str(as_of)[:20]!r}: use a date like 2026-11-20 (YYYY-MM-DD)") from None


def _check_self_assessment(path: Path) -> None:
    from connectors.model import InputError

    from .. import self_assessment

    try:
        self_assessment.load(path)
    except InputError as err:
        raise UploadRefused(str(err).replace(str(path), "self-assessment file")) from None


def _expand(up, max_unpacked: int) -> list[dict]:
    """Unpack .zip uploads (their entries replace them), then list files in the CLI's order."""
    items: list[tuple[str, Path, int, str | None]] = []
    budget = max_unpacked
    for r in up.files:
        if is_zip(r.name, r.stored):
            entries = unpack(r.stored, r.name, budget, up.new_path)
            budget -= sum(e.size for e in entries)
            r.stored.unlink()
            items += [(e.name, e.stored, e.size, r.name) for e in entries]
        else:
            items.append((r.name, r.stored, r.size, None))
    if not items:
        raise UploadRefused("no files in the upload; send one or more `files` parts (files, a folder or a .zip)")
    items.sort(key=lambda it: sort_key(it[0]))
    seen: set[str] = set()
    files = []
    for n, (name, stored, size, archive) in enumerate(items, 1):
        why = "hidden" if skipped(name) else ("duplicate" if name in seen else None)
        seen.add(name)
        files.append({"n": n, "name": name, "stored": stored.name, "size": size, "archive": archive,
                      "skipped": why, "override": None})
    return files


def _zip_expectations(out: Path) -> Path:
    dst = out / "expectations.zip"
    if not dst.exists():
        tmp = out / ".expectations.zip.tmp"
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in sorted((out / "expectations").rglob("*")):
                if p.is_file():
                    zf.write(p, p.relative_to(out).as_posix())
        tmp.replace(dst)
    return dst


def summary(ctx, audit_id: str) -> dict:
    meta = ctx.store.meta(audit_id) or {}
    files = meta.get("files", [])
    created = meta.get("created") or ""
    return {"id": audit_id, "created": created, "created_label": created[:16].replace("T", " ") + " UTC",
            "state": meta.get("state"), "level": meta.get("level"),
            "lang": meta.get("lang"), "files": len([f for f in files if not f.get("skipped")]),
            "names": [f["name"] for f in files[:3]], "bytes": sum(f.get("size", 0) for f in files),
            "error": meta.get("error"), "status_url": f"/api/audits/{audit_id}", "page_url": f"/audits/{audit_id}"}


def status(ctx, audit_id: str) -> dict | None:
    meta = ctx.store.meta(audit_id)
    if meta is None:
        return None
    state = meta["state"]
    prog = ctx.store.progress(audit_id) if state != "queued" else {}
    stage = {"queued": "queued", "done": "done"}.get(state, prog.get("stage") or "starting")
    progress = {"queued": 0.0, "done": 1.0}.get(state, prog.get("progress", 0.0))
    rows = {}
    for r in prog.get("files", []):
        rows.setdefault(r.get("file_id"), []).append(r)
    files = []
    for f in meta["files"]:
        base = {"file_id": f["n"], "path": f["name"], "size": f["size"], "archive": f.get("archive"),
                "override": f.get("override"), "skipped": f.get("skipped")}
        got = rows.get(f["n"])
        if got:
            files += [{**base, **r, "file_id": f["n"], "status": "loaded"} for r in got]
        else:
            files.append({**base, "system": None, "entity": None, "rows_read": None, "rows_loaded": None,
                          "rows_rejected": None, "problem": None,
                          "status": "skipped" if f.get("skipped") else "waiting"})
    outputs = {}
    if state == "done":
        out = ctx.store.dir(audit_id) / "out"
        outputs = {n: f"/api/audits/{audit_id}/files/{n}" for n in OUTPUTS
                   if (out / n).is_file() or (n == "expectations.zip" and (out / "expectations").is_dir())}
    return {"id": audit_id, "state": state, "stage": stage, "progress": progress, "detail": prog.get("detail", ""),
            "stages": prog.get("stages", []),
            "queue_position": ctx.jobs.position(audit_id) if state == "queued" else None,
            "files": files, "error": meta.get("error") if state == "failed" else None, "outputs": outputs,
            "level": meta.get("level") if state == "done" else None, "lang": meta["lang"], "as_of": meta["as_of"],
            "created": meta["created"], "started": meta.get("started"), "finished": meta.get("finished"),
            "run": {k: prog[k] for k in ("timings", "cpu_seconds", "peak_rss_mb", "read_mb") if k in prog} if state == "done" else None}

"""The Starlette application: settings, routes, guards, the job queue and retention."""
from __future__ import annotations

import contextlib
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import routes
from .jobs import Jobs
from .security import Guard, allowed_hosts, is_loopback
from .store import Store

HERE = Path(__file__).resolve().parent


@dataclass
class Settings:
    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 8765
    max_upload_mb: float = 1024
    max_unpacked_mb: float | None = None   # default 10 × the upload limit
    token: str | None = None
    keep_days: float = 30
    workers: int = 1
    allow_hosts: tuple[str, ...] = ()
    worker_target: object = None           # tests: a worker entry point to run instead of the audit
    generated_token: bool = field(default=False, init=False)

    def __post_init__(self):
        if not is_loopback(self.host) and not self.token:
            self.token = secrets.token_urlsafe(24)  # beyond loopback, never without a token
            self.generated_token = True

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 2**20)

    @property
    def max_unpacked_bytes(self) -> int:
        mb = self.max_unpacked_mb if self.max_unpacked_mb is not None else 10 * self.max_upload_mb
        return int(mb * 2**20)

    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}/" + (f"?token={self.token}" if self.token else "")


class Context:
    def __init__(self, settings: Settings):
        from connectors import registry

        self.settings = settings
        self.store = Store(settings.data_dir)
        self.jobs = Jobs(self.store, settings.workers, settings.worker_target)
        self.systems = list(registry.systems())
        self.systems_set = set(self.systems)
        self.env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(
            enabled_extensions=("html", "j2"), default=True))
        self._stop = threading.Event()

    def render(self, name: str, **kw) -> str:
        return self.env.get_template(name).render(**kw)

    def purge_expired(self) -> list[str]:
        gone = []
        for audit_id in self.store.expired(self.settings.keep_days):
            self.jobs.cancel(audit_id)
            if self.store.delete(audit_id):
                gone.append(audit_id)
        return gone

    def _retention_loop(self) -> None:
        while not self._stop.wait(3600):
            self.purge_expired()

    def start(self) -> None:
        self.purge_expired()
        self.jobs.start()
        threading.Thread(target=self._retention_loop, name="crm-audit-retention", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        self.jobs.stop()


def create_app(settings: Settings) -> Starlette:
    ctx = Context(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        ctx.start()
        try:
            yield
        finally:
            ctx.stop()

    audit = "/api/audits/{audit_id}"
    app = Starlette(
        routes=[
            Route("/", routes.page),
            Route("/audits/{audit_id}", routes.page),
            Route("/api/systems", routes.systems),
            Route("/api/audits", routes.list_audits, methods=["GET"]),
            Route("/api/audits", routes.create_audit, methods=["POST"]),
            Route(audit, routes.get_audit, methods=["GET"]),
            Route(audit, routes.delete_audit, methods=["DELETE"]),
            Route(audit + "/rerun", routes.rerun_audit, methods=["POST"]),
            Route(audit + "/files/{name}", routes.get_output, methods=["GET"]),
            Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
        ],
        middleware=[
            Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(settings.host, settings.allow_hosts),
                       www_redirect=False),
            Middleware(Guard, token=settings.token),
        ],
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    return app


def serve(settings: Settings) -> None:
    import uvicorn

    app = create_app(settings)
    print(f"crm-audit: open {settings.url()}", flush=True)
    if settings.generated_token:
        print(f"  access token (generated; every request needs it): {settings.token}", flush=True)
    print(f"  data dir: {app.state.ctx.store.root}  (uploads and outputs; Ctrl+C stops the server)", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")

"""Request guards for a local server that any web page the user opens could try to reach.

- Host: Starlette's TrustedHostMiddleware refuses a Host that is not the server's own name
  (DNS rebinding: evil.example resolving to 127.0.0.1 still sends `Host: evil.example`).
- Origin: POST/DELETE whose Origin (or Sec-Fetch-Site) says another site sent them are refused (CSRF).
- Token: when set (always, when bound beyond loopback) every request must carry it: header
  `Authorization: Bearer T` or `X-CRM-Audit-Token: T`, or the cookie set by opening `/?token=T` once.
- Headers on every response: nosniff, a Content-Security-Policy, no referrer, no framing, no caching.
"""
from __future__ import annotations

import ipaddress
import json
import secrets
import socket
from urllib.parse import parse_qs, urlsplit

COOKIE = "crm_audit_token"
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(bind: str, extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The names this server answers to: loopback names, the bound address, and for a wildcard bind
    the machine's own names and addresses (psutil lists the interfaces)."""
    names = {"localhost", "127.0.0.1", "::1", "[::1]", *extra}
    if not is_loopback(bind):
        names.add(bind)
        if bind in ("0.0.0.0", "::", ""):
            import psutil

            for addrs in psutil.net_if_addrs().values():
                for a in addrs:
                    if a.family in (socket.AF_INET, socket.AF_INET6):
                        ip = a.address.split("%")[0]
                        names.update({ip, f"[{ip}]"} if ":" in ip else {ip})
        host = socket.gethostname()
        names.update({host, socket.getfqdn(host)})
    return sorted(n for n in names if n)


def _headers(scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


class Guard:
    """Pure ASGI middleware (the upload body streams through it untouched)."""

    def __init__(self, app, token: str | None = None):
        self.app = app
        self.token = token

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = _headers(scope)
        method = scope["method"]
        query_token = None
        if self.token:
            supplied = _supplied_token(headers, scope)
            query_token = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [None])[0]
            if not any(t and secrets.compare_digest(t.encode(), self.token.encode()) for t in (supplied, query_token)):
                return await _refuse(send, 401, "this server needs its access token: open the URL it printed "
                                                "(with ?token=...), or send Authorization: Bearer TOKEN")
        if method in UNSAFE:
            why = _cross_site(headers)
            if why:
                return await _refuse(send, 403, why)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                         (b"cross-origin-resource-policy", b"same-origin")]
                if b"content-security-policy" not in have:
                    extra.append((b"content-security-policy", PAGE_CSP.encode()))
                if b"x-frame-options" not in have:
                    extra.append((b"x-frame-options", b"DENY"))
                if b"cache-control" not in have:
                    extra.append((b"cache-control", b"no-store"))
                if query_token:  # remember the token for the page's own requests and downloads
                    extra.append((b"set-cookie", f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict".encode()))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def _supplied_token(headers: dict[str, str], scope) -> str | None:
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    if headers.get("x-crm-audit-token"):
        return headers["x-crm-audit-token"].strip()
    for part in headers.get("cookie", "").split(";"):
        k, _, v = part.strip().partition("=")
        if k == COOKIE:
            return v
    return None


def _cross_site(headers: dict[str, str]) -> str | None:
    """A browser marks a request another site made; tools (curl, scripts) send no Origin at all."""
    origin = headers.get("origin")
    host = headers.get("host", "")
    if origin is not None:
        parts = urlsplit(origin)
        if origin == "null" or parts.netloc.lower() != host.lower() or parts.scheme not in ("http", "https"):
            return f"refused: a request from another site ({origin[:80]}) cannot change audits here"
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return "refused: a request from another site cannot change audits here"
    return None


async def _refuse(send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"x-content-type-options", b"nosniff"), (b"cache-control", b"no-store"),
                            (b"content-security-policy", PAGE_CSP.encode())]})
    await send({"type": "http.response.body", "body": body})

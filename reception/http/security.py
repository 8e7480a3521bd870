"""Response headers, the Socket.IO origin check and the client address (docs/decisions/013-security.md).

Every response gets a strict Content-Security-Policy (no inline script or style anywhere:
page data travels in ``<script type="application/json">`` blocks, code in static files),
``Cache-Control: no-store`` unless the view chose its own caching (pages and API answers
hold personal data), and HSTS when the site is served over HTTPS (secure cookies on).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HSTS = "max-age=31536000"
DEFAULT_PUBLIC_BASE_URL = "http://localhost:5000"  # `reception serve`/`demo` set their own host and port



def secure_cookies(config: Mapping[str, Any] | None = None) -> bool:
    """RECEPTION_SECURE_COOKIES=1: the site is served over HTTPS only."""
    return bool((config if config is not None else current_app.config).get("SESSION_COOKIE_SECURE"))


_HEADERS = (("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY"), ("Cache-Control", "no-store"))


def add_security_headers(response: Response) -> Response:
    """``after_request``: a view's own choice (e.g. the kiosk's stricter CSP, a cached QR image) wins."""
    headers = response.headers
    chosen = {name.lower() for name, _ in headers.items()}  # one pass over what the view set
    headers.extend([(name, value) for name, value in _HEADERS if name.lower() not in chosen])
    if secure_cookies() and "strict-transport-security" not in chosen:
        headers.add("Strict-Transport-Security", HSTS)
    return response


def origin_of(url: str | None) -> str | None:
    """``scheme://host[:port]`` of a URL, or None."""
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else None


def socket_origin_check(config: Mapping[str, Any]) -> Any:
    """For Socket.IO's ``cors_allowed_origins``: the configured public origin and the page's own host only.

    A browser always sends Origin on a WebSocket; a page of another site must not be able to open
    a signed-in ``/desk`` connection with the staff member's cookie.
    """

    def check(origin: str | None, environ: Mapping[str, Any]) -> bool:
        if not origin:
            return True  # not a browser: the handshake still needs a valid session or token
        # Read at each handshake: the CLI sets PUBLIC_BASE_URL after the app is made.
        allowed = {origin_of(u) for u in [config.get("PUBLIC_BASE_URL"), *config.get("SOCKETIO_ORIGINS", [])]}
        same_host = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}".lower()
        return origin.lower() in allowed or origin.lower() == same_host

    return check


def client_address() -> str:
    """The caller's address (behind RECEPTION_PROXY_HOPS trusted proxies, from X-Forwarded-For: ProxyFix)."""
    return request.remote_addr or "unknown"


def public_base_url(config: Mapping[str, Any] | None = None) -> str:
    """Where phones reach the site (the QR link on tickets): configuration only, never the Host header."""
    cfg = config if config is not None else current_app.config
    return str(cfg.get("PUBLIC_BASE_URL") or DEFAULT_PUBLIC_BASE_URL).rstrip("/")


def init_app(app: Flask) -> None:
    # No word here on where the QR codes point: the server's host and port are not known yet
    # (``reception serve``/``demo`` decide the base and say it, reception.ops.cli.public_base).
    app.after_request(add_security_headers)

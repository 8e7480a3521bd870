"""Production plumbing around the app: proxy headers, request ids and JSON logs, health, metrics.

``init_app(app)`` runs once the composition root has built the wiring; serving itself
(gunicorn) lives in :mod:`reception.ops.server`.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from reception.http import health, metrics, observability


def init_app(app: Flask) -> None:
    if not app.config.get("TESTING"):
        observability.configure_logging(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])
    observability.init_app(app)
    instruments = metrics.init_app(app)
    health.init_app(app, instruments.printer_states)
    trust_proxies(app, int(app.config.get("PROXY_HOPS") or 0))


def trust_proxies(app: Flask, hops: int) -> None:
    """Behind ``hops`` reverse proxies (nginx: 1) take the client's address, scheme, host and port
    from their X-Forwarded-* headers; with 0 those headers are ignored (anyone could send them).

    Wraps the whole WSGI app, Socket.IO included, so it goes on after ``socketio.init_app``.
    """
    if hops > 0:
        # Not X-Forwarded-Host or -Port: links and origins never follow a header a client can write.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

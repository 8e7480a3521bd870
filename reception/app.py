"""Composition root: the only module that wires the core, the front ends and the adapters."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from . import db as dbmod
from . import limits, security
from .clock import Clock, SystemClock
from .ports import Publisher, TicketPrinter
from .realtime import SocketIOPublisher, socketio
from .web import Wiring, csrf_token, request_lang


def _default_printer_factory() -> Callable[[str], TicketPrinter]:
    """One spool (queue + worker) per printer URL, shared by the app (DESIGN.md §5)."""
    from printers import SpoolRegistry, open_printer

    # One retry only: a visitor stands at the kiosk waiting for the answer.
    registry = SpoolRegistry(open_printer, retries=1)

    class SpooledPrinter:
        def __init__(self, url: str) -> None:
            self.spool = registry.get(url)

        def print_slip(self, slip: Any) -> Any:
            return self.spool.submit_and_wait(slip, timeout=10)

    return SpooledPrinter


def create_app(
    test_config: dict[str, Any] | None = None,
    *,
    clock: Clock | None = None,
    publisher: Publisher | None = None,
    printer_factory: Callable[[str], TicketPrinter] | None = None,
) -> Flask:
    app = Flask("reception", instance_relative_config=True, static_folder=None)
    from .config import load

    app.config.update(load(app.instance_path, test_config))
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "INFO"))

    database = dbmod.connect(app.config["DATABASE_URL"])
    socketio.init_app(
        app,
        async_mode="threading",
        message_queue=app.config.get("REDIS_URL"),
        cors_allowed_origins=security.socket_origin_check(app.config),
        manage_session=False,
    )
    if printer_factory is None and not app.config.get("TESTING"):
        printer_factory = _default_printer_factory()
    app.extensions["reception"] = Wiring(
        db=database,
        clock=clock or SystemClock(),
        publisher=publisher or SocketIOPublisher(socketio),
        printer_factory=printer_factory,
    )

    from . import assets
    from .api import bp as api_bp

    app.register_blueprint(api_bp)
    assets.init_app(app)
    _register_front_ends(app)
    security.init_app(app)
    limits.init_app(app)  # after the views: it wraps the kiosk's ticket views

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        return {"csrf_token": csrf_token, "lang": request_lang()}

    @app.get("/healthz")
    def healthz():  # type: ignore[no-untyped-def]
        return jsonify({"ok": True})

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        if request.path.startswith("/api/"):
            from .api.problems import from_http_exception

            return from_http_exception(error)
        return error

    return app


def _register_front_ends(app: Flask) -> None:
    """Kiosk, display and back office each expose ``init_app(app)``."""
    import backoffice.web
    import display.web
    import kiosk.web

    for front_end in (kiosk.web, display.web, backoffice.web):
        front_end.init_app(app)

"""``GET /healthz``: is this process able to serve? (API.md: 200, or 503 naming the failing part.)

The database and, when configured, Redis are required: without either the process answers
503 so a balancer or systemd watchdog can take it out.  Printers are reported (their last
outcome in this process) but never make it 503 — a kiosk without paper still hands out
numbers on screen, and the other kiosks still print.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from ..accounts.permissions import Action
from ..http.callers import guard
from .db import Database

log = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 2.0
OK, DOWN, NOT_CONFIGURED = "ok", "unreachable", "not configured"


def check_database(db: Database) -> str:
    try:
        with db.read() as s:
            s.execute(text("SELECT 1"))
    except Exception:  # any failure means the same to the caller; the log keeps the detail
        log.exception("health: database check failed")
        return DOWN
    return OK


def redis_check(url: str | None) -> Callable[[], str]:
    """A check that pings ``url`` with short timeouts (one client, reused); no URL: not configured."""
    if not url:
        return lambda: NOT_CONFIGURED
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=CHECK_TIMEOUT_S, socket_timeout=CHECK_TIMEOUT_S)

    def check() -> str:
        try:
            client.ping()
        except Exception:
            log.exception("health: redis check failed")
            return DOWN
        return OK

    return check


def health_report(database: str, redis: str, printers: list[dict[str, Any]]) -> tuple[dict[str, Any], int]:
    """The body and status: ``ok``; ``degraded`` (200) when only a printer failed; 503 otherwise."""
    failing = [name for name, state in (("database", database), ("redis", redis)) if state == DOWN]
    if failing:
        status, code = "unavailable", 503
    elif any(not p["ok"] for p in printers):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    body: dict[str, Any] = {"status": status, "database": database, "redis": redis, "printers": printers}
    if failing:
        body["failing"] = failing
    return body, code


def init_app(app: Flask, printer_states: Callable[[], list[dict[str, Any]]]) -> None:
    db = app.extensions["reception"].db
    redis = redis_check(app.config.get("REDIS_URL"))

    @app.get("/healthz")
    @guard(Action.PUBLIC)
    def healthz() -> ResponseReturnValue:
        body, code = health_report(check_database(db), redis(), printer_states())
        response = jsonify(body)
        response.status_code = code
        response.headers["Cache-Control"] = "no-store"
        return response

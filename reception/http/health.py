"""``GET /healthz``: is this process able to serve? 200, or 503 naming the failing part.

The database is required: unreachable, full or read-only, the process answers 503 (naming it) so a
balancer or systemd watchdog can take it out. Redis is not (decision 030): without it this process
still issues tickets and signs in (the rate limits count in memory, live events reach this process's
own screens), so it answers 200 ``degraded`` with ``"redis": "unreachable"`` and ``"degraded":
["redis"]``: a balancer keeps it, monitoring sees it. Printers are reported (their last outcome in
this process) but never make it 503 — a kiosk without paper still hands out numbers on screen.

A full disk or a read-only database lets ``SELECT 1`` through: what writes met is remembered here
(:func:`storage_fault`, called by the one error handler) and the database's own state is asked
(read-only transaction; SQLite: ``query_only``, a folder it cannot write, no room left on the file
system or in ``max_page_count``).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from reception.http.callers import guard
from reception.kernel.permissions import Action
from reception.platform.db import Database

log = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 2.0
OK, DOWN, NOT_CONFIGURED = "ok", "unreachable", "not configured"
FULL, READ_ONLY = "full", "read-only"
FAULT_MEMORY_S = 10.0  # a write that met a full or read-only database keeps /healthz red this long
MIN_FREE_BYTES = 64 * 1024  # SQLite: less room than this on its file system counts as full

# SQLite's primary result codes (the low byte of sqlite_errorcode) that mean the storage, not the query.
_SQLITE_FAULTS = {13: FULL, 8: READ_ONLY, 10: DOWN, 14: DOWN}  # FULL, READONLY, IOERR, CANTOPEN
# PostgreSQL SQLSTATEs: disk full, read-only transaction (a standby, default_transaction_read_only).
_PG_FAULTS = {"53100": FULL, "25006": READ_ONLY}
_PG_CLASS_FAULTS = {"53": DOWN, "08": DOWN, "57": DOWN}  # resources, connection, operator intervention


def storage_kind(error: BaseException) -> str | None:
    """``full``, ``read-only`` or ``unreachable`` when ``error`` is the database's storage failing; else None."""
    if not isinstance(error, DBAPIError):
        return None
    orig = error.orig
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return _SQLITE_FAULTS.get(code & 0xFF)
    state = getattr(orig, "sqlstate", None)
    if state:
        return _PG_FAULTS.get(state) or _PG_CLASS_FAULTS.get(state[:2])
    return DOWN if error.connection_invalidated else None


class _Faults:
    """The last storage fault a request met in this process, forgotten after FAULT_MEMORY_S."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kind: str | None = None
        self._at = 0.0

    def note(self, kind: str) -> None:
        with self._lock:
            self._kind, self._at = kind, time.monotonic()

    def recent(self) -> str | None:
        with self._lock:
            return self._kind if self._kind and time.monotonic() - self._at < FAULT_MEMORY_S else None


FAULTS = "reception.storage_faults"


def storage_fault(error: BaseException) -> str | None:
    """Classify ``error`` (as :func:`storage_kind`) and remember a fault for this app's /healthz."""
    kind = storage_kind(error)
    if kind is not None:
        log.error("database storage: %s (%s)", kind, getattr(error, "orig", error))
        faults = current_app.extensions.get(FAULTS)
        if faults is not None:
            faults.note(kind)
        if kind != FULL:
            # Fresh connections from now on: one opened read-only (a standby, ALTER DATABASE … SET
            # default_transaction_read_only) stays so for its life; new ones see the database as it is.
            current_app.extensions["reception"].db.dispose()
    return kind


def check_database(db: Database, faults: _Faults | None = None) -> str:
    try:
        with db.read() as s:
            s.execute(text("SELECT 1"))
            state = _storage_state(db, s)
    except Exception as exc:  # any failure means the same to the caller; the log keeps the detail
        log.exception("health: database check failed")
        return storage_kind(exc) or DOWN
    if state == READ_ONLY:
        db.dispose()  # a connection opened read-only stays so: the next request takes a fresh one
    return state or (faults.recent() if faults else None) or OK


def _storage_state(db: Database, s: Session) -> str | None:
    if not db.is_sqlite:
        return READ_ONLY if s.scalar(text("SHOW transaction_read_only")) == "on" else None
    database = make_url(db.url).database
    if not database or database == ":memory:":
        return None
    folder = Path(database).resolve().parent
    if s.scalar(text("PRAGMA query_only")) or not os.access(folder, os.W_OK):  # EROFS even for root
        return READ_ONLY
    room = os.statvfs(folder)
    if room.f_bavail * room.f_frsize < MIN_FREE_BYTES:
        return FULL
    pages, most, free = (s.scalar(text(f"PRAGMA {p}")) for p in ("page_count", "max_page_count", "freelist_count"))
    return FULL if pages is not None and most is not None and pages >= most and not free else None


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
            log.warning("health: redis does not answer", exc_info=True)
            return DOWN
        return OK

    return check


def health_report(database: str, redis: str, printers: list[dict[str, Any]],
                  notifications: dict[str, Any] | None = None) -> tuple[dict[str, Any], int]:
    """The body and status: ``ok``; ``degraded`` (200) with Redis away, a printer failed or the outbox's
    oldest queued message too old (the gateways are not keeping up; nothing is lost); 503 without a
    working database."""
    body: dict[str, Any] = {"status": "ok", "database": database, "redis": redis, "printers": printers}
    if notifications is not None:
        body["notifications"] = notifications
    if database != OK:
        body |= {"status": "unavailable", "failing": ["database"]}
        return body, 503
    if redis == DOWN:
        body |= {"status": "degraded", "degraded": ["redis"]}
    elif any(not p["ok"] for p in printers):
        body["status"] = "degraded"
    if notifications is not None and notifications.get("status") != OK:
        body["status"] = "degraded"
        body["degraded"] = [*body.get("degraded", []), "notifications"]
    return body, 200


def notifications_check(db: Database, clock: Any) -> dict[str, Any] | None:
    """The outbox's backlog (decision 037); None when it cannot be read (the database check says why)."""
    from reception.notifications.reads import backlog

    try:
        with db.read() as s:
            return backlog(s, clock.now())
    except Exception:
        log.warning("health: the outbox could not be read", exc_info=True)
        return None


def init_app(app: Flask, printer_states: Callable[[], list[dict[str, Any]]]) -> None:
    db = app.extensions["reception"].db
    redis = redis_check(app.config.get("REDIS_URL"))
    faults = app.extensions[FAULTS] = _Faults()

    @app.get("/healthz")
    @guard(Action.PUBLIC)
    def healthz() -> ResponseReturnValue:
        database = check_database(db, faults)
        outbox = notifications_check(db, app.extensions["reception"].clock) if database == OK else None
        body, code = health_report(database, redis(), printer_states(), outbox)
        mail = app.extensions.get("reception.mail_intake")
        if code == 200 and mail is not None:  # no mailbox configured: no word about it
            with_mail_intake(body, mail_intake_check(app, mail))
        response = jsonify(body)
        response.status_code = code
        response.headers["Cache-Control"] = "no-store"
        return response


def mail_intake_check(app: Flask, mail: Any) -> str:
    """The e-mail intake's state (decision 043): ``not configured``, ``waiting``, ``ok``, ``unreachable``
    (its last poll failed) or ``stale`` (no poll for a while)."""
    from reception.appeals.intake import DOWN, intake_state

    try:
        return intake_state(app.extensions["reception"].services, mail)
    except Exception:
        log.warning("health: the mail intake's state could not be read", exc_info=True)
        return DOWN


def with_mail_intake(body: dict[str, Any], state: str) -> None:
    """Like Redis (decision 030), the intake never makes the process 503: a mailbox away is ``degraded``."""
    from reception.appeals.intake import DOWN, STALE

    body["mail_intake"] = state
    if state in (DOWN, STALE):
        body["status"] = "degraded"
        body["degraded"] = [*body.get("degraded", []), "mail_intake"]

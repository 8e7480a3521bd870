"""Request ids and structured logs: one JSON line per record, one record per HTTP request.

``X-Request-Id`` is taken from the caller (nginx sets one) when it looks like an id, made up
otherwise, and sent back on the response; every log record written while the request runs
carries it, so one visitor's trouble can be followed through nginx and the app.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-Id"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
REQUEST_LOGGER = "reception.request"
_HANDLER_MARK = "_reception_json"
# Standard LogRecord attributes: everything else on a record came from ``extra=`` and is logged.
_RECORD_FIELDS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def request_id_from(header: str | None) -> str:
    """The caller's id when it is a plausible one (no spaces, quotes or newlines), a new one otherwise."""
    if header and _REQUEST_ID.fullmatch(header):
        return header
    return secrets.token_hex(16)  # as uuid4().hex reads (32 hex digits), without making a UUID


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "msg", "request_id", ...extra}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id:
            entry["request_id"] = request_id
        entry |= {k: v for k, v in vars(record).items() if k not in _RECORD_FIELDS and k != "request_id"}
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """Root logging for a server process: JSON lines (or plain text) on standard error, once."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    if any(getattr(h, _HANDLER_MARK, False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    setattr(handler, _HANDLER_MARK, True)
    # Replaces the plain handler logging.basicConfig installs, so no line is written twice.
    root.handlers = [h for h in root.handlers if type(h) is not logging.StreamHandler] + [handler]


def request_fields(response: Response, started: float) -> dict[str, Any]:
    """What the request's log line says (no query string: it may carry a device token)."""
    return {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "remote_addr": request.remote_addr,
        "endpoint": request.endpoint,
    }


def init_app(app: Flask) -> None:
    log = logging.getLogger(REQUEST_LOGGER)

    @app.before_request
    def _start_request() -> None:
        g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish_request(response: Response) -> Response:
        request_id = g.get("request_id") or request_id_from(None)
        response.headers[REQUEST_ID_HEADER] = request_id
        if log.isEnabledFor(logging.INFO):
            fields = {"request_id": request_id, **request_fields(response, g.get("request_started", time.perf_counter()))}
            # Written once the answer has gone (the server closes it after its last byte), so the caller
            # never waits for the line being formatted and written; the duration stops here, as before.
            response.call_on_close(lambda: log.info("%s %s %s", fields["method"], fields["path"], fields["status"],
                                                    extra=fields))
        return response

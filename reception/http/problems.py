"""RFC 9457 problem details in the caller's language."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from flask import Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from reception.http.language import request_lang
from reception.kernel.bounds import size_in_words
from reception.kernel.errors import DomainError
from reception.platform import i18n

log = logging.getLogger(__name__)

PROBLEM_TYPE_BASE = "https://reception.local/problems/"

_HTTP_KEYS = {400: "error.bad_request", 401: "error.unauthorized", 403: "error.forbidden",
              404: "error.not_found", 405: "error.method"}


def problem(status: int, key: str, /, *, detail_key: str | None = None, **params: Any) -> Response:
    lang = request_lang()
    body = {
        "type": PROBLEM_TYPE_BASE + key.removeprefix("error.").replace("_", "-"),
        "title": i18n.t(f"status.{status}", lang),
        "status": status,
        "detail": i18n.t(detail_key or key, lang, **params),
        "code": key.removeprefix("error."),
    }
    if params:
        body["params"] = _plain(params)
    reasons = [v for v in params.values() if isinstance(v, tuple) and v and all(isinstance(r, i18n.Text) for r in v)]
    if reasons:  # what ``detail`` says, for programs: each reason's key and parameters (ValidationFailed.because)
        body["errors"] = [{"code": r.key.removeprefix("error."),
                           "params": _plain({**r.params, **({"n": r.count} if r.count is not None else {})})}
                          for r in reasons[0]]
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="reception"'
    return response


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    """The parameters a program can read: text, numbers, switches, dates (ISO) and lists of those."""
    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, date) else value

    simple = str | int | float | bool | date
    return {k: [plain(i) for i in v] if isinstance(v, tuple) else plain(v) for k, v in params.items()
            if isinstance(v, simple) or (isinstance(v, tuple) and all(isinstance(i, simple) for i in v))}


def from_domain_error(error: DomainError) -> Response:
    return problem(error.status, error.key, detail_key=error.detail_key, **error.params)


def from_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    if status == 413:
        return problem(413, "error.too_large", limit=size_in_words(request.max_content_length, request_lang()))
    if status == 400 and request.is_json and _unparsable_body():
        return problem(400, "error.malformed_json")
    if isinstance(error, MethodNotAllowed):
        return method_not_allowed(error)
    key = _HTTP_KEYS.get(status)
    if key is None:
        key = "error.bad_request" if status < 500 else "error.internal"
    return problem(status, key)


def method_not_allowed(error: MethodNotAllowed) -> Response:
    """405 naming the methods the URL answers in ``Allow`` (RFC 9110), or 404 when it answers none.

    Werkzeug lists the methods of every rule whose pattern matched before their converters checked the
    values: ``PATCH /records/0`` matched ``/records/<int(min=1):id>`` (GET) by pattern, although no method
    answers an id of 0. Each listed method is matched again, so only the real ones remain."""
    allowed = []
    adapter = current_app.create_url_adapter(request)
    for method in error.valid_methods or ():
        try:
            if adapter is not None:
                adapter.match(method=method)
        except (NotFound, MethodNotAllowed):
            continue
        except HTTPException:  # a redirect (trailing slash): the method is answered there
            pass
        allowed.append(method)
    if not allowed:
        return problem(404, "error.not_found")
    response = problem(405, "error.method")
    response.headers["Allow"] = ", ".join(allowed)
    return response


def _unparsable_body() -> bool:
    try:
        return request.get_json(silent=True) is None
    except RecursionError:  # nested deeper than the parser goes
        return True


def from_storage_fault() -> Response:
    """The database cannot write (full disk, read-only) or cannot be reached: try again later (decision 030)."""
    response = problem(503, "error.storage_unavailable")
    response.headers["Retry-After"] = "30"
    return response


def from_unexpected(error: Exception) -> Response:
    """500, unless the database's storage failed (full, read-only, unreachable): then 503 (decision 030)."""
    from reception.http.health import storage_fault

    if storage_fault(error):
        return from_storage_fault()
    log.exception("unhandled error on %s %s", request.method, request.path)
    return problem(500, "error.internal")

"""The JSON contract of API.md under ``/api/v1``: one blueprint, problem+json errors."""

from __future__ import annotations

from flask import Blueprint
from werkzeug.exceptions import HTTPException

from ..errors import DomainError
from . import problems

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError):  # type: ignore[no-untyped-def]
    return problems.from_domain_error(error)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):  # type: ignore[no-untyped-def]
    return problems.from_http_exception(error)


@bp.errorhandler(Exception)
def _unexpected(error: Exception):  # type: ignore[no-untyped-def]
    return problems.from_unexpected(error)


# Route modules register themselves on ``bp``.
from . import (  # noqa: E402,F401
    routes_admin,
    routes_auth,
    routes_desk,
    routes_devices,
    routes_kiosk,
    routes_leadership,
    routes_openapi,
    routes_records,
    routes_reference,
    routes_tickets,
)

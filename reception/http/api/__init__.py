"""The JSON API under ``/api/v1`` (its contract: ``GET /api/v1/openapi.json``): one blueprint, problem+json errors."""

from __future__ import annotations

from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from reception.http import problems
from reception.kernel.errors import DomainError, ValidationFailed
from reception.platform.i18n import Text

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.before_request
def _refuse_nul() -> None:
    """PostgreSQL refuses NUL in text; a NUL anywhere in the path or query is bad input, not a 500."""
    if "\x00" in request.path or any("\x00" in k or "\x00" in v for k, v in request.args.items(multi=True)):
        raise ValidationFailed.because(Text.of("error.input.nul_url"))


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError) -> ResponseReturnValue:
    return problems.from_domain_error(error)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> ResponseReturnValue:
    return problems.from_http_exception(error)


@bp.errorhandler(Exception)
def _unexpected(error: Exception) -> ResponseReturnValue:
    return problems.from_unexpected(error)


# Route modules register themselves on ``bp``.
from reception.http.api import (  # noqa: E402,F401
    routes_admin,
    routes_administration,
    routes_alerts,
    routes_appeals,  # noqa: E402,F401
    routes_auth,
    routes_desk,
    routes_devices,
    routes_feedback,
    routes_hall,
    routes_kiosk,
    routes_leadership,
    routes_mail,
    routes_notifications,
    routes_openapi,
    routes_personal_data,
    routes_public,
    routes_records,
    routes_reference,
    routes_reports,
    routes_staffing,
    routes_subscriptions,
    routes_suspension,
    routes_tickets,
)


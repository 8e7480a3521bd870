"""Small helpers shared by the reception-office pages: the office in scope, parsing, error flashing."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, request

from reception.auth import Actor
from reception.errors import DomainError, ValidationFailed
from reception.leadership.today import office_choices
from reception.web import localized_error, request_lang, wiring


def current_office(actor: Actor) -> dict[str, Any]:
    """``?office=`` among the caller's offices, else the first of them."""
    offices = office_choices(wiring().db, actor)
    if not offices:
        abort(403)
    wanted = request.values.get("office")
    return next((o for o in offices if o["code"] == wanted), offices[0])


def flash_error(error: DomainError) -> None:
    flash(localized_error(error, request_lang()), "error")


def form_date(name: str, required: bool = False) -> date | None:
    raw = (request.values.get(name) or "").strip()
    if not raw:
        if required:
            raise ValidationFailed("error.field_required", field=name)
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationFailed("error.field_date", field=name) from exc


def form_int(name: str, default: int | None = None) -> int | None:
    raw = (request.values.get(name) or "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValidationFailed("error.field_number", field=name) from exc


def text(name: str, limit: int = 2000) -> str:
    return (request.form.get(name) or "").replace("\x00", "").strip()[:limit]


def install_error_page(bp: Any) -> None:
    """A refused page action (stale CSRF token, wrong office…) shows the error page in the user's language."""
    from ..entry import render_error_page

    @bp.errorhandler(DomainError)
    def _refused(error: DomainError):  # type: ignore[no-untyped-def]
        return render_error_page(error.status, localized_error(error, request_lang()))

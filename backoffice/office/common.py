"""Small helpers shared by the reception-office pages: the office in scope, parsing, error flashing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort, flash, request

from reception.http.language import localized_error, request_lang
from reception.http.wiring import wiring
from reception.kernel.bounds import parse_date, parse_id
from reception.kernel.errors import DomainError, ValidationFailed
from reception.kernel.identity import Actor
from reception.leadership.today import office_choices
from reception.platform import i18n


@dataclass(frozen=True)
class OfficePick:
    """The offices the caller may see (never empty) and the code ``?office=`` names.

    ``code`` is the only office when there is one and none is named, "" when there are several and none is named.
    It is not checked here: the domain call it goes to refuses a foreign office (403) or an unknown one (404) in
    the user's language, as the API does.
    """

    offices: list[dict[str, Any]]
    code: str


def pick_office(actor: Actor) -> OfficePick:
    """The office picker's steps, the same on every page with one: no office at all is a 403."""
    offices = office_choices(wiring().db, actor)
    if not offices:
        abort(403)
    default = offices[0]["code"] if len(offices) == 1 else ""
    return OfficePick(offices, request.values.get("office") or default)


def current_office(actor: Actor) -> dict[str, Any]:
    """``?office=`` among the caller's offices, else the first of them (pages that always need one)."""
    pick = pick_office(actor)
    return next((o for o in pick.offices if o["code"] == pick.code), pick.offices[0])


def flash_error(error: DomainError) -> None:
    flash(localized_error(error, request_lang()), "error")


# The date fields of the pages by the words their labels show (a message never names a field by its code).
DATE_FIELDS = {"reception_date": "rec.reception_date", "removed_from_control": "rec.removed",
               "extended_to": "field.extended_to", "from": "field.from", "to": "field.to",
               "valid_from": "sched.valid_from", "valid_to": "sched.valid_to", "date": "office.date",
               "new_date": "sched.new_date"}


def field_label(name: str) -> str:
    """A form field as the user knows it, in their language."""
    key = DATE_FIELDS.get(name)
    return i18n.t(key, request_lang()) if key else name


def form_date(name: str) -> date | None:
    """A date field or query parameter, dd.mm.yyyy as the pages show it, within the sane range
    (reception.kernel.bounds, the one date parser); None when empty."""
    return parse_date(request.values.get(name), field_label(name))


def required_date(name: str) -> date:
    """A date field that must be filled in (else ValidationFailed naming the field)."""
    value = form_date(name)
    if value is None:
        raise ValidationFailed("error.field_required", field=field_label(name))
    return value


def form_int(name: str, default: int | None = None) -> int | None:
    raw = (request.values.get(name) or "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValidationFailed("error.field_number", field=name) from exc


def form_id(name: str) -> int | None:
    """An id field or query parameter (``?done=``, ``session``): 1..MAX_ID, else ValidationFailed."""
    return parse_id(request.values.get(name), name)


def text(name: str, limit: int | None = 2000) -> str:
    """A text field without NUL (PostgreSQL refuses it); cut to ``limit`` unless None (a schema checks it)."""
    value = (request.form.get(name) or "").replace("\x00", "").strip()
    return value if limit is None else value[:limit]


def install_error_page(bp: Any) -> None:
    """A refused page action (stale CSRF token, wrong office…) shows the error page in the user's language.

    The app-level handler (``backoffice.entry.domain_error_page``) does the same; kept so a blueprint says so.
    """
    from backoffice.entry import domain_error_page

    bp.register_error_handler(DomainError, domain_error_page)

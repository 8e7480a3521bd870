"""Where people start: the landing page at ``/``, the back-office home, and every HTML error page.

One template (``entry/error.html``) serves every HTML error — Werkzeug's (400, 403, 404, 405, 413,
429, 500 …) and a page action's refusal — in the caller's language.  It reads nothing from the
database, so it still renders when the database is what failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, render_template, request, send_file, url_for
from werkzeug.exceptions import HTTPException

from backoffice.assets import NavEntry
from reception.http.callers import guard, session_actor, session_user
from reception.http.language import localized_error, request_lang
from reception.kernel.bounds import size_in_words
from reception.kernel.errors import DomainError
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action
from reception.platform import i18n

bp = Blueprint("entry", __name__)


# (key, path): the public paths, in the order a visitor meets them.
ENTRY_POINTS = (("kiosk", "/kiosk"), ("display", "/display"), ("schedule", "/schedule"), ("desk", "/desk"),
                ("backoffice", "/backoffice"))
KNOWN_STATUSES = frozenset({400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 503})
FAVICON = Path(__file__).resolve().parent.parent / "reception" / "static" / "img" / "favicon.ico"

# Where each role's work is, the first role the user has in this order (decision 033): the desk for
# whoever serves visitors at one, then booking, the hall, the reports, the administration.
# (role, the page and the label of its link: the navigation's word for it)
ROLE_HOMES = (("operator", NavEntry("desk_console.home", "desk.nav")), ("leader", NavEntry("desk_console.home", "desk.nav")),
              ("call_centre", NavEntry("office_booking.page", "office.nav.booking")),
              ("manager", NavEntry("hall.page", "hall.nav")), ("auditor", NavEntry("reports.page", "rep.nav")),
              ("admin", NavEntry("admin_pages.index", "adm.nav")))
NO_HOME = NavEntry("entry.backoffice_home", "bo.title")  # a user with no role: the page of what they may reach


def _home_of(actor: Actor | None) -> NavEntry:
    return next((home for role, home in ROLE_HOMES if actor is not None and role in actor.roles), NO_HOME)


def role_home(actor: Actor | None) -> str:
    """The page a signed-in user starts on (after signing in, at /desk without a desk, back from an error)."""
    return url_for(_home_of(actor).endpoint)


@bp.get("/")
@guard(Action.PUBLIC)
def landing() -> Any:
    lang = request_lang()
    entries = [{"key": key, "url": path, "title": i18n.t(f"entry.{key}", lang), "text": i18n.t(f"entry.{key}.text", lang)}
               for key, path in ENTRY_POINTS]
    return render_template("entry/landing.html", entries=entries, other_lang="en" if lang == "uk" else "uk")


@bp.get("/favicon.ico")
@guard(Action.PUBLIC)
def favicon() -> Any:
    """The tab icon every browser asks for (scripts/make_favicon.py draws it)."""
    return send_file(FAVICON, mimetype="image/x-icon", max_age=7 * 24 * 3600)


@bp.get("/backoffice")
@guard(Action.STAFF_HOME)
def backoffice_home() -> Any:
    """The back office's front door: the sections the signed-in user's roles open (sign-in first)."""
    user = session_user()
    return render_template("desk/landing.html", name=(user.full_name or user.username) if user else "")


def render_error_page(status: int, message: str | None = None, *,
                      change_password: bool = False) -> tuple[str, int]:
    """The error page for ``status``; ``message`` (already localised) replaces the standard text."""
    lang = request_lang()
    known = status if status in KNOWN_STATUSES else (500 if status >= 500 else 400)
    actor = _signed_in() if status < 500 else None
    return render_template("entry/error.html", status=status, title=i18n.t(f"page.{known}.title", lang),
                           message=message or i18n.t(f"page.{known}.text", lang),
                           sign_in=status in (401, 403) and not change_password and actor is None,
                           work=(role_home(actor), i18n.t(_home_of(actor).key, lang))
                           if actor is not None and not change_password else None,
                           change_password=change_password), status


def _signed_in() -> Actor | None:
    """The signed-in user, or None; never fails (the page must render whatever went wrong)."""
    try:
        return session_actor()
    except Exception:  # noqa: BLE001 (a broken database or session here is just "not known")
        return None


def domain_error_page(error: DomainError) -> tuple[str, int]:
    """A refusal on any page (wrong role, other office, stale form token) in the user's language, not a 500."""
    return render_error_page(error.status, localized_error(error, request_lang()),
                             change_password=error.key == "error.password_change_required")


def http_error_page(error: HTTPException) -> tuple[str, int]:
    """Werkzeug's HTTP errors on pages (Flask hands redirects raised by ``abort`` back untouched)."""
    if error.code == 413:  # a form past MAX_CONTENT_LENGTH: say how much is allowed
        lang = request_lang()
        limit = size_in_words(request.max_content_length, lang)
        return render_error_page(413, i18n.t("error.too_large", lang, limit=limit))
    return render_error_page(error.code or 500)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_error_handler(DomainError, domain_error_page)  # the API blueprint answers problem+json itself

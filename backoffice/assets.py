"""Back-office shared assets and template helpers (layout, navigation)."""

from __future__ import annotations

from typing import Any, NamedTuple

from flask import Blueprint, Flask, current_app, request, url_for

from reception.http.callers import declared_permissions, session_actor, session_user
from reception.http.language import request_lang
from reception.kernel.bounds import show_date
from reception.kernel.permissions import Action, permits
from reception.platform import i18n

bp = Blueprint("backoffice_assets", __name__, static_folder="static", static_url_path="/backoffice/static",
               template_folder="templates")


class NavEntry(NamedTuple):
    endpoint: str
    key: str  # the message key of its label
    action: Action | None = None  # who sees it, when not everyone the page lets in (its ``@guard``)


# The staff header, in this order.  An entry shows to whoever the permission table lets open its
# page (the page's own ``@guard`` declaration), so no list of roles is kept here to drift from it.
NAV: tuple[NavEntry, ...] = (
    # /desk lets every staff member in, but only desk staff have a desk there (others are sent to their work).
    NavEntry("desk_console.home", "desk.nav", Action.DESK_OPERATE),
    NavEntry("office_today.today", "office.nav.today"),
    NavEntry("office_booking.page", "office.nav.booking"),
    NavEntry("office_schedule.page", "office.nav.schedule"),
    NavEntry("office_records.index", "office.nav.records"),
    NavEntry("office_suspension.page", "susp.nav"),
    NavEntry("admin_pages.index", "adm.nav"),
    NavEntry("admin_audit.page", "adm.nav.audit"),
    NavEntry("reports.page", "rep.nav"),
    NavEntry("hall.page", "hall.nav"),
    NavEntry("office_messages.page", "ntf.nav"),
    NavEntry("office_calls.page", "calls.nav"),
    NavEntry("office_calls.control", "calls.nav_control"),
    NavEntry("office_mail.page", "mail.nav"),
    NavEntry("staffing.page", "stf.nav"),
)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def _helpers() -> dict[str, Any]:
        def nav_items() -> list[dict[str, object]]:
            actor = session_actor()
            lang = request_lang()
            items = []
            for endpoint, key, action in NAV:
                view = current_app.view_functions.get(endpoint)
                declared = declared_permissions(view, endpoint) if view is not None else None
                if actor is not None and declared and permits(actor, action or declared["GET"]):
                    items.append({"url": url_for(endpoint), "label": i18n.t(key, lang),
                                  "active": request.endpoint == endpoint})
            return items

        def staff_name() -> str | None:
            """The signed-in user's display name for the header (None when signed out)."""
            user = session_user()
            return (user.full_name or user.username) if user else None

        return {"t": i18n.t, "nav_items": nav_items, "staff_name": staff_name, "form_texts": form_texts}

    app.add_template_filter(show_date, "ddmmyyyy")


FORM_TEXTS = ("required", "choose", "check", "date", "time", "too_short", "too_long", "number", "min", "max", "step",
              "pattern", "pick", "prev", "next")


def form_texts() -> dict[str, object]:
    """The words of backoffice/static/forms.js: constraint messages and the date picker's, in the page's language."""
    lang = request_lang()
    out: dict[str, object] = {key: i18n.t(f"form.{key}", lang) for key in FORM_TEXTS}
    out["months"] = i18n.t("form.months", lang).split()
    out["weekdays"] = i18n.t("form.weekdays", lang).split()
    out["chars"] = i18n.t("form.chars", lang).split()
    out["decimal"] = "," if lang == "uk" else "."
    return out

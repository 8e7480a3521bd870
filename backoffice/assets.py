"""Back-office shared assets and template helpers (layout, navigation)."""

from __future__ import annotations

from flask import Blueprint, Flask, request, url_for

from reception.http.callers import session_user
from reception.http.language import request_lang
from reception.platform import i18n

bp = Blueprint("backoffice_assets", __name__, static_folder="static", static_url_path="/backoffice/static",
               template_folder="templates")


# (endpoint, message key, roles that see it); modules append their entries at init.
NAV: list[tuple[str, str, frozenset[str]]] = []


def add_nav(endpoint: str, key: str, roles: set[str]) -> None:
    """Show ``endpoint`` in the staff header to users holding any of ``roles`` (once per endpoint)."""
    if any(existing == endpoint for existing, _key, _roles in NAV):
        return  # the app factory runs once per test: keep the registry free of repeats
    NAV.append((endpoint, key, frozenset(roles)))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def _helpers():  # type: ignore[no-untyped-def]
        def nav_items() -> list[dict[str, object]]:
            user = session_user()
            roles = set(user.roles or []) if user else set()
            if "admin" in roles:
                roles.add("manager")
            lang = request_lang()
            return [
                {"url": url_for(endpoint), "label": i18n.t(key, lang), "active": request.endpoint == endpoint}
                for endpoint, key, allowed in NAV
                if roles & allowed
            ]

        def staff_name() -> str | None:
            """The signed-in user's display name for the header (None when signed out)."""
            user = session_user()
            return (user.full_name or user.username) if user else None

        return {"t": i18n.t, "nav_items": nav_items, "staff_name": staff_name}

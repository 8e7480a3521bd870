"""CSRF tokens for signed-in browsers (Flask-WTF's CSRFProtect), checked by the caller's guard."""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf

from reception.kernel.errors import Forbidden

csrf_protect = CSRFProtect()


def init_csrf(app: Flask) -> None:
    """Flask-WTF's CSRF tokens (signed, bound to the session). Checked only where the caller is a
    signed-in browser (``check_csrf``, from ``require``/``page_actor``), not on every POST: bearer-token
    and device calls carry no cookie a forged page could ride on."""
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # as long as the staff session (12 h) lives
    csrf_protect.init_app(app)


def csrf_token() -> str:
    """The token for forms (hidden field ``csrf_token``) and fetch (header ``X-CSRF-Token``)."""
    return str(generate_csrf())


def check_csrf() -> None:
    try:
        csrf_protect.protect()
    except CSRFError as exc:  # one localised 403 whatever the reason (missing, forged, wrong referrer)
        raise Forbidden("error.csrf") from exc

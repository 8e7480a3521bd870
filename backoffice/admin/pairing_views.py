"""``/pair``: a new kiosk or display enters the one-time code a manager made for it.

The code becomes the device's long-lived token, handed to the device's own pairing URL
(``/kiosk?token=…`` or ``/display?token=…``), which keeps it in its cookie as before.
Tries are counted per address before the code is checked, atomically and shared by the server
processes (``reception.http.limits``): six digits resist guessing only when tries are few.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from backoffice.office.common import install_error_page
from reception.accounts import devices
from reception.http.callers import guard
from reception.http.csrf import check_csrf
from reception.http.language import localized_error
from reception.http.limits import pairing_succeeded, take_pairing_try
from reception.http.security import client_address
from reception.http.wiring import wiring
from reception.kernel.errors import DomainError
from reception.kernel.permissions import Action
from reception.platform import i18n

bp = Blueprint("device_pairing", __name__)
install_error_page(bp)  # a stale form (CSRF) gets a plain page, not an error

def _page(message_key: str | None = None, status: int = 200, error: DomainError | None = None) -> Any:
    messages = {lang: (localized_error(error, lang) if error else i18n.t(message_key, lang) if message_key else None)
                for lang in ("uk", "en")}
    return render_template("admin/pair.html", messages=messages), status


@bp.get("/pair")
@guard(Action.DEVICE_PAIR)
def form() -> Any:
    return _page()


@bp.post("/pair")
@guard(Action.DEVICE_PAIR)
def redeem() -> Any:
    check_csrf()
    address = client_address()  # behind nginx too: each device its own count, not the proxy's one
    if not take_pairing_try(address):
        return _page("adm.pair.too_many", 429)
    try:
        kind, token = wiring().services.value(devices.redeem_pairing, (request.form.get("code") or "")[:20])
    except DomainError as exc:
        return _page(status=exc.status, error=exc)
    pairing_succeeded(address)
    endpoint = "kiosk.page" if kind == "kiosk" else "display.board"
    return redirect(url_for(endpoint, token=token))

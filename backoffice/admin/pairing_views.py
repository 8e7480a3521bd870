"""``/pair``: a new kiosk or display enters the one-time code a manager made for it.

The code becomes the device's long-lived token, handed to the device's own pairing URL
(``/kiosk?token=…`` or ``/display?token=…``), which keeps it in its cookie as before.
Failed tries are counted per address: six digits resist guessing only when tries are few.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from reception import administration as adm
from reception.accounts.permissions import Action
from reception.errors import DomainError
from reception.http.callers import guard
from reception.http.csrf import check_csrf
from reception.http.language import localized_error
from reception.http.wiring import wiring
from reception.platform import i18n

from ..office.common import install_error_page

bp = Blueprint("device_pairing", __name__)
install_error_page(bp)  # a stale form (CSRF) gets a plain page, not an error

MAX_FAILURES = 5  # per address within the window
WINDOW_S = 600.0
_failures: dict[str, deque[float]] = {}
_lock = threading.Lock()


def _too_many(address: str) -> bool:
    now = time.monotonic()
    with _lock:
        recent = _failures.setdefault(address, deque())
        while recent and now - recent[0] > WINDOW_S:
            recent.popleft()
        return len(recent) >= MAX_FAILURES


def _failed(address: str) -> None:
    with _lock:
        _failures.setdefault(address, deque()).append(time.monotonic())


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
    address = request.remote_addr or "?"
    if _too_many(address):
        return _page("adm.pair.too_many", 429)
    try:
        kind, token = wiring().services.value(adm.redeem_pairing, (request.form.get("code") or "")[:20])
    except DomainError as exc:
        _failed(address)
        return _page(status=exc.status, error=exc)
    endpoint = "kiosk.page" if kind == "kiosk" else "display.board"
    return redirect(url_for(endpoint, token=token))

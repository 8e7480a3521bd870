"""Pairing a kiosk browser with its device token.

The token is shown once to the administrator (``reception device add kiosk``), opened once as
``/kiosk?token=…`` on the kiosk, then kept in a long-lived cookie (read by the server to render
the page) and in localStorage (which re-pairs the browser if the cookie is ever cleared).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from werkzeug.wrappers import Response as BaseResponse

from reception.http.device_cookies import device_for_token, forget_device, remember_device

COOKIE = "kiosk_token"


@dataclass(frozen=True)
class KioskDevice:
    id: int
    office_id: int
    name: str
    has_printer: bool


def kiosk_for_token(token: str | None) -> KioskDevice | None:
    """The active kiosk device the token pairs, or None (unknown, revoked or not a kiosk)."""
    device = device_for_token(token, "kiosk")
    if device is None:
        return None
    return KioskDevice(device.id, device.office_id, device.name, bool(device.printer_url))


def cookie_token() -> str | None:
    return request.cookies.get(COOKIE)


def remember(response: BaseResponse, token: str) -> None:
    remember_device(response, COOKIE, token, path="/kiosk")


def forget(response: BaseResponse) -> None:
    forget_device(response, COOKIE, path="/kiosk")

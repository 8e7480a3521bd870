"""Pairing a kiosk browser with its device token.

The token is shown once to the administrator (``reception device add kiosk``), opened once as
``/kiosk?token=…`` on the kiosk, then kept in a long-lived cookie (read by the server to render
the page) and in localStorage (which re-pairs the browser if the cookie is ever cleared).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, request

from reception.web import device_by_token

COOKIE = "kiosk_token"
COOKIE_MAX_AGE_S = 5 * 365 * 24 * 3600  # a kiosk is paired for years, not for a session
MAX_TOKEN_LEN = 200


@dataclass(frozen=True)
class KioskDevice:
    id: int
    office_id: int
    name: str
    has_printer: bool


def kiosk_for_token(token: str | None) -> KioskDevice | None:
    """The active kiosk device the token pairs, or None (unknown, revoked or not a kiosk)."""
    if not token or len(token) > MAX_TOKEN_LEN:
        return None
    device = device_by_token(token)
    if device is None or device.kind != "kiosk":
        return None
    return KioskDevice(device.id, device.office_id, device.name, bool(device.printer_url))


def cookie_token() -> str | None:
    return request.cookies.get(COOKIE)


def remember(response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, max_age=COOKIE_MAX_AGE_S, path="/kiosk", httponly=True,
                        samesite="Strict", secure=request.is_secure)


def forget(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/kiosk", samesite="Strict", secure=request.is_secure)

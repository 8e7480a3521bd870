"""Paired devices (kiosk, wall display): the long-lived token cookie and the pairing answer."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from werkzeug.wrappers import Response as BaseResponse

from reception.accounts.credentials import PairedDevice
from reception.http.callers import MAX_DEVICE_TOKEN_LEN, device_by_token
from reception.http.security import secure_cookies

DEVICE_COOKIE_MAX_AGE_S = 5 * 365 * 24 * 3600  # a kiosk or a TV is paired for years, not for a session


def device_for_token(token: Any, kind: str) -> PairedDevice | None:
    """The active device of ``kind`` that ``token`` pairs; None if unknown, revoked, malformed or another kind."""
    if not isinstance(token, str) or not 0 < len(token) <= MAX_DEVICE_TOKEN_LEN:
        return None
    device = device_by_token(token)
    return device if device is not None and device.kind == kind else None


def remember_device(response: BaseResponse, cookie: str, token: str, path: str, samesite: str = "Strict") -> None:
    """Keep a device token in a long-lived HttpOnly cookie scoped to the device's pages."""
    response.set_cookie(cookie, token, max_age=DEVICE_COOKIE_MAX_AGE_S, path=path, httponly=True,
                        samesite=samesite, secure=_secure_cookie())


def pairing_answer(token: str | None, device: PairedDevice | None) -> Response:
    """The device token for the page's own script, from the HttpOnly cookie: never written into the HTML."""
    if device is None or not token:
        response = jsonify({"paired": False})
        response.status_code = 403
    else:
        response = jsonify({"paired": True, "token": token})
    response.headers["Cache-Control"] = "no-store"
    return response


def forget_device(response: BaseResponse, cookie: str, path: str, samesite: str = "Strict") -> None:
    response.delete_cookie(cookie, path=path, samesite=samesite, secure=_secure_cookie())


def _secure_cookie() -> bool:
    """Secure when the site runs on HTTPS (RECEPTION_SECURE_COOKIES=1), or this request came over it."""
    return request.is_secure or secure_cookies()

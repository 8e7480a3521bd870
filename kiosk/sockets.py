"""``/kiosk``: a paired kiosk hears its office's suspension (``suspended`` / ``resumed``) the moment the
wall display does, and refetches its menu; the menu stays the one source of what it offers."""

from __future__ import annotations

from typing import Any

from flask_socketio import ConnectionRefusedError, Namespace, join_room

from reception.http.device_cookies import device_for_token
from reception.http.realtime import office_room
from reception.kernel.permissions import Action, permits


class KioskNamespace(Namespace):
    def on_connect(self, auth: Any = None) -> None:
        device = device_for_token(auth.get("token") if isinstance(auth, dict) else None, "kiosk")
        if device is None or not permits(device.actor, Action.KIOSK_ISSUE):
            raise ConnectionRefusedError({"message": "kiosk token required", "code": "unauthorized"})
        join_room(office_room(device.office_code))

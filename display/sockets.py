"""Socket.IO namespaces of the wall display (``/display``) and the phone page (``/ticket``).

Both authenticate at connect and send the full state at once; afterwards the rooms of
``reception.http.realtime`` deliver the hints. A display's connect and its ``alive`` (once a
minute) are its heartbeat, as a kiosk's menu poll is.  A client that sees a version gap (or just wants
to be sure) emits ``resync`` (display) or ``refresh`` (phone) and gets the full state again.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import request
from flask_socketio import ConnectionRefusedError, Namespace, disconnect, emit, join_room, leave_room

from display.state import clean_zone, device_is_active, display_state, phone_status, ticket_by_token
from reception.http.device_cookies import device_for_token
from reception.http.realtime import (
    calls_room,
    device_room,
    office_room,
    service_room,
    ticket_room,
    zone_room,
    zoned_room,
)
from reception.http.wiring import wiring
from reception.kernel.permissions import Action, permits

MIN_RESYNC_INTERVAL_S = 1.0  # a confused or hostile client cannot make us query in a loop


def _sid() -> str:
    """This connection's Socket.IO id, which Flask-SocketIO puts on the request during an event."""
    sid: str = request.sid  # type: ignore[attr-defined]  # set by Flask-SocketIO, unknown to Flask's types
    return sid


def _auth_value(auth: Any, *keys: str) -> Any:
    if isinstance(auth, dict):
        for key in keys:
            if auth.get(key) is not None:
                return auth[key]
    return None


class _Throttled(Namespace):
    """Per-connection state (dropped at disconnect); repeats limited to one a second.

    Kept here rather than in python-socketio's session, which Flask-SocketIO's test client
    does not provide.
    """

    def __init__(self, namespace: str) -> None:
        super().__init__(namespace)
        self._clients: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def _session(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._clients.get(_sid(), {}))

    def _save(self, data: dict[str, Any]) -> None:
        with self._lock:
            self._clients[_sid()] = data

    def _allowed_now(self) -> dict[str, Any] | None:
        data = self._session()
        now = time.monotonic()
        if not data or now - data.get("last", 0.0) < MIN_RESYNC_INTERVAL_S:
            return None
        data["last"] = now
        self._save(data)
        return data

    def on_disconnect(self, _reason: Any = None) -> None:
        with self._lock:
            self._clients.pop(_sid(), None)


class DisplayNamespace(_Throttled):
    """``/display``: a paired wall display of one office (and, optionally, one zone)."""

    def on_connect(self, auth: Any = None) -> None:
        device = device_for_token(_auth_value(auth, "token"), "display")
        if device is None or not permits(device.actor, Action.DISPLAY_WATCH):
            raise ConnectionRefusedError({"message": "display token required", "code": "unauthorized"})
        # The device's own zone is the manager's decision; ?zone= only narrows an unzoned display.
        zone = device.zone or clean_zone(_auth_value(auth, "zone") or request.args.get("zone"))
        w = wiring()
        state = display_state(w.db, w.clock, device.office_id, zone)
        if state is None:
            raise ConnectionRefusedError({"message": "office inactive", "code": "unauthorized"})
        office = state["office"]
        join_room(office_room(office))
        if zone:
            join_room(zone_room(office, zone))
            join_room(zoned_room(office))
        else:
            join_room(calls_room(office))
        join_room(device_room(device.id))
        self._save({"office_id": device.office_id, "zone": zone, "device_id": device.id})
        w.kiosk_heartbeat.seen(w.db, w.clock, device.id)  # the same throttled heartbeat as a kiosk's
        emit("snapshot", state)

    def on_alive(self, _data: Any = None) -> None:
        """The board says it is alive once a minute: staff see it online like a kiosk (decision 032)."""
        device_id = self._session().get("device_id")
        if isinstance(device_id, int):
            w = wiring()
            w.kiosk_heartbeat.seen(w.db, w.clock, device_id)

    def on_resync(self, _data: Any = None) -> None:
        data = self._allowed_now()
        if data is None:
            return
        w = wiring()
        if not device_is_active(w.db, data.get("device_id")):  # revoked since it connected
            emit("revoked", {})
            disconnect()
            return
        state = display_state(w.db, w.clock, data["office_id"], data["zone"])
        if state is not None:
            emit("snapshot", state)


class TicketNamespace(_Throttled):
    """``/ticket``: the phone page of one ticket, authenticated by its public token."""

    def on_connect(self, auth: Any = None) -> None:
        token = _auth_value(auth, "public_token", "token")
        found = ticket_by_token(wiring().db, token)
        if found is None:
            raise ConnectionRefusedError({"message": "unknown ticket", "code": "not_found"})
        _ticket_id, office, service = found
        join_room(ticket_room(token))
        join_room(service_room(office, service))
        join_room(office_room(office))  # the office's suspension reaches every phone
        self._save({"token": token, "office": office, "service": service})
        w = wiring()
        emit("status", phone_status(w.db, w.clock, token))

    def on_refresh(self, _data: Any = None) -> None:
        data = self._allowed_now()
        if data is None:
            return
        w = wiring()
        db = w.db
        found = ticket_by_token(db, data["token"])
        if found is None:  # the token moved on (it cannot, today) or the ticket was purged
            return
        _ticket_id, office, service = found
        if service != data["service"]:  # transferred to another service: follow its queue
            leave_room(service_room(data["office"], data["service"]))
            join_room(service_room(office, service))
            data |= {"office": office, "service": service}
            self._save(data)
        emit("status", phone_status(db, w.clock, data["token"]))

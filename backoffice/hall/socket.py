"""The ``/hall`` namespace: managers of an office hear a bare ``hint`` on every event of it.

Authenticated like ``/desk``: the signed-in session of the handshake, the manager role and the
office (``auth={office: CODE}``) must be the user's. The page refetches the read model on hints.
"""

from __future__ import annotations

from typing import Any

from flask_socketio import ConnectionRefusedError, Namespace, emit, join_room

from reception.http.callers import session_actor
from reception.http.realtime import office_room, user_room
from reception.http.wiring import wiring
from reception.kernel.errors import DomainError
from reception.kernel.permissions import Action, permits
from reception.offices.lookups import office_by_code


class HallNamespace(Namespace):
    def on_connect(self, auth: Any = None) -> None:
        actor = session_actor()
        if actor is None:
            raise ConnectionRefusedError("unauthorized")
        if not permits(actor, Action.HALL_READ):
            raise ConnectionRefusedError("forbidden")
        code = auth.get("office") if isinstance(auth, dict) else None
        if not isinstance(code, str) or not 0 < len(code) <= 32:
            raise ConnectionRefusedError("bad_request")
        with wiring().db.read() as s:
            try:
                office = office_by_code(s, code)
            except DomainError as exc:
                raise ConnectionRefusedError("forbidden") from exc  # unknown and foreign look alike
            if not actor.can_access_office(office.id):
                raise ConnectionRefusedError("forbidden")
            version = office.version
        join_room(office_room(code))
        if actor.user_id is not None:
            join_room(user_room(actor.user_id))  # closed by the server when the user's rights are withdrawn
        emit("ready", {"version": version})  # the page refetches: it may have missed events while away

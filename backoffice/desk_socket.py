"""The ``/desk`` Socket.IO namespace: live queue hints for desk consoles.

At connect the signed-in session (the Flask cookie of the handshake) is checked: staff only,
and only the offices the user may access.  The client gets a full ``snapshot`` per office at
once; afterwards ``reception.http.realtime.fan_out`` sends ``queue`` hints ``{version, event, code}``
to the office room, and the console refetches when the version moved (decision 005).
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
from reception.offices.models import Office
from reception.queue.reads import queue_view


def _requested_offices(auth: Any) -> list[str] | None:
    """Office codes the client asked for (``auth={office: "MOJ"}``), or None for "all of mine"."""
    if not isinstance(auth, dict) or auth.get("office") in (None, ""):
        return None
    office = auth["office"]
    if not isinstance(office, str) or len(office) > 32:
        raise ConnectionRefusedError("bad_request")
    return [office]


class DeskNamespace(Namespace):
    """One connection per open console; rooms per office."""

    def on_connect(self, auth: Any = None) -> None:
        actor = session_actor()
        if actor is None:
            raise ConnectionRefusedError("unauthorized")
        if not permits(actor, Action.QUEUE_READ):
            raise ConnectionRefusedError("forbidden")
        wanted = _requested_offices(auth)
        snapshots: list[dict[str, Any]] = []
        with wiring().db.read() as s:
            if wanted is None:  # an office removed since sign-in is left out
                found = [s.get(Office, oid) for oid in sorted(actor.office_ids)]
                offices = [o for o in found if o is not None]
            else:
                try:
                    offices = [office_by_code(s, code) for code in wanted]
                except DomainError as exc:
                    raise ConnectionRefusedError("forbidden") from exc
            if not offices or any(not actor.can_access_office(o.id) for o in offices):
                raise ConnectionRefusedError("forbidden")  # unknown and foreign offices look alike
            snapshots = [queue_view(s, o) for o in offices]
        if actor.user_id is not None:
            join_room(user_room(actor.user_id))  # closed by the server when the user's rights are withdrawn
        for snap in snapshots:
            join_room(office_room(snap["office"]))
            emit("snapshot", snap)

    def on_snapshot(self, data: Any = None) -> dict[str, Any]:
        """Ask again for the snapshot of one joined office (ack answer); used after a version gap."""
        actor = session_actor()
        office = data.get("office") if isinstance(data, dict) else None
        if actor is None or not permits(actor, Action.QUEUE_READ) or not isinstance(office, str):
            return {"error": "unauthorized" if actor is None else "bad_request"}
        with wiring().db.read() as s:
            try:
                found = office_by_code(s, office)
            except DomainError:
                return {"error": "forbidden"}
            if not actor.can_access_office(found.id):
                return {"error": "forbidden"}
            return queue_view(s, found)

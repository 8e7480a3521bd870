"""Live events over Socket.IO: room names, the publisher, and a Flask-free emitter.

The database is the source of truth; events are hints that carry the office version
(DESIGN.md §7).  Rooms: one per office, one per office zone, one per ticket token.
"""

from __future__ import annotations

import logging
from typing import Any

from flask_socketio import SocketIO

from .ports import DomainEvent

log = logging.getLogger(__name__)

DISPLAY_NS = "/display"
TICKET_NS = "/ticket"
DESK_NS = "/desk"

# Events a wall display hears; the rest only refresh counts.
CALL_EVENTS = {"called": "called", "recalled": "recalled"}

socketio = SocketIO()


def office_room(office_code: str) -> str:
    return f"office:{office_code}"


def zone_room(office_code: str, zone: str) -> str:
    return f"office:{office_code}:zone:{zone}"


def ticket_room(public_token: str) -> str:
    return f"ticket:{public_token}"


def fan_out(emit: Any, event: DomainEvent) -> None:
    """Route one domain event to the rooms that care about it."""
    office = event.office_code
    call_name = CALL_EVENTS.get(event.name)
    if call_name and event.desk_code:
        emit(call_name, event.payload, namespace=DISPLAY_NS, to=office_room(office))
        if event.zone:
            emit(call_name, event.payload, namespace=DISPLAY_NS, to=zone_room(office, event.zone))
    else:
        emit("queue", {"version": event.version, "event": event.name}, namespace=DISPLAY_NS, to=office_room(office))
    emit("queue", {"version": event.version, "event": event.name, "code": event.payload.get("code")},
         namespace=DESK_NS, to=office_room(office))
    if event.public_token:
        emit("status", {"version": event.version, "event": event.name}, namespace=TICKET_NS,
             to=ticket_room(event.public_token))


class SocketIOPublisher:
    """Publishes through the app's SocketIO server (and so through Redis when configured)."""

    def __init__(self, server: SocketIO) -> None:
        self.server = server

    def publish(self, event: DomainEvent) -> None:
        try:
            fan_out(self.server.emit, event)
        except Exception:  # a broken push must never undo a committed ticket
            log.exception("publishing %s failed", event.name)


class ExternalPublisher:
    """Emits from a process without Flask (a worker, a script) through Redis."""

    def __init__(self, redis_url: str) -> None:
        import socketio as sio

        self.manager = sio.RedisManager(redis_url, write_only=True)

    def publish(self, event: DomainEvent) -> None:
        fan_out(lambda name, data, namespace, to: self.manager.emit(name, data, namespace=namespace, room=to), event)


class RecordingPublisher:
    """Keeps events in memory: for tests and the simulator."""

    def __init__(self) -> None:
        self.events: list[DomainEvent] = []

    def publish(self, event: DomainEvent) -> None:
        self.events.append(event)

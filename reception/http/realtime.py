"""Live events over Socket.IO: room names, the fan-out, the publishers, a Flask-free emitter.

The database is the source of truth; events are hints that carry the office version
(docs/decisions/005-realtime.md).  Rooms (each inside its namespace):

``/display``
    ``office:<O>``            every display of the office: version hints of non-call changes;
    ``device:<id>``           one display: ``revoked`` when its token is withdrawn;
    ``office:<O>:calls``      displays without a zone: every call of the office;
    ``office:<O>:zone:<Z>``   displays of zone Z: that zone's calls only;
    ``office:<O>:zoned``      every zoned display: the version and counts of calls they do not show.
    A call is one frame per display: the call itself (with its version and the waiting counts) to the
    displays that show it, a ``queue`` hint to the rest (:func:`room_except`).
``/ticket``
    ``ticket:<token>``        one phone page: its own ticket's changes;
    ``office:<O>:service:<S>`` phone pages of a service: "positions may have moved".
    ``office:<O>``            every phone page of the office: ``suspended`` / ``resumed``.
``/kiosk``
    ``office:<O>``            the office's kiosks: ``suspended`` / ``resumed`` (they refetch their menu).
``/desk``
    ``office:<O>``            desk consoles (owned by the back office);
    ``user:<id>``             one user's consoles: closed when the user's rights are withdrawn.
``/hall``
    ``office:<O>``            the managers' hall view: a bare ``hint`` on every event of the office
                              (ticket, desk, print, suspension); the page refetches the read model;
    ``user:<id>``             as on ``/desk``.

Revocation is enforced by the server, not left to the client: a revoked display's ``device:<id>``
room and a signed-out user's ``user:<id>`` rooms are *closed*, and closing a room here disconnects
every socket in it, in every process (:func:`client_manager`: Socket.IO propagates ``close_room``
through Redis, and each process ends its own members).

So a display in another office or zone hears nothing of a call, and a phone learns nothing
of other tickets but that the queue moved.

Importing this module does not import Flask: the app's ``socketio`` object is made on first
use (PEP 562), so a worker or script can use :class:`ExternalPublisher` without Flask.
"""

from __future__ import annotations

import logging
import os
import queue
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from reception.kernel.ports import USER_SIGNED_OUT, DomainEvent
from reception.platform.cache import TtlCache
from reception.platform.speech import announcements, go_to

if TYPE_CHECKING:
    from flask_socketio import SocketIO

log = logging.getLogger(__name__)

DISPLAY_NS = "/display"
TICKET_NS = "/ticket"
DESK_NS = "/desk"
KIOSK_NS = "/kiosk"
HALL_NS = "/hall"

# Events a wall display hears in full; the rest only move the version (and the counts).
CALL_EVENTS = {"called": "called", "recalled": "recalled"}
# The office's suspension (air-raid alert, blackout): every screen of the office hears it by name.
SUSPENSION_EVENTS = frozenset({"suspended", "resumed"})
# A kiosk printed a slip or failed to: only staff screens care (no version move, no display hint).
PRINT_EVENTS = frozenset({"printed", "print_failed"})
ALERTS_CHANGED = "alerts_changed"  # reception.alerts.evaluate: the office's open alerts changed (decision 040)

_socketio: SocketIO | None = None


def __getattr__(name: str) -> Any:
    """``realtime.socketio``: the app's Flask-SocketIO extension, created on first use."""
    global _socketio
    if name == "socketio":
        if _socketio is None:
            from flask_socketio import SocketIO

            _socketio = SocketIO()
        return _socketio
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


Emit = Callable[..., Any]


def office_room(office_code: str) -> str:
    return f"office:{office_code}"


def calls_room(office_code: str) -> str:
    return f"office:{office_code}:calls"


def zone_room(office_code: str, zone: str) -> str:
    return f"office:{office_code}:zone:{zone}"


def zoned_room(office_code: str) -> str:
    """Every display of the office with a zone (each is in its zone's room too)."""
    return f"office:{office_code}:zoned"


# Room names are made of codes and zones, printable all: this separator can only be ours.
_EXCEPT = "\x1f"


def room_except(room: str, skipped: str) -> str:
    """The sockets of ``room`` that are not in ``skipped``, as one emit's address.

    No socket joins it: every process's manager resolves it over its own sockets
    (:func:`client_manager`), so it travels through Redis as a name, where a list of socket ids
    would name only the emitting process's sockets."""
    return f"{room}{_EXCEPT}{skipped}"


def service_room(office_code: str, service_code: str) -> str:
    return f"office:{office_code}:service:{service_code}"


def ticket_room(public_token: str) -> str:
    return f"ticket:{public_token}"


def device_room(device_id: int) -> str:
    """The sockets of one paired display: told when its token is revoked."""
    return f"device:{device_id}"


def user_room(user_id: int) -> str:
    """The staff sockets of one user (desk consoles, hall views): closed when their rights go."""
    return f"user:{user_id}"


STAFF_NAMESPACES = (DESK_NS, HALL_NS)


def call_payload(event: DomainEvent, *, english: bool = True) -> dict[str, Any]:
    """The ``called`` / ``recalled`` payload of the display contract plus the announcement texts (additive keys)."""
    payload = dict(event.payload)
    desk_uk = payload.get("desk_name_uk") or payload.get("desk") or ""
    payload |= announcements(str(payload.get("code", "")), desk_uk, payload.get("desk_name_en"), english=english)
    return payload


def ticket_hint(event: DomainEvent) -> dict[str, Any]:
    """What the phone page learns at once from its own ticket's event (no position: it refetches)."""
    p = event.payload
    hint: dict[str, Any] = {"version": event.version, "event": event.name, "code": p.get("code"),
                            "status": p.get("status"), "partial": True}
    if event.name in CALL_EVENTS and event.desk_code:
        hint |= {"desk": p.get("desk"), "desk_name_uk": p.get("desk_name_uk"), "desk_name_en": p.get("desk_name_en")}
        hint |= go_to(p.get("desk_name_uk"), p.get("desk_name_en"))
    return hint


def display_hint(event: DomainEvent) -> dict[str, Any]:
    """A display's ``queue`` hint: the new version, the counts, and a ticket's new status (a finished
    or abandoned call leaves the main card)."""
    hint = {"version": event.version, "event": event.name}
    if "code" in event.payload:
        hint |= {"code": event.payload["code"], "status": event.payload.get("status")}
    if "waiting" in event.payload:
        hint["waiting"] = event.payload["waiting"]
    return hint


Close = Callable[[str, str], Any]  # (room, namespace): disconnect the room's sockets (``client_manager``)


def fan_out(emit: Emit, event: DomainEvent, *, english: bool = True, close: Close | None = None) -> None:
    """Route one domain event to the rooms that care about it.

    ``english``: whether the office also announces in English (``OfficeSettings.announce_en``).
    ``close``: disconnects a room's sockets server-side (revoked displays, signed-out users).
    """
    if event.name == USER_SIGNED_OUT:  # about a person, not an office
        room = user_room(int(event.payload["user"]))
        for namespace in STAFF_NAMESPACES:
            emit("signed_out", {}, namespace=namespace, to=room)  # the page reloads (sign-in, or its new rights)
            if close is not None:
                close(room, namespace)
        return
    office = event.office_code
    emit("hint", {"version": event.version, "event": event.name}, namespace=HALL_NS, to=office_room(office))
    if event.name in PRINT_EVENTS:
        emit("queue", {"version": event.version, "event": event.name}, namespace=DESK_NS, to=office_room(office))
        return
    if event.name == ALERTS_CHANGED:  # the office's open alerts changed: hall views (above) and managers' consoles
        emit("alerts", {"alerts": event.payload.get("alerts")}, namespace=DESK_NS, to=office_room(office))
        return
    if event.name == "device_revoked":  # that display reloads into "not paired"; the rest just move on
        emit("revoked", {"version": event.version}, namespace=DISPLAY_NS, to=device_room(int(event.payload["device"])))
        if close is not None:  # and the server ends its sockets, whatever the client does with the hint
            close(device_room(int(event.payload["device"])), DISPLAY_NS)
    if event.name in SUSPENSION_EVENTS:
        _fan_out_suspension(emit, event, english=english)
        return
    # One frame per display and change (at 500 displays the frames are the cost, docs/load.md).
    call_name = CALL_EVENTS.get(event.name)
    if call_name and event.desk_code:
        # The call, with its version and counts, to the displays that show it; the version and counts
        # alone to the zoned displays that do not (no false gap, no snapshot asked at every call elsewhere).
        if event.zone:
            shown = [calls_room(office), zone_room(office, event.zone)]
            others = room_except(zoned_room(office), zone_room(office, event.zone))
        else:
            shown, others = [calls_room(office)], zoned_room(office)
        emit(call_name, call_payload(event, english=english), namespace=DISPLAY_NS, to=shown)
        emit("queue", display_hint(event), namespace=DISPLAY_NS, to=others)
    elif "code" not in event.payload or "waiting" in event.payload:
        emit("queue", display_hint(event), namespace=DISPLAY_NS, to=office_room(office))
    # else the visit a call ended (a ticket's event without counts): the displays learn it from the
    # call that follows, with the counts and the version (a desk's new call ends its earlier one on the board).
    emit("queue", {"version": event.version, "event": event.name, "code": event.payload.get("code")},
         namespace=DESK_NS, to=office_room(office))
    if event.public_token:
        emit("status", ticket_hint(event), namespace=TICKET_NS, to=ticket_room(event.public_token))
    service = event.payload.get("service")
    if service:
        emit("queue", {"version": event.version}, namespace=TICKET_NS, to=service_room(office, str(service)))


def _fan_out_suspension(emit: Emit, event: DomainEvent, *, english: bool) -> None:
    """``suspended`` / ``resumed`` to the office's displays (with the notice and what to say),
    desk consoles (the version moved too), phone pages and kiosks (which then refetch)."""
    office, name = event.office_code, event.name
    payload = dict(event.payload)
    if not english:
        payload.pop("announce_en", None)
    emit(name, payload, namespace=DISPLAY_NS, to=office_room(office))
    emit(name, payload, namespace=DESK_NS, to=office_room(office))
    emit("queue", {"version": event.version, "event": name}, namespace=DESK_NS, to=office_room(office))
    emit(name, {"version": event.version, "event": name}, namespace=TICKET_NS, to=office_room(office))
    # The kiosk stops issuing as soon as the display shows the alert, not at its next menu poll.
    emit(name, {"version": event.version, "event": name}, namespace=KIOSK_NS, to=office_room(office))


ANNOUNCE_SETTING_TTL_S = 30.0  # a changed "announce in English" shows within this


def settings_from_db(db: Any) -> Callable[[str], bool]:
    """Whether an office announces in English (``OfficeSettings.announce_en``), read from ``db`` and
    cached briefly: a call's publishing costs one dictionary lookup."""
    from sqlalchemy import select

    from reception.offices.models import Office
    from reception.offices.rules import OfficeSettings

    def lookup(office_code: str) -> bool:
        try:
            with db.read() as s:
                settings = s.scalar(select(Office.settings).where(Office.code == office_code))
            return OfficeSettings.from_json(settings).announce_en
        except Exception:  # a failed lookup must not stop the call from being shown
            log.exception("announce_en lookup failed for %s", office_code)
            return False

    return TtlCache(lookup, ANNOUNCE_SETTING_TTL_S)


# --- the message queue: Redis, and this process's own clients while Redis is away ---------------

REDIS_TIMEOUT_S = 1.0  # a Redis that does not answer costs an event this, not a kiosk's whole wait
REDIS_RETRY_S = 1.0  # how often a process away from Redis asks again: events flow again within this


def _end_members(manager: Any, room: str, namespace: str | None) -> None:
    """``close_room`` means "disconnect the room's sockets" here: revocation reaches open sockets."""
    namespace = namespace or "/"
    members = [sid for sid, _eio in manager.get_participants(namespace, room)]
    for sid in members:
        manager.server.disconnect(sid, namespace=namespace, ignore_queue=True)  # leaves every room too


class _RoomsExcept:
    """Mixed into the client managers: resolves :func:`room_except` names (here and, through Redis,
    in every process, since each delivers an emit to its own sockets through this)."""

    rooms: dict[str, dict[str, Any]]

    def get_participants(self, namespace: str, room: Any) -> Iterator[tuple[str, str]]:
        if isinstance(room, str) and _EXCEPT in room:
            room, skipped = room.split(_EXCEPT, 1)
            skip = self.rooms.get(namespace, {}).get(skipped) or {}
            for sid, eio_sid in super().get_participants(namespace, room):  # type: ignore[misc]
                if sid not in skip:
                    yield sid, eio_sid
            return
        yield from super().get_participants(namespace, room)  # type: ignore[misc]


def client_manager(url: str | None) -> Any:
    """The Socket.IO client manager: this process alone without ``url``, through Redis with a Redis
    ``url`` (None for another message queue, which Flask-SocketIO's own managers serve).

    In both, ``close_room`` disconnects the room's sockets server-side (through Redis the request
    reaches every process, and each disconnects its own members at once), and :func:`room_except`
    addresses resolve. (Under another message queue they reach nobody: a zoned display then hears of
    another zone's call at its next event, as a gap, and asks for a snapshot.)

    python-socketio's RedisManager, with two changes for an outage (decision 030): a publish that
    fails is dropped at once (the emitting process's own clients have the event already: the manager
    delivers locally before it publishes) and Redis is not asked again for ``REDIS_RETRY_S``; the
    listener reconnects every ``REDIS_RETRY_S`` instead of backing off to a minute, so the processes
    hear each other again within about a second of Redis's return.
    """
    import socketio as sio

    from reception.http.frames import SharedFramesManager

    # SharedFramesManager: a room's event is framed once and written to each idle websocket (frames.py);
    # through Redis it sits under RedisManager, so the events heard from other processes are shared too.
    if not url:
        class ClosingManager(_RoomsExcept, SharedFramesManager):
            def close_room(self, room: str, namespace: str | None) -> None:
                _end_members(self, room, namespace)

        return ClosingManager()
    if not url.startswith(("redis://", "rediss://")):
        return None
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    redis_url: str = url

    class ResilientRedisManager(_RoomsExcept, sio.RedisManager, SharedFramesManager):
        def __init__(self) -> None:
            super().__init__(redis_url, channel="flask-socketio",
                             redis_options={"socket_connect_timeout": REDIS_TIMEOUT_S})
            # Its own client, with a read timeout too (the listener's must block while all is quiet).
            self._publisher = redis.Redis.from_url(redis_url, socket_connect_timeout=REDIS_TIMEOUT_S,
                                                   socket_timeout=REDIS_TIMEOUT_S, retry=Retry(NoBackoff(), 0))
            self._quiet_until = 0.0

        def _publish(self, data: Any) -> None:
            if time.monotonic() < self._quiet_until:
                return
            try:
                self._publisher.publish(self.channel, self.json.dumps(data))
            except redis.RedisError:
                if not self._quiet_until:
                    log.warning("live events: Redis does not answer; only this process's screens hear its events")
                self._quiet_until = time.monotonic() + REDIS_RETRY_S
            else:
                if self._quiet_until:
                    log.warning("live events: Redis answers again; events reach every process")
                self._quiet_until = 0.0

        def _handle_close_room(self, message: dict[str, Any]) -> None:  # here and from other processes
            _end_members(self, str(message.get("room")), message.get("namespace"))

        def _redis_listen_with_retries(self) -> Any:
            subscribed = False
            while True:
                try:
                    if not subscribed:
                        self._redis_connect()
                        self.pubsub.subscribe(self.channel)
                        subscribed = True
                    yield from self.pubsub.listen()
                except Exception:
                    if subscribed:
                        log.warning("live events: lost Redis; listening again every %.0f s", REDIS_RETRY_S)
                    subscribed = False
                    time.sleep(REDIS_RETRY_S)

    return ResilientRedisManager()


class SocketIOPublisher:
    """Publishes through the app's SocketIO server (and so through Redis when configured).

    ``background`` (under gevent): one greenlet of the process fans the events out, in the order they
    were published, so the request that published answers first. A room's frames are written in the
    emitting greenlet (reception/http/frames.py): in the request, 500 displays' writes would come
    before the desk's answer (they came after it while each display's own greenlet wrote them), and
    so would a round trip to Redis."""

    def __init__(self, server: SocketIO, english_for: Callable[[str], bool] | None = None, *,
                 background: bool = False) -> None:
        self.server = server
        self.english_for = english_for or (lambda _office_code: True)  # scripts: English included
        self.background = background
        self._pending: queue.Queue[DomainEvent] | None = None
        self._pending_pid = 0

    def publish(self, event: DomainEvent) -> None:
        if not self.background:
            self.send(event)
            return
        if self._pending_pid != os.getpid():  # started where it serves: the app is built before the fork
            self._pending, self._pending_pid = queue.Queue(), os.getpid()
            self.server.start_background_task(self._drain, self._pending)
        assert self._pending is not None
        self._pending.put(event)

    def _drain(self, pending: queue.Queue[DomainEvent]) -> None:
        while True:
            self.send(pending.get())

    def send(self, event: DomainEvent) -> None:
        """Fans ``event`` out now, in the caller's greenlet or thread."""
        try:
            fan_out(self.server.emit, event, english=self.english_for(event.office_code) if event.office_code else True,
                    close=lambda room, namespace: self.server.close_room(room, namespace=namespace))
        except Exception:  # a broken push must never undo a committed ticket
            log.exception("publishing %s failed", event.name)


class ExternalPublisher:
    """Emits from a process without Flask (a worker, a script) through Redis.

    ``db`` (optional) lets it honour the offices' ``announce_en``; without it the English
    announcement is always included.  Use the same Redis URL (and channel) as the servers.
    """

    def __init__(self, redis_url: str, *, db: Any = None, channel: str = "flask-socketio") -> None:
        import socketio as sio

        self.manager = sio.RedisManager(redis_url, channel=channel, write_only=True)
        self.settings = settings_from_db(db) if db is not None else None

    def _emit(self, name: str, data: Any, namespace: str, to: str) -> None:
        self.manager.emit(name, data, namespace=namespace, room=to)

    def publish(self, event: DomainEvent) -> None:
        english = self.settings(event.office_code) if self.settings and event.office_code else True
        try:
            fan_out(self._emit, event, english=english,
                    close=lambda room, namespace: self.manager.close_room(room, namespace=namespace))
        except Exception:
            log.exception("publishing %s through Redis failed", event.name)


class RecordingPublisher:
    """Keeps events in memory: for tests and the simulator."""

    def __init__(self) -> None:
        self.events: list[DomainEvent] = []

    def publish(self, event: DomainEvent) -> None:
        self.events.append(event)

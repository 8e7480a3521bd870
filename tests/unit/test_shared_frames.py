"""A room's event is framed once and the same bytes go to every idle websocket (reception/http/frames.py);
a client with anything still on its way (queued, or unread in the kernel) gets it through its own queue,
behind what it has not had yet, and a long-polling client the library's way. No gevent here: the
manager's choices, on real sockets."""

from __future__ import annotations

import queue
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import socketio
from wsproto.frame_protocol import FrameProtocol

from reception.http.frames import SharedFramesManager, Wire, text_frame

pytestmark = pytest.mark.one_suite("sqlite")  # no database

NS, ROOM = "/display", "office:T1:calls"


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536])
def test_the_frame_is_what_the_websocket_library_writes(size: int) -> None:
    text = ("42/display,[\"called\",\"Талон\"]" * (size // 20 + 1))[:size]
    assert text_frame(text) == FrameProtocol(client=False, extensions=[]).send_data(text, fin=True)


class FakeEioSocket:
    """What the manager reads of an Engine.IO socket upgraded to a websocket."""

    upgrading, upgraded, closing, closed = False, True, False, False

    def __init__(self) -> None:
        self.queue: queue.Queue[Any] = queue.Queue()

    def check_ping_timeout(self) -> bool:
        return True


class NonBlocking:
    """A socket with gevent's ``send(data, flags, timeout)``: timeout 0 never waits."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def fileno(self) -> int:
        return self.sock.fileno()

    def send(self, data: bytes, flags: int, timeout: float) -> int:
        assert timeout == 0.0
        return self.sock.send(data, flags | socket.MSG_DONTWAIT)


class FakeWebSocket:
    connected = True

    def __init__(self, sock: socket.socket) -> None:
        self.sock = NonBlocking(sock)


class Hall:
    """A manager with displays in one room: ``wired`` websockets (their far ends to read) and ``polling`` ones."""

    def __init__(self, wired: int, polling: int) -> None:
        self.manager = SharedFramesManager()
        self.server = socketio.Server(client_manager=self.manager, async_mode="threading")
        self.queued: list[tuple[str, str]] = []  # (eio sid, Engine.IO text) the library's path was given
        self.server._send_eio_packet = lambda eio_sid, pkt: self.queued.append((eio_sid, pkt.encode()))
        self.manager.wires = {}
        self.far: dict[str, socket.socket] = {}
        self.eio: dict[str, FakeEioSocket] = {}
        for n in range(wired + polling):
            eio_sid = f"e{n}"
            sid = self.manager.connect(eio_sid, NS)
            self.manager.enter_room(sid, NS, ROOM)
            if n < wired:
                near, far = socket.socketpair()
                self.far[eio_sid], self.eio[eio_sid] = far, FakeEioSocket()
                self.manager.wires[eio_sid] = Wire(self.eio[eio_sid], FakeWebSocket(near))

    def read(self, eio_sid: str) -> bytes:
        far = self.far[eio_sid]
        far.setblocking(False)
        try:
            return far.recv(1 << 20)
        except BlockingIOError:
            return b""

    def close(self) -> None:
        for far in self.far.values():
            far.close()
        for wire in (self.manager.wires or {}).values():
            wire.ws.sock.sock.close()


@pytest.fixture
def hall() -> Iterator[Hall]:
    h = Hall(wired=3, polling=1)
    yield h
    h.close()


CALL = {"code": "А017", "desk": "1", "version": 7}
# What the library itself sends for it (Engine.IO MESSAGE "4", then the Socket.IO packet; its JSON escapes "А").
WIRE_TEXT = "4" + socketio.packet.Packet(socketio.packet.EVENT, namespace=NS, data=["called", CALL]).encode()


def test_every_idle_display_gets_the_same_frame_once_and_a_polling_one_its_packet(hall: Hall) -> None:
    hall.manager.emit("called", CALL, NS, to=ROOM)
    for eio_sid in hall.far:
        assert hall.read(eio_sid) == text_frame(WIRE_TEXT)  # once, whole, the same bytes for all
    assert hall.queued == [("e3", WIRE_TEXT)]  # the long-polling display: the library's own path


def test_a_display_with_a_packet_queued_gets_the_next_behind_it(hall: Hall) -> None:
    hall.eio["e0"].queue.put("ping")  # its writer has not sent this yet
    hall.manager.emit("called", CALL, NS, to=ROOM)
    assert hall.read("e0") == b""
    assert ("e0", WIRE_TEXT) in hall.queued
    assert hall.read("e1") == text_frame(WIRE_TEXT)


def test_a_display_that_has_not_read_its_last_frame_gets_the_next_through_its_queue(hall: Hall) -> None:
    """A slow reader: the kernel still holds bytes for it, so the next frame waits in its queue (and its
    own writer) rather than being written beside them; the others are not held."""
    hall.manager.emit("called", CALL, NS, to=ROOM)
    for eio_sid in ("e1", "e2"):
        hall.read(eio_sid)
    hall.manager.emit("recalled", CALL, NS, to=ROOM)
    recalled = WIRE_TEXT.replace('"called"', '"recalled"', 1)
    assert hall.read("e0") == text_frame(WIRE_TEXT)  # the first only
    assert ("e0", recalled) in hall.queued
    assert hall.read("e1") == hall.read("e2") == text_frame(recalled)


def test_skipped_sids_and_acknowledged_emits_keep_the_library_s_behaviour(hall: Hall) -> None:
    skipped = hall.manager.sid_from_eio_sid("e0", NS)
    hall.manager.emit("called", CALL, NS, to=ROOM, skip_sid=skipped)
    assert hall.read("e0") == b"" and hall.read("e1") == hall.read("e2") == text_frame(WIRE_TEXT)
    hall.queued.clear()
    hall.manager.emit("called", CALL, NS, to=ROOM, callback=lambda *a: None)  # one ack id per client: no sharing
    assert hall.read("e2") == b""

"""One event to a room, the same bytes to every socket in it: the last mile of the display fan-out.

python-socketio already encodes a room's packet once (Socket.IO, then Engine.IO), but then hands it
to each client's Engine.IO queue; a greenlet per client wakes, frames it for the websocket
(wsproto) and writes it. At 500 displays that is 500 queue hand-offs, greenlet switches and framings
per call (issue 27). Here, under gevent, the client manager also frames the message once and writes
those bytes straight to each websocket that is idle, in the emitting greenlet; any other client
(long-polling, mid-upgrade, something still queued for it, or a kernel send buffer not yet empty: a
slow reader) gets the packet through its own queue as before, so a slow display never holds the
others, and every client still receives its packets in the order they were emitted.

Below the libraries' public API, and why (each of these has no public hook):

* The websocket of an Engine.IO socket is known only inside ``Socket._websocket_handler``; the
  websocket class in ``engineio.Server._async`` is wrapped to register it (:func:`share_frames`).
* The same wrapper drops the client's ``permessage-deflate`` offer (simple-websocket accepts it and
  has no option to refuse): with it each socket compresses every frame with its own history, so no
  two displays' bytes are alike, and each holds ~90 kB of zlib state. Our frames are a few hundred
  bytes on a LAN (the node ``ws`` library and engine.io also leave it off by default).
* The frame is written to the websocket's socket, beside simple-websocket: the frame (RFC 6455 text
  frame, unmasked as from a server, no extension) is what wsproto would write, byte for byte
  (tests/unit/test_shared_frames.py), and wsproto keeps no state across whole unfragmented messages.

Atomicity: greenlets switch only when one waits. Checking that nothing is queued for a client (its
writer greenlet then waits in its queue or on a full socket) and that the kernel has nothing unsent
for it, then a non-blocking send, happen with no switch in between, so a direct write never cuts
into one of the writer's. Only under gevent: under threads (tests, ``--dev``) nothing is shared.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import socket
import struct
import termios
from typing import Any

import socketio as sio
from engineio import packet as eio_packet
from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI
from socketio import packet as sio_packet

log = logging.getLogger(__name__)

DIRECT_MAX = 4096  # bytes: a frame this small fits a socket's send buffer when the kernel holds nothing for it


def text_frame(text: str) -> bytes:
    """A whole websocket text message as a server sends it (FIN, opcode 1, unmasked, no extension)."""
    payload = text.encode()
    n = len(payload)
    if n < 126:
        head = bytes((0x81, n))
    elif n < 1 << 16:
        head = bytes((0x81, 126)) + n.to_bytes(2, "big")
    else:
        head = bytes((0x81, 127)) + n.to_bytes(8, "big")
    return head + payload


def _unsent(sock: Any) -> int:
    """Bytes the kernel still holds for this TCP socket (not yet sent or not yet acknowledged)."""
    return int(struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0"))[0])


class Wire:
    """An Engine.IO socket whose transport is a websocket, and that websocket (simple-websocket)."""

    __slots__ = ("eio", "ws")

    def __init__(self, eio: Any, ws: Any) -> None:
        self.eio, self.ws = eio, ws

    def write(self, frame: bytes) -> bool:
        """Writes ``frame`` if nothing is waiting to go to this client; False: send it through its queue."""
        s = self.eio
        if s.upgrading or not s.upgraded or s.closing or s.closed or not self.ws.connected or s.queue.qsize():
            return False
        if not s.check_ping_timeout():
            return True  # gone silent: the library has closed it, as its own send would have (nothing sent)
        sock = self.ws.sock
        try:
            if _unsent(sock):  # a slow reader, or the writer blocked on a full buffer: keep its order
                return False
            sent = sock.send(frame, 0, 0.0)  # gevent: timeout 0 raises rather than waits (and switches)
        except OSError:  # would block, or the socket is going: its queue (and the writer's error path) take it
            return False
        if sent < len(frame):  # not seen with the kernel's buffer empty; a cut frame cannot be mended
            log.warning("live events: a frame was cut short; closing the socket (the client reconnects)")
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        return True


class SharedFramesManager(sio.Manager):
    """A client manager whose room emits write one framed message to every idle websocket.

    ``emit`` is the manager's extension point; the packet is built as ``socketio.Manager.emit``
    builds it, and every client it does not write to directly gets the library's own send."""

    wires: dict[str, Wire] | None = None  # by Engine.IO sid; set by :func:`share_frames` (gevent only)

    def emit(self, event: str, data: Any, namespace: str, room: Any = None, skip_sid: Any = None,
             callback: Any = None, to: Any = None, **kwargs: Any) -> Any:
        if callback or not self.wires:
            return super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, to=to,
                                **kwargs)
        room = to or room
        if namespace not in self.rooms:
            return None
        args = list(data) if isinstance(data, tuple) else [] if data is None else [data]
        encoded = self.server.packet_class(sio_packet.EVENT, namespace=namespace, data=[event, *args]).encode()
        if isinstance(encoded, list):  # binary attachments: several Engine.IO packets, the library's way
            return super().emit(event, data, namespace, room=room, skip_sid=skip_sid, to=to, **kwargs)
        eio_pkt = eio_packet.Packet(eio_packet.MESSAGE, encoded)
        frame = text_frame(eio_pkt.encode())
        direct = len(frame) <= DIRECT_MAX
        skip = skip_sid if isinstance(skip_sid, list) else [skip_sid]
        wires = self.wires
        for sid, eio_sid in self.get_participants(namespace, room):
            if sid in skip:
                continue
            wire = wires.get(eio_sid) if direct else None
            if wire is None or not wire.write(frame):
                self.server._send_eio_packet(eio_sid, eio_pkt)  # the library's path: the client's queue
        return None


def share_frames(server: Any) -> None:
    """Lets ``server``'s manager (a :class:`SharedFramesManager`) write to its websockets directly.

    ``server``: a python-socketio ``Server`` in gevent mode. Wraps Engine.IO's websocket class
    (``_async["websocket"]``, private: see the module's docstring) so each websocket registers
    while it is open, and refuses compression."""
    manager = server.manager
    if not isinstance(manager, SharedFramesManager):
        return
    wires: dict[str, Wire] = {}
    eio = server.eio
    base = eio._async["websocket"]
    if not (isinstance(base, type) and issubclass(base, SimpleWebSocketWSGI)):  # gevent-websocket: not ours to frame
        return

    class RegisteredWebSocket(base):  # type: ignore[misc, valid-type]
        def __init__(self, handler: Any, eio_server: Any) -> None:
            eio_socket = handler.__self__  # the bound Socket._websocket_handler of this Engine.IO socket

            def registered(ws: Any) -> Any:
                wires[eio_socket.sid] = Wire(eio_socket, ws.ws)
                try:
                    return handler(ws)
                finally:
                    wires.pop(eio_socket.sid, None)

            super().__init__(registered, eio_server)

        def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
            environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)  # no permessage-deflate (see the docstring)
            return super().__call__(environ, start_response)

    eio._async = {**eio._async, "websocket": RegisteredWebSocket}
    manager.wires = wires

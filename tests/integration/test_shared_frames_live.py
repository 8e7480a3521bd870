"""Every wall display in a room hears each call once, as the very same bytes (reception/http/frames.py):
a real `reception serve` process (gevent) and displays that speak the websocket protocol on a bare
socket, so the frames are read as they came off the wire. They offer compression as browsers do; the
server declines it, since a compressed frame differs from socket to socket."""

from __future__ import annotations

import base64
import json
import os
import socket
from typing import Any

import pytest

from reception.http.frames import text_frame
from tests.integration.test_slow_clients import served  # noqa: F401  (the fixture: a served office)

# The subject is the server's sockets, not the database behind it: in CI's paired run, once.
pytestmark = [pytest.mark.slow, pytest.mark.one_suite("postgresql")]

DISPLAYS = 4


class RawDisplay:
    """A /display client on a bare socket: the handshake as a browser sends it, then whole frames as read."""

    def __init__(self, port: int, token: str) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                           f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n"
                           "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        self.handshake = head.decode().lower()
        assert self.handshake.startswith("http/1.1 101"), self.handshake
        assert "sec-websocket-extensions" not in self.handshake  # compression declined
        assert self.frame()[1].startswith("0")  # Engine.IO's open
        self.send("40/display," + json.dumps({"token": token}))
        opened = [self.frame()[1] for _ in range(2)]  # the snapshot (sent by the connect handler), then the ack
        assert opened[0].startswith('42/display,["snapshot"') and opened[1].startswith("40/display,"), opened

    def _fill(self) -> None:
        got = self.sock.recv(65536)
        assert got, "the server closed the display"
        self.buffer += got

    def _take(self, n: int) -> bytes:
        while len(self.buffer) < n:
            self._fill()
        taken, self.buffer = self.buffer[:n], self.buffer[n:]
        return taken

    def frame(self) -> tuple[bytes, str]:
        """The next whole frame as it came (header and payload) and its text."""
        head = self._take(2)
        size = head[1] & 0x7F
        extra = self._take({126: 2, 127: 8}.get(size, 0))
        if extra:
            size = int.from_bytes(extra, "big")
        payload = self._take(size)
        return head + extra + payload, payload.decode(errors="replace")

    def send(self, text: str) -> None:
        data, mask = text.encode(), os.urandom(4)
        assert len(data) < 126
        self.sock.sendall(bytes((0x81, 0x80 | len(data))) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def frames_until(self, code: str) -> list[tuple[bytes, str]]:
        """Every frame up to the call of ``code`` (answering Engine.IO's pings on the way)."""
        heard = []
        while True:
            raw, text = self.frame()
            if text == "2":
                self.send("3")
                continue
            heard.append((raw, text))
            if text.startswith('42/display,["called"') and json.loads(text[len("42/display,"):])[1]["code"] == code:
                return heard


def test_every_display_hears_each_call_once_as_the_same_bytes(served) -> None:  # noqa: F811
    server, office = served
    displays = [RawDisplay(server.port, office.display) for _ in range(DISPLAYS)]
    try:
        first, second = office.issue(server.url), office.issue(server.url)
        operator = office.login(server.url)
        assert office.desk(server.url, operator, "open").status_code == 200
        codes = []
        for _ in range(2):
            r = office.desk(server.url, operator, "call-next")
            assert r.status_code == 200, r.text
            codes.append(r.json()["code"])
        assert codes == [first["code"], second["code"]]

        heard = [d.frames_until(codes[-1]) for d in displays]
        assert all(h == heard[0] for h in heard)  # every frame, byte for byte, alike on every display
        calls: list[Any] = [(raw, text) for raw, text in heard[0] if text.startswith('42/display,["called"')]
        assert [json.loads(text[len("42/display,"):])[1]["code"] for _, text in calls] == codes  # each call once
        for raw, text in heard[0]:
            assert raw == text_frame(text)  # a whole text frame, uncompressed (RSV1 clear)
    finally:
        for d in displays:
            d.sock.close()

"""Slow and silent clients never stop the kiosks (decision 029): a real `reception serve` process.

Hundreds of connections that send their headers one line at a time, and hundreds that send
nothing, are open at once (more than any worker's thread pool: gunicorn's gthread worker read
headers with a blocking socket and no deadline, so they held every thread), and a kiosk ticket
still answers at once; the server closes each of them once its header deadline has passed.
"""

from __future__ import annotations

import selectors
import socket
import time
from collections.abc import Iterator

import pytest
import requests

from reception.ops.server import HEADER_DEADLINE_S
from tests.integration.test_realtime_multiprocess import FreshOffice
from tests.servers import Server

# The subject is the server's sockets, not the database behind it: in CI's paired run, once.
pytestmark = [pytest.mark.slow, pytest.mark.one_suite("postgresql")]

SLOW, SILENT = 250, 250  # gthread's default pool was 200 threads


@pytest.fixture
def served(db, db_url) -> Iterator[tuple[Server, FreshOffice]]:
    office = FreshOffice(db)
    server = Server(db_url).start()
    try:
        yield server, office
    finally:
        server.stop()


def _open(port: int, first: bytes) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    if first:
        s.sendall(first)
    return s


def _open_until(sockets: list[socket.socket], deadline: float) -> list[socket.socket]:
    """Those of ``sockets`` the server has not closed by ``deadline`` (monotonic): watched all at once,
    so the wait ends as soon as the last one closes."""
    still_open = set(sockets)
    with selectors.DefaultSelector() as watch:
        for s in sockets:
            watch.register(s, selectors.EVENT_READ, s)
        while still_open and (left := deadline - time.monotonic()) > 0:
            for key, _ in watch.select(left):  # a close (or reset) by the server makes a socket readable
                s = key.data
                try:
                    closed = s.recv(1024) == b""
                except OSError:
                    closed = True
                if closed:
                    watch.unregister(s)
                    still_open.discard(s)
    return list(still_open)


def test_a_kiosk_ticket_answers_while_slow_and_silent_clients_hold_connections(served) -> None:
    server, office = served
    request_line = f"GET /kiosk/ HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n".encode()
    slow = [_open(server.port, request_line) for _ in range(SLOW)]
    silent = [_open(server.port, b"") for _ in range(SILENT)]
    try:
        time.sleep(0.5)
        for n, s in enumerate(slow):  # a header line, never the blank line that ends the headers
            s.sendall(f"X-Slow: {n}\r\n".encode())
        started = time.monotonic()
        r = requests.post(f"{server.url}/api/v1/kiosk/tickets", json={"service": "consult"},
                          headers={"Authorization": f"Bearer {office.kiosk}"}, timeout=10)
        took = time.monotonic() - started
        assert r.status_code == 201, r.text
        assert took < 3, f"the kiosk's ticket took {took:.1f} s behind {SLOW} slow and {SILENT} silent clients"

        # Nobody holds on for ever: past the header deadline the server has closed all of them.
        still_open = _open_until(slow + silent, started + HEADER_DEADLINE_S + 1.5)
        assert not still_open, f"{len(still_open)} connections still open after the header deadline"
    finally:
        for s in slow + silent:
            s.close()

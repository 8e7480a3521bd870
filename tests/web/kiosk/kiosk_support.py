"""Kiosk test support: printers that fail, fake network printers on 127.0.0.1, small queries."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from typing import Any

from sqlalchemy import select

from reception.kernel.ports import PrintOutcome, TicketSlip
from reception.queue.models import Ticket, TicketEvent
from tests.fakes import use_printers


def use_printer(app: Any, printer: Any) -> None:
    use_printers(app, lambda url: printer)


class RaisingPrinter:
    """A printer driver that breaks the TicketPrinter promise and raises."""

    def print_slip(self, slip: TicketSlip) -> PrintOutcome:
        raise RuntimeError("driver crashed")


def events(db: Any, kind: str) -> list[TicketEvent]:
    with db.read() as s:
        return list(s.scalars(select(TicketEvent).where(TicketEvent.kind == kind).order_by(TicketEvent.id)))


def tickets(db: Any) -> list[Ticket]:
    with db.read() as s:
        return list(s.scalars(select(Ticket).order_by(Ticket.id)))


class FakeNetworkPrinter:
    """A raw-9100 TCP printer on 127.0.0.1 that misbehaves: ``refuse``, ``stall`` or ``reset``.

    ``refuse``: nothing listens on the port.  ``stall``: accepts and never reads (a tiny receive
    buffer, so the job backs up).  ``reset``: reads a little of the job, then sends RST.
    """

    def __init__(self, behaviour: str) -> None:
        self.behaviour = behaviour
        self.connections = 0
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        if behaviour == "refuse":
            probe = socket.create_server(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
            probe.close()
            self.server = None
            return
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        assert self.server is not None
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            if self.behaviour == "stall":
                self._held.append(conn)
                continue
            conn.settimeout(5)
            with contextlib.suppress(OSError):
                conn.recv(1024)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()  # RST mid-job

    def close(self) -> None:
        self._stop.set()
        for conn in self._held:
            conn.close()
        if self.server is not None:
            self._thread.join(2)
            self.server.close()


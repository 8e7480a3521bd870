"""Under gevent the publishing request does not wait for the fan-out: one background task of the process
sends the events, in the order they were published (reception/http/realtime.py, SocketIOPublisher)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from reception.http.realtime import SocketIOPublisher
from reception.kernel.ports import DomainEvent

pytestmark = pytest.mark.one_suite("sqlite")  # no database


class SlowServer:
    """A SocketIO stand-in whose emits wait for ``gate``; background tasks are threads here."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.emitted: list[tuple[str, Any]] = []
        self.heard = threading.Condition()

    def emit(self, name: str, data: Any, namespace: str, to: Any) -> None:
        self.gate.wait(10)
        with self.heard:
            self.emitted.append((name, data.get("version") if isinstance(data, dict) else None))
            self.heard.notify_all()

    def close_room(self, room: str, namespace: str) -> None:
        pass

    def start_background_task(self, target: Any, *args: Any) -> threading.Thread:
        task = threading.Thread(target=target, args=args, daemon=True)
        task.start()
        return task


def _call(version: int) -> DomainEvent:
    return DomainEvent(name="called", office_code="T1", version=version, desk_code="1",
                       payload={"code": f"А-{version:03d}", "desk": "1", "status": "called", "waiting": {},
                                                                        "version": version})


def test_publishing_returns_before_the_fan_out_which_keeps_the_order() -> None:
    server = SlowServer()
    publisher = SocketIOPublisher(server, background=True)
    for version in (1, 2, 3):
        publisher.publish(_call(version))  # returns although no emit can finish yet
    assert server.emitted == []
    server.gate.set()
    with server.heard:
        server.heard.wait_for(lambda: ("called", 3) in server.emitted, 10)
    calls = [version for name, version in server.emitted if name == "called"]
    assert calls == [1, 2, 3]


def test_without_background_the_fan_out_is_done_when_publish_returns() -> None:
    server = SlowServer()
    server.gate.set()
    SocketIOPublisher(server).publish(_call(1))
    assert ("called", 1) in server.emitted

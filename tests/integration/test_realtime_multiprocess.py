"""Live events across real `reception serve` processes: Redis fan-out, a Flask-free emitter,
and a display that reconnects by itself after the server is killed and started again."""

from __future__ import annotations

import os
import queue
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import socketio

from reception.accounts.models import User
from reception.kernel.identity import Actor
from reception.offices.models import Office
from reception.platform.clock import SystemClock
from reception.platform.db import Database
from tests.fakes import add_device, add_user, build_office
from tests.servers import Server

pytestmark = pytest.mark.slow

DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def _redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except Exception:
        return False


@pytest.fixture
def redis_url() -> str:
    """CI sets RECEPTION_TEST_REDIS_URL: then Redis must be there (fail, never skip)."""
    configured = os.environ.get("RECEPTION_TEST_REDIS_URL")
    url = configured or DEFAULT_REDIS
    if not _redis_reachable(url):
        if configured:
            pytest.fail(f"RECEPTION_TEST_REDIS_URL={configured} is set but Redis does not answer")
        pytest.skip(f"no Redis at {url} (set RECEPTION_TEST_REDIS_URL to require it)")
    return url


class FreshOffice:
    """A fresh office with a unique code, so concurrent runs sharing Redis never cross-talk."""

    def __init__(self, db: Database) -> None:
        self.code = "R" + secrets.token_hex(4).upper()
        self.clock = SystemClock()
        # Its desk calls back to back in real time: no double-click window.
        build_office(db, self.code, settings={"double_call_window_s": 0})
        self.kiosk = add_device(db, self.clock, "kiosk", self.code)  # type: ignore[arg-type]
        self.display = add_device(db, self.clock, "display", self.code)  # type: ignore[arg-type]
        self.operator = f"op{self.code.lower()}"
        add_user(db, self.clock, self.operator, ["operator"], [self.code])  # type: ignore[arg-type]

    def issue(self, base: str, service: str = "consult") -> dict[str, Any]:
        r = requests.post(f"{base}/api/v1/kiosk/tickets", json={"service": service},
                          headers={"Authorization": f"Bearer {self.kiosk}"}, timeout=10)
        assert r.status_code == 201, r.text
        return r.json()

    def login(self, base: str) -> str:
        r = requests.post(f"{base}/api/v1/auth/token", json={"username": self.operator, "password": "secret-pass-1"},
                          timeout=10)
        assert r.status_code == 200, r.text
        return r.json()["token"]

    def desk(self, base: str, token: str, action: str, desk: str = "1") -> requests.Response:
        return requests.post(f"{base}/api/v1/desks/{desk}/{action}?office={self.code}",
                             headers={"Authorization": f"Bearer {token}"}, timeout=10)


class DisplayClient:
    """A python-socketio client on /display that records what it hears (websocket transport)."""

    def __init__(self, url: str, token: str, transports: list[str] | None = None) -> None:
        self.events: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self.heard: list[tuple[float, str, dict[str, Any]]] = []  # (monotonic time, event, data), in order
        self.connects = 0
        # The wall display's own reconnect pacing (display/static/display/board.js).
        self.sio = socketio.Client(reconnection=True, reconnection_delay=1, reconnection_delay_max=2)
        for name in ("snapshot", "called", "recalled", "queue"):
            self.sio.on(name, lambda d, name=name: self._heard(name, d), namespace="/display")
        self.sio.on("connect", self._connected, namespace="/display")
        self.sio.connect(url, namespaces=["/display"], auth={"token": token}, transports=transports or ["websocket"],
                         wait_timeout=10)

    def _connected(self) -> None:
        self.connects += 1

    def _heard(self, name: str, data: dict[str, Any]) -> None:
        self.heard.append((time.monotonic(), name, data))
        self.events.put((name, data))

    def wait_for(self, name: str, predicate: Any = lambda d: True, timeout: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                got, data = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if got == name and predicate(data):
                return data
        raise AssertionError(f"no {name!r} event within {timeout} s")

    def close(self) -> None:
        self.sio.disconnect()


@pytest.fixture
def started() -> Iterator[list[Server]]:
    running: list[Server] = []
    yield running
    for server in running:
        server.stop()


def test_a_call_through_process_a_reaches_a_display_on_process_b(db, db_url, redis_url, started) -> None:
    office = FreshOffice(db)
    a = Server(db_url, redis_url).start()
    b = Server(db_url, redis_url).start()
    started += [a, b]
    display = DisplayClient(b.url, office.display)
    try:
        display.wait_for("snapshot")
        ticket = office.issue(a.url)
        token = office.login(a.url)
        assert office.desk(a.url, token, "open").status_code == 200
        sent = time.monotonic()
        r = office.desk(a.url, token, "call-next")
        assert r.status_code == 200, r.text
        event = display.wait_for("called", lambda d: d["code"] == ticket["code"], timeout=5)
        latency = time.monotonic() - sent
        assert event["desk"] == "1" and event["desk_name_uk"] == "Вікно 1"
        assert event["announce_uk"] == "Талон ка один, пройдіть до вікна номер один."
        assert latency < 2.0, f"cross-process latency {latency:.3f} s"
    finally:
        display.close()


def test_through_redis_a_call_is_one_frame_per_display(db, db_url, redis_url, started) -> None:
    """The call goes to process A, the displays sit on process B: each hears the call once, or (of
    another zone) its version and counts once, resolved by B's own manager (``room_except``)."""
    office = FreshOffice(db)
    clock = office.clock
    upstairs = add_device(db, clock, "display", office.code, zone="upstairs")  # type: ignore[arg-type]
    main = add_device(db, clock, "display", office.code, zone="main")  # type: ignore[arg-type]  # desk 1's zone
    a = Server(db_url, redis_url).start()
    b = Server(db_url, redis_url).start()
    started += [a, b]
    boards = {"all": DisplayClient(b.url, office.display), "main": DisplayClient(b.url, main),
              "upstairs": DisplayClient(b.url, upstairs)}
    try:
        for board in boards.values():
            board.wait_for("snapshot")
        for _ in range(2):
            office.issue(a.url)
        token = office.login(a.url)
        assert office.desk(a.url, token, "open").status_code == 200
        for _ in range(2):  # the second Next also ends the first visit: still one frame
            assert office.desk(a.url, token, "call-next").status_code == 200
        boards["upstairs"].wait_for("queue", lambda d: d["event"] == "called" and d.get("code") == "К-002")
        time.sleep(0.5)  # anything more would have come by now
        for name, board in boards.items():
            heard = [(event, data["version"]) for _, event, data in board.heard if event != "snapshot"]
            calls = heard[-2:]
            if name == "upstairs":
                assert [event for event, _ in calls] == ["queue", "queue"], heard
            else:
                assert [event for event, _ in calls] == ["called", "called"], (name, heard)
            versions = [version for _, version in heard]
            assert versions == list(range(versions[0], versions[0] + len(versions))), (name, heard)  # no gap
    finally:
        for board in boards.values():
            board.close()


def test_a_process_without_flask_can_emit(db, db_url, redis_url, started) -> None:
    office = FreshOffice(db)
    server = Server(db_url, redis_url).start()
    started.append(server)
    display = DisplayClient(server.url, office.display)
    try:
        display.wait_for("snapshot")
        script = (
            "import sys\n"
            "from reception.kernel.ports import DomainEvent\n"
            "from reception.http.realtime import ExternalPublisher\n"
            "payload = {'version': 999, 'code': 'К-042', 'desk': '1', 'desk_name_uk': 'Вікно 1',\n"
            "           'desk_name_en': 'Window 1', 'zone': 'main', 'at': '2026-11-24T10:00:00+02:00'}\n"
            f"ExternalPublisher({redis_url!r}).publish(DomainEvent('called', {office.code!r}, 999, payload,\n"
            "                                                   zone='main', desk_code='1'))\n"
            "assert 'flask' not in sys.modules, 'the emitter must not need Flask'\n"
        )
        subprocess.run([sys.executable, "-c", script], check=True, timeout=30,
                       cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
        event = display.wait_for("called", lambda d: d["code"] == "К-042", timeout=5)
        assert event["announce_uk"] == "Талон ка сорок два, пройдіть до вікна номер один."
    finally:
        display.close()


def test_display_reconnects_after_a_restart_and_shows_the_true_state(db, db_url, started) -> None:
    office = FreshOffice(db)
    server = Server(db_url).start()
    started.append(server)
    first = office.issue(server.url)
    second = office.issue(server.url)
    token = office.login(server.url)
    assert office.desk(server.url, token, "open").status_code == 200
    assert office.desk(server.url, token, "call-next").json()["code"] == first["code"]
    display = DisplayClient(server.url, office.display)
    try:
        snap = display.wait_for("snapshot")
        assert [c["code"] for c in snap["calls"]] == [first["code"]]

        server.stop(kill=True)  # mid-day crash
        # While it is down, another node (here: the core directly) serves the next visitor.
        from reception.queue import commands

        with db.read() as s:
            user_id = s.query(User.id).filter(User.username == office.operator).scalar()
            office_id = s.query(Office.id).filter(Office.code == office.code).scalar()
        actor = Actor(user_id=user_id, username=office.operator, roles=frozenset({"operator"}),
                      office_ids=frozenset({office_id}))
        from reception.http.realtime import RecordingPublisher
        from tests.fakes import services

        recorded = RecordingPublisher()
        called = services(db, office.clock, recorded).value(commands.call_next, actor, "1", office_code=office.code)
        assert called.ticket and called.ticket["code"] == second["code"]

        restarted = Server(db_url, port=server.port).start()
        started.append(restarted)
        snap = display.wait_for("snapshot", timeout=20)  # sent only at (re)connect: we never asked
        deadline = time.monotonic() + 5  # the snapshot may be handled before the connect callback
        while display.connects < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert display.connects == 2, "the client reconnected on its own"
        assert [c["code"] for c in snap["calls"]] == [second["code"], first["code"]]
        assert snap["version"] >= recorded.events[0].version
    finally:
        display.close()


class _Socket:
    """A python-socketio client on one namespace that records what it hears and whether it is connected."""

    def __init__(self, url: str, namespace: str, *, auth: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        self.namespace, self.heard = namespace, []  # type: ignore[var-annotated]
        self.disconnected = False
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("*", lambda event, *args: self.heard.append(event), namespace=namespace)
        self.sio.on("disconnect", self._gone, namespace=namespace)
        self.sio.connect(url, namespaces=[namespace], auth=auth, headers=headers or {}, transports=["websocket"],
                         wait_timeout=10)

    def _gone(self, *_reason: Any) -> None:
        self.disconnected = True

    def wait_disconnected(self, timeout: float = 5) -> float:
        start = time.monotonic()
        while not self.disconnected and time.monotonic() - start < timeout:
            time.sleep(0.02)
        assert self.disconnected, f"still connected after {timeout} s"
        return time.monotonic() - start


def _signed_in_cookie(base: str, username: str) -> str:
    """The session cookie of a real /login through the form (CSRF token included)."""
    import re

    browser = requests.Session()
    page = browser.get(f"{base}/login", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "no csrf_token on /login"
    r = browser.post(f"{base}/login", data={"username": username, "password": "secret-pass-1",
                                            "csrf_token": token.group(1)}, timeout=10, allow_redirects=False)
    assert r.status_code in (302, 303), r.text[:300]
    return "; ".join(f"{c.name}={c.value}" for c in browser.cookies)


def test_revocation_through_process_a_disconnects_sockets_on_process_b(db, db_url, redis_url, started) -> None:
    """The display revoked and the operator disabled through A lose their sockets on B at once, server-side
    (the clients here never leave by themselves), and hear no call afterwards."""
    office = FreshOffice(db)
    manager, root = f"mg{office.code.lower()}", f"ad{office.code.lower()}"
    add_user(db, office.clock, manager, ["manager"], [office.code])  # type: ignore[arg-type]
    add_user(db, office.clock, root, ["admin"], [])  # type: ignore[arg-type]
    a = Server(db_url, redis_url).start()
    b = Server(db_url, redis_url).start()
    started += [a, b]
    board = _Socket(b.url, "/display", auth={"token": office.display})
    desk = _Socket(b.url, "/desk", auth={"office": office.code}, headers={"Cookie": _signed_in_cookie(b.url, office.operator)})
    try:
        time.sleep(0.3)
        assert not board.disconnected and not desk.disconnected and "snapshot" in board.heard and "snapshot" in desk.heard

        def token(username: str) -> str:
            r = requests.post(f"{a.url}/api/v1/auth/token", json={"username": username, "password": "secret-pass-1"},
                              timeout=10)
            return str(r.json()["token"])

        boss, admin = token(manager), token(root)
        with db.read() as s:
            from reception.accounts.models import Device

            device_id = s.query(Device.id).filter(Device.kind == "display", Device.office_id == s.query(Office.id)
                                                  .filter(Office.code == office.code).scalar_subquery()).scalar()
            operator_id = s.query(User.id).filter(User.username == office.operator).scalar()
        operator = office.login(a.url)
        assert office.desk(a.url, operator, "open").status_code == 200
        r = requests.post(f"{a.url}/api/v1/devices/{device_id}/revoke", headers={"Authorization": f"Bearer {boss}"},
                          timeout=10)
        assert r.status_code == 200, r.text
        assert board.wait_disconnected() < 2.0
        r = requests.patch(f"{a.url}/api/v1/users/{operator_id}", json={"disabled": True},
                           headers={"Authorization": f"Bearer {admin}"}, timeout=10)
        assert r.status_code == 200, r.text
        assert desk.wait_disconnected() < 2.0
        heard_board, heard_desk = len(board.heard), len(desk.heard)
        office.issue(a.url)
        time.sleep(0.5)
        assert board.heard[heard_board:] == [] and desk.heard[heard_desk:] == []
    finally:
        for sock in (board, desk):
            if not sock.disconnected:
                sock.sio.disconnect()

"""Redis goes away and comes back (a real redis-server, stopped and started): tickets, sign-in and desks
go on in each process, /healthz says degraded (200, redis named), the rate limits count in memory
meanwhile, and within seconds of Redis's return the limits are shared again and events cross processes
again (decision 030). Runs on SQLite and, with RECEPTION_TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from reception.http.realtime import RecordingPublisher
from tests.fakes import RecordingPrinter, add_device, add_user
from tests.integration.test_realtime_multiprocess import DisplayClient, FreshOffice
from tests.servers import RedisServer, Server

PASSWORD = "secret-pass-1"


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = RedisServer().start()
    yield server
    server.stop()


def _sign_in(client: Any, address: str, username: str = "olena", password: str = PASSWORD) -> Any:
    return client.post("/api/v1/auth/token", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def _counted_in_redis(server: RedisServer, address: str) -> bool:
    return bool(redis.Redis.from_url(server.url).keys(f"*sign-in*address*{address}*"))


def test_one_process_goes_on_without_redis_and_its_limits_return_to_redis(db, db_url, clock, office,
                                                                        redis_server: RedisServer) -> None:
    from reception.app import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "SECRET_KEY": "t", "REDIS_URL": redis_server.url,
                      "LOGIN_RATE_PER_ADDRESS": "4 per minute"},
                     clock=clock, publisher=RecordingPublisher(), printer_factory=lambda url: RecordingPrinter())
    client = app.test_client()
    add_user(db, clock, "olena", ["operator"], [office])
    kiosk = {"Authorization": f"Bearer {add_device(db, clock, 'kiosk', office)}"}
    try:
        assert _sign_in(client, "10.0.0.1").status_code == 200
        assert _counted_in_redis(redis_server, "10.0.0.1"), "with Redis up the counts live there"

        redis_server.stop()
        started = time.monotonic()
        assert client.post("/api/v1/kiosk/tickets", json={"service": "consult"}, headers=kiosk).status_code == 201
        signed = _sign_in(client, "10.0.0.2")
        assert signed.status_code == 200
        desk = {"Authorization": f"Bearer {signed.get_json()['token']}"}
        assert client.post(f"/api/v1/desks/1/open?office={office}", headers=desk).status_code == 200
        assert client.post(f"/api/v1/desks/1/call-next?office={office}", headers=desk).status_code == 200
        assert time.monotonic() - started < 5, "no request waits long on the missing Redis"
        health = client.get("/healthz")
        assert health.status_code == 200
        assert health.get_json()["status"] == "degraded" and health.get_json()["redis"] == "unreachable"
        # The limits still hold, counted in this process meanwhile.
        guesses = [_sign_in(client, "10.0.0.3", password="wrong").status_code for _ in range(5)]
        assert guesses == [401] * 4 + [429]

        redis_server.start()
        back = time.monotonic()
        while not _counted_in_redis(redis_server, "10.0.0.4"):
            assert time.monotonic() - back < 5, "the limits did not go back to Redis within 5 s"
            assert _sign_in(client, "10.0.0.4", password="wrong").status_code == 401
            time.sleep(0.3)
        assert client.get("/healthz").get_json()["status"] == "ok"
    finally:
        app.extensions["reception"].db.dispose()


@pytest.mark.slow
def test_served_processes_keep_working_and_hear_each_other_again(db, db_url, redis_server: RedisServer) -> None:
    office = FreshOffice(db)
    a = Server(db_url, redis_server.url).start()
    b = Server(db_url, redis_server.url).start()
    here, there = DisplayClient(a.url, office.display), DisplayClient(b.url, office.display)
    try:
        here.wait_for("snapshot")
        there.wait_for("snapshot")
        token = office.login(a.url)
        assert office.desk(a.url, token, "open").status_code == 200

        redis_server.stop()
        import requests

        health = requests.get(f"{a.url}/healthz", timeout=10)
        assert health.status_code == 200 and health.json()["redis"] == "unreachable"
        ticket = office.issue(a.url)
        office.login(a.url)  # sign-in works
        r = office.desk(a.url, token, "call-next")
        assert r.status_code == 200, r.text
        here.wait_for("called", lambda d: d["code"] == ticket["code"], timeout=5)  # this process's screens

        redis_server.start()
        back = time.monotonic()
        while True:  # a call every half second until the display on the other process hears one
            ticket = office.issue(a.url)
            assert office.desk(a.url, token, "call-next").status_code == 200
            try:
                there.wait_for("called", lambda d, code=ticket["code"]: d["code"] == code, timeout=0.5)
                break
            except AssertionError:
                assert time.monotonic() - back < 8, "events did not cross processes again within 8 s"
        assert time.monotonic() - back < 8
    finally:
        here.close()
        there.close()
        a.stop()
        b.stop()

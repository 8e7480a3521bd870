"""A full disk or a read-only database: 503 ``storage_unavailable`` in plain words, /healthz red naming
the database, nothing half-written, and service back by itself when the storage is (decision 030).

SQLite: a real "database or disk is full" (``PRAGMA max_page_count`` on every connection), a real
read-only file system (a tmpfs remounted read-only; needs root, skipped otherwise). PostgreSQL: the
database made read-only (``ALTER DATABASE … SET default_transaction_read_only``).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from reception.http import health
from reception.http.realtime import RecordingPublisher
from reception.platform.db import Database, connect
from reception.platform.orm import Base
from reception.queue.models import Ticket
from reception.schema.migrate import seed_reference_data
from tests.fakes import add_device, build_office, make_test_app
from tests.web.desk.helpers import csrf_from

UK_MESSAGE = "Зараз не вдається зберегти дані. Нічого не втрачено — спробуйте ще раз за хвилину."


@pytest.fixture(autouse=True)
def _short_fault_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "FAULT_MEMORY_S", 0.5)


class Kiosk:
    def __init__(self, app: Any, token: str) -> None:
        self.client, self.token = app.test_client(), token

    def issue(self, key: str) -> Any:
        return self.client.post("/api/v1/kiosk/tickets", json={"service": "consult", "idempotency_key": key},
                                headers={"Authorization": f"Bearer {self.token}", "Accept-Language": "uk"})

    def health(self) -> Any:
        return self.client.get("/healthz")


def numbers(db: Database) -> list[int]:
    with db.read() as s:
        return list(s.scalars(select(Ticket.number).order_by(Ticket.number)))


def assert_storage_unavailable(r: Any) -> None:
    assert r.status_code == 503 and r.mimetype == "application/problem+json", r.get_data(as_text=True)
    body = r.get_json()
    assert body["code"] == "storage_unavailable" and body["detail"] == UK_MESSAGE
    assert r.headers["Retry-After"] == "30"


def assert_red(kiosk: Kiosk, state: str) -> None:
    r = kiosk.health()
    assert r.status_code == 503 and r.get_json()["database"] == state and r.get_json()["failing"] == ["database"]


def assert_green_soon(kiosk: Kiosk) -> None:
    deadline = time.monotonic() + 5
    while kiosk.health().status_code != 200:
        assert time.monotonic() < deadline, kiosk.health().get_json()
        time.sleep(0.1)
    assert kiosk.health().get_json()["database"] == "ok"


def test_a_full_database_answers_503_loses_nothing_and_recovers(db, db_url, clock, office) -> None:
    if make_url(db_url).get_backend_name() != "sqlite":
        pytest.skip("SQLite's own limit; PostgreSQL's disk-full SQLSTATE is mapped the same way (unit test below)")
    app = make_test_app(db_url, clock, publisher=RecordingPublisher())
    kiosk = Kiosk(app, add_device(db, clock, "kiosk", office))
    engines = app.extensions["reception"].db
    assert kiosk.issue(secrets.token_hex(8)).status_code == 201
    with db.read() as s:
        pages = s.scalar(text("PRAGMA page_count"))

    def cap(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    for engine in (engines.write_engine, engines.read_engine):
        event.listen(engine, "connect", cap)
    engines.dispose()
    try:
        issued, key = 1, secrets.token_hex(8)
        for _ in range(500):  # until the pages the file may have are used up
            r = kiosk.issue(key)
            if r.status_code != 201:
                break
            issued, key = issued + 1, secrets.token_hex(8)
        assert_storage_unavailable(r)
        assert numbers(db) == list(range(1, issued + 1)), "the failed ticket left nothing behind"
        assert_red(kiosk, "full")
    finally:
        for engine in (engines.write_engine, engines.read_engine):
            event.remove(engine, "connect", cap)
    engines.dispose()  # room again: new connections have SQLite's default limit (an operator freed space)
    retried = kiosk.issue(key)  # the kiosk's retry of the same tap
    assert retried.status_code == 201 and retried.get_json()["number"] == issued + 1
    assert_green_soon(kiosk)
    engines.dispose()


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _office_on(url: str, clock: Any) -> str:
    setup = connect(url)
    Base.metadata.create_all(setup.write_engine)
    seed_reference_data(setup)
    build_office(setup)
    token = add_device(setup, clock, "kiosk", "T1")
    setup.dispose()
    return token


def test_a_full_disk_answers_503_and_service_resumes_when_space_returns(db_url, clock, tmpfs: Path) -> None:
    """The real thing: the database on a small file system that fills up (ENOSPC), then is freed."""
    if make_url(db_url).get_backend_name() != "sqlite":
        pytest.skip("a file system under SQLite")
    url = f"sqlite:///{tmpfs / 'reception.db'}"
    app = make_test_app(url, clock, publisher=RecordingPublisher())
    kiosk = Kiosk(app, _office_on(url, clock))
    try:
        assert kiosk.issue(secrets.token_hex(8)).status_code == 201
        filler = tmpfs / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:  # every byte the file system has left
            while os.write(fd, bytes(65536)):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        key, issued = secrets.token_hex(8), 1
        for _ in range(200):  # until SQLite needs a page the disk no longer has
            r = kiosk.issue(key)
            if r.status_code != 201:
                break
            key, issued = secrets.token_hex(8), issued + 1
        assert_storage_unavailable(r)
        assert_red(kiosk, "full")
        filler.unlink()  # the operator frees space; nobody restarts anything
        retried = kiosk.issue(key)
        assert retried.status_code == 201 and retried.get_json()["number"] == issued + 1
        assert_green_soon(kiosk)
        assert numbers(app.extensions["reception"].db) == list(range(1, issued + 2))
    finally:
        app.extensions["reception"].db.dispose()


def test_a_read_only_sqlite_database_answers_503_and_recovers(db, db_url, clock, office) -> None:
    """SQLite's own read-only refusal (``query_only`` on every connection, as a file it may not write)."""
    if make_url(db_url).get_backend_name() != "sqlite":
        pytest.skip("PostgreSQL's read-only case follows")
    app = make_test_app(db_url, clock, publisher=RecordingPublisher())
    kiosk = Kiosk(app, add_device(db, clock, "kiosk", office))
    engines = app.extensions["reception"].db
    assert kiosk.issue(secrets.token_hex(8)).status_code == 201

    def read_only(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA query_only = 1")

    for engine in (engines.write_engine, engines.read_engine):
        event.listen(engine, "connect", read_only)
    engines.dispose()
    key = secrets.token_hex(8)
    try:
        assert_storage_unavailable(kiosk.issue(key))
        assert_red(kiosk, "read-only")
        staff = app.test_client()  # a page that writes (the sign-in counts the attempt): the 503 page
        token = csrf_from(staff.get("/login").get_data(as_text=True))
        page = staff.post("/login", data={"username": "olena", "password": "x", "csrf_token": token},
                          headers={"Accept-Language": "uk"})
        assert page.status_code == 503 and UK_MESSAGE in page.get_data(as_text=True)
    finally:
        for engine in (engines.write_engine, engines.read_engine):
            event.remove(engine, "connect", read_only)
    engines.dispose()  # query_only belongs to a connection: new ones are what a writable file again gives
    retried = kiosk.issue(key)
    assert retried.status_code == 201 and retried.get_json()["number"] == 2
    assert_green_soon(kiosk)
    engines.dispose()


def _read_only(db_url: str, on: bool) -> None:
    """The operator's switch; its own session is read-write whatever the database's default."""
    admin = create_engine(db_url, connect_args={"options": "-c default_transaction_read_only=off"})
    name = make_url(db_url).database
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"ALTER DATABASE {name} SET default_transaction_read_only = {'on' if on else 'off'}")
    finally:
        admin.dispose()


def test_a_read_only_postgresql_answers_503_and_recovers(db, db_url, clock, office) -> None:
    if make_url(db_url).get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL's read-only database (a standby, or made so by the operator)")
    app = make_test_app(db_url, clock, publisher=RecordingPublisher())
    kiosk = Kiosk(app, add_device(db, clock, "kiosk", office))
    assert kiosk.issue(secrets.token_hex(8)).status_code == 201
    _read_only(db_url, True)
    try:
        db.dispose()
        app.extensions["reception"].db.dispose()  # as after a failover: the connections are new
        key = secrets.token_hex(8)
        assert_storage_unavailable(kiosk.issue(key))
        assert_red(kiosk, "read-only")
        assert numbers(db) == [1]
    finally:
        _read_only(db_url, False)
    db.dispose()
    retried = kiosk.issue(key)  # no restart: the app took fresh connections after the fault
    assert retried.status_code == 201 and retried.get_json()["number"] == 2
    assert_green_soon(kiosk)
    app.extensions["reception"].db.dispose()


def _sqlite_error(code: int, message: str) -> Exception:
    import sqlite3

    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return error


def test_the_storage_faults_are_told_apart_from_other_database_errors() -> None:
    import psycopg.errors as pg

    def wrapped(orig: Exception) -> OperationalError:
        return OperationalError("stmt", {}, orig)

    assert health.storage_kind(wrapped(_sqlite_error(13, "database or disk is full"))) == "full"
    assert health.storage_kind(wrapped(_sqlite_error(8, "attempt to write a readonly database"))) == "read-only"
    assert health.storage_kind(wrapped(_sqlite_error(1, "no such table: x"))) is None
    assert health.storage_kind(wrapped(pg.DiskFull("could not extend file"))) == "full"
    assert health.storage_kind(wrapped(pg.ReadOnlySqlTransaction("read-only transaction"))) == "read-only"
    assert health.storage_kind(wrapped(pg.UndefinedTable("no such table"))) is None
    assert health.storage_kind(ValueError("not a database error")) is None

"""Every request's caller is one statement outside any transaction, and nothing of it is kept between
requests: a revocation made through one process holds on the very next request of another (SQLite and
PostgreSQL; decision 026)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection, event, select, text
from sqlalchemy.engine import make_url

from reception.accounts.models import Device
from reception.http.realtime import RecordingPublisher
from reception.platform.db import LOOKUP_APPLICATION, Database
from tests.fakes import add_device, add_user, build_office, make_test_app


def _one_and_whether_in_transaction(conn: Connection) -> tuple[int, bool]:
    value = int(conn.exec_driver_sql("SELECT 1").scalar_one())
    driver: Any = conn.connection.driver_connection
    if hasattr(driver, "in_transaction"):  # sqlite3
        return value, bool(driver.in_transaction)
    from psycopg.pq import TransactionStatus

    return value, bool(driver.info.transaction_status != TransactionStatus.IDLE)


def test_a_lookup_is_one_statement_and_leaves_no_transaction_to_end(db: Database) -> None:
    """No BEGIN before it, no ROLLBACK after it: on PostgreSQL each was a round trip of its own."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    for engine in db.engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        assert db.lookup(_one_and_whether_in_transaction) == (1, False)
    finally:
        for engine in db.engines:
            event.remove(engine, "before_cursor_execute", record)
    assert statements == ["SELECT 1"]


def test_a_lookup_outlives_its_connection_dropped_by_the_server(db: Database, db_url: str) -> None:
    """Its pool pings no connection before use (a round trip per request): a connection the server
    ended (a restart, an idle timeout) fails the statement, which is asked once more on a new one."""
    if make_url(db_url).get_backend_name() == "sqlite":
        pytest.skip("a PostgreSQL server ending its connections")
    assert db.lookup(_one_and_whether_in_transaction)[0] == 1
    with db.write_engine.begin() as admin:
        ended = admin.execute(text("SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
                                   "WHERE application_name = :name AND datname = current_database()"),
                              {"name": LOOKUP_APPLICATION}).scalar()
    assert ended == 1
    assert db.lookup(_one_and_whether_in_transaction)[0] == 1


def _device_id(db: Database, token_count: int) -> int:
    with db.read() as s:
        ids = s.scalars(select(Device.id).order_by(Device.id)).all()
    assert len(ids) == token_count
    return ids[0]


def test_a_revocation_through_one_process_holds_on_the_next_request_of_another(db: Database, db_url: str,
                                                                               clock: Any, office: str) -> None:
    """Two app instances on one database, as two workers: whatever one of them could keep of a caller,
    the other's change is seen on the very next request (device revoked, user's offices changed, user
    disabled)."""
    build_office(db, "T2")
    here, there = (make_test_app(db_url, clock, publisher=RecordingPublisher()) for _ in range(2))
    try:
        a, b = here.test_client(), there.test_client()

        def token(client: Any, name: str) -> str:
            r = client.post("/api/v1/auth/token", json={"username": name, "password": "secret-pass-1"})
            assert r.status_code == 200, r.get_json()
            return str(r.get_json()["token"])

        def call(client: Any, method: str, path: str, bearer: str, **kw: Any) -> int:
            return int(client.open(f"/api/v1{path}", method=method, headers={"Authorization": f"Bearer {bearer}"},
                                   **kw).status_code)

        add_user(db, clock, "root", ["admin"], [])
        add_user(db, clock, "boss", ["manager"], [office])
        olena_id = add_user(db, clock, "olena", ["operator"], [office])
        root, boss, olena = token(b, "root"), token(b, "boss"), token(a, "olena")
        kiosk_token = add_device(db, clock, "kiosk", office)
        for client in (a, b):  # each process has served them (anything it keeps, it keeps now)
            assert call(client, "GET", "/kiosk/menu", kiosk_token) == 200
            assert call(client, "GET", f"/offices/{office}/queue", olena) == 200

        assert call(b, "POST", f"/devices/{_device_id(db, 1)}/revoke", boss) == 200
        assert call(a, "GET", "/kiosk/menu", kiosk_token) == 401

        assert call(b, "PATCH", f"/users/{olena_id}", root, json={"offices": ["T2"]}) == 200
        assert call(a, "GET", f"/offices/{office}/queue", olena) == 403
        assert call(a, "GET", "/offices/T2/queue", olena) == 200

        assert call(b, "PATCH", f"/users/{olena_id}", root, json={"disabled": True}) == 200
        assert call(a, "GET", "/offices/T2/queue", olena) == 401
    finally:
        for app in (here, there):
            app.extensions["reception"].db.dispose()

"""Fixtures: a database per test on SQLite (default) or on the PostgreSQL that
RECEPTION_TEST_DATABASE_URL names; an app from the factory with a fake clock."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import text

from reception.accounts import auth

# Before anything hashes (the sign-in's dummy hash is made on import): tests hash with argon2id's
# cheapest parameters. The production ones (RFC 9106: 64 MiB, three passes) cost ~0.12 s per hash
# and per check, which made user fixtures and sign-ins most of the suite's time. A check reads its
# parameters from the stored hash, so every sign-in here is still a real argon2id verification;
# tests/unit/test_password_hashing.py holds the production parameters to the RFC's.
auth._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)

from reception.platform.db import Database, connect  # noqa: E402
from reception.platform.orm import Base  # noqa: E402
from reception.schema import tables as models_all  # noqa: E402,F401
from reception.schema.migrate import seed_reference_data  # noqa: E402
from tests.fakes import add_device, add_user, build_office, make_clock  # noqa: E402

PG_URL = os.environ.get("RECEPTION_TEST_DATABASE_URL", "")
# Every answer is checked against its model in the tests, in the servers they start too (decision 027).
os.environ.setdefault("RECEPTION_VALIDATE_RESPONSES", "1")
REDIS_URL = os.environ.get("RECEPTION_TEST_REDIS_URL", "")


def pytest_report_header(config: Any) -> str:
    return f"database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite (temporary files)'}; redis: {REDIS_URL or 'none'}"


@pytest.fixture(scope="session")
def _pg_schema() -> Iterator[None]:
    if not PG_URL:
        yield
        return
    db = connect(PG_URL)
    Base.metadata.drop_all(db.write_engine)
    with db.write_engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    Base.metadata.create_all(db.write_engine)
    db.dispose()
    yield


@pytest.fixture
def db_url(_pg_schema: None, tmp_path: Path) -> Iterator[str]:
    if PG_URL:
        db = connect(PG_URL)
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        with db.write_engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.dispose()
        yield PG_URL
    else:
        url = f"sqlite:///{tmp_path / 'test.db'}"
        db = connect(url)
        Base.metadata.create_all(db.write_engine)
        db.dispose()
        yield url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = connect(db_url)
    seed_reference_data(database)
    yield database
    database.dispose()


@pytest.fixture
def clock():
    return make_clock()


@pytest.fixture
def office(db: Database) -> str:
    build_office(db)
    return "T1"


@pytest.fixture
def app(db: Database, db_url: str, clock, tmp_path: Path):
    from reception.http.realtime import RecordingPublisher
    from tests.fakes import make_test_app

    publisher = RecordingPublisher()
    application = make_test_app(db_url, clock, publisher=publisher)
    application.config["publisher"] = publisher
    yield application
    application.extensions["reception"].db.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


class Api:
    """Small helper: tokens for the standard actors of an office, and JSON calls."""

    def __init__(self, client: Any, db: Database, clock: Any, office: str = "T1") -> None:
        self.client, self.db, self.clock, self.office = client, db, clock, office
        self.tokens: dict[str, str] = {}

    def user(self, username: str, roles: list[str], offices: list[str] | None = None) -> str:
        add_user(self.db, self.clock, username, roles, offices if offices is not None else [self.office])
        r = self.client.post("/api/v1/auth/token", json={"username": username, "password": "secret-pass-1"})
        assert r.status_code == 200, r.get_json()
        self.tokens[username] = r.get_json()["token"]
        return self.tokens[username]

    def device(self, kind: str, office: str | None = None, **kw: Any) -> str:
        return add_device(self.db, self.clock, kind, office or self.office, **kw)

    def call(self, method: str, path: str, token: str | None = None, **kw: Any):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kw)


@pytest.fixture
def api(client, db, clock, office):
    return Api(client, db, clock)


@pytest.fixture
def tmpdir_path() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)

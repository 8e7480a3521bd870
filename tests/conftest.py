"""Fixtures: a database per test on SQLite (default) or on the PostgreSQL that
RECEPTION_TEST_DATABASE_URL names; an app from the factory with a fake clock."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from werkzeug.routing import Rule

from reception.accounts import auth

# Before anything hashes (the sign-in's dummy hash is made on import): tests hash with argon2id's
# cheapest parameters. The production ones (RFC 9106: 64 MiB, three passes) cost ~0.12 s per hash
# and per check, which made user fixtures and sign-ins most of the suite's time. A check reads its
# parameters from the stored hash, so every sign-in here is still a real argon2id verification;
# tests/unit/test_password_hashing.py holds the production parameters to the RFC's.
auth._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)

# Each test builds its own app, and werkzeug compiles a URL builder (an ast, then compile()) for each of
# its ~700 rules twice: ~85 % of create_app's time. A builder depends only on what the key holds (it
# reaches the rule's converters through its ``self`` argument when called), so the tests' apps share them.
_builders: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}
_compile_builder = Rule._compile_builder


def _shared_builder(self: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
    key = (self.rule, tuple(self._trace), repr(sorted((self.defaults or {}).items())), append_unknown)
    if key not in _builders:
        _builders[key] = _compile_builder(self, append_unknown)
    return _builders[key]


Rule._compile_builder = _shared_builder  # type: ignore[method-assign]

from reception.platform.db import Database, connect  # noqa: E402
from reception.platform.orm import Base  # noqa: E402
from reception.schema import tables as models_all  # noqa: E402,F401
from reception.schema.migrate import seed_reference_data  # noqa: E402
from tests.fakes import add_device, add_user, build_office, make_clock  # noqa: E402

PG_URL = os.environ.get("RECEPTION_TEST_DATABASE_URL", "")
# Every answer is checked against its model in the tests, in the servers they start too (decision 027).
os.environ.setdefault("RECEPTION_VALIDATE_RESPONSES", "1")
REDIS_URL = os.environ.get("RECEPTION_TEST_REDIS_URL", "")


# CI runs the suite twice side by side, on SQLite and on PostgreSQL + Redis, and says so with this variable.
# A test marked one_suite("sqlite") or one_suite("postgresql") then runs in that suite only: what it tests
# does not depend on the database (a browser's rendering, a server's sockets), or one database tests it
# best. Any run without the variable runs every test.
PAIRED = bool(os.environ.get("RECEPTION_TEST_PAIRED"))
SUITE = "postgresql" if PG_URL else "sqlite"


def pytest_report_header(config: Any) -> str:
    return (f"database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite (temporary files)'}; redis: {REDIS_URL or 'none'}"
            + ("; paired: one_suite tests of the other database are left to it" if PAIRED else ""))


@pytest.hookimpl(trylast=True)  # after tests/browser/conftest.py marks its tests
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not PAIRED:
        return
    here: list[pytest.Item] = []
    elsewhere: list[pytest.Item] = []
    for item in items:
        mark = item.get_closest_marker("one_suite")
        (here if mark is None or mark.args[0] == SUITE else elsewhere).append(item)
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = here


@pytest.fixture(scope="session")
def _pg_schema() -> Iterator[Engine | None]:
    """On PostgreSQL: the schema, made once, and an engine that empties it between tests."""
    if not PG_URL:
        yield None
        return
    engine = create_engine(PG_URL, pool_pre_ping=True)
    with engine.begin() as conn:
        # Commits return before the WAL reaches the disk: only an operating-system crash could lose
        # one, which no test makes. A commit waited 1-17 ms (quiet or busy disk) for the fsync, 0.2-1 ms
        # without; a test commits many times.
        conn.exec_driver_sql(f"ALTER DATABASE {make_url(PG_URL).database} SET synchronous_commit = off")
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    Base.metadata.create_all(engine)
    engine.dispose()  # connections from here on take the setting above
    yield engine
    engine.dispose()


def _empty_pg(engine: Engine) -> None:
    """Every table emptied and every id sequence back at 1, as TRUNCATE … RESTART IDENTITY would leave
    them. TRUNCATE of all 28 tables (a new file for each table and index) took 60 ms a test on a quiet
    disk and about 1 s on a busy one; DELETE of the few rows a test wrote takes ~10 ms. The audit log
    refuses DELETE (its trigger): TRUNCATE."""
    tables = [t.name for t in Base.metadata.sorted_tables]
    with engine.begin() as conn:
        filled = set(conn.exec_driver_sql(" UNION ALL ".join(
            f"SELECT '{t}' FROM (SELECT 1 FROM {t} LIMIT 1) AS t" for t in tables)).scalars())
        for table in reversed(tables):  # children before parents
            if table in filled:
                conn.exec_driver_sql(f"TRUNCATE {table}" if table == "audit_log" else f"DELETE FROM {table}")
        conn.exec_driver_sql("SELECT setval(oid, 1, false) FROM pg_class "
                             "WHERE relkind = 'S' AND relnamespace = current_schema()::regnamespace")


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """On SQLite: an empty database with the schema, made once; each test copies the file (create_all
    took ~35 ms)."""
    if PG_URL:
        return None
    path = tmp_path_factory.mktemp("template") / "schema.db"
    db = connect(f"sqlite:///{path}")
    Base.metadata.create_all(db.write_engine)
    db.dispose()  # the last connection's close checkpoints the WAL into the file
    return path


@pytest.fixture
def db_url(_pg_schema: Engine | None, _sqlite_template: Path | None, tmp_path: Path) -> str:
    if _pg_schema is not None:
        _empty_pg(_pg_schema)
        return PG_URL
    assert _sqlite_template is not None
    path = tmp_path / "test.db"
    shutil.copyfile(_sqlite_template, path)
    return f"sqlite:///{path}"


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


# Local servers speaking the messaging providers' protocols (Telegram, Viber, TurboSMS, SMTP) as fixtures.
pytest_plugins = ["tests.protocol_servers.fixtures"]

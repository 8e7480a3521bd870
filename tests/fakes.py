"""Test doubles shared by the suites: a recording printer and helpers to build an office."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from itsdangerous import URLSafeTimedSerializer

from reception.accounts.administration import create_user
from reception.accounts.service import create_device
from reception.kernel.identity import Actor
from reception.kernel.messagebus import MessageBus
from reception.kernel.ports import PrintOutcome, TicketSlip
from reception.kernel.service_layer import Services, handlers_for
from reception.offices.setup import create_desk, create_office, create_service
from reception.platform.clock import FakeClock
from reception.platform.db import Database

ROOT = Actor(roles=frozenset({"admin"}))
# A Tuesday morning in Kyiv (UTC+2 in winter).
TUESDAY_10_KYIV = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


class RecordingPrinter:
    def __init__(self, ok: bool = True, error: str | None = None) -> None:
        self.slips: list[TicketSlip] = []
        self.ok, self.error = ok, error

    def print_slip(self, slip: TicketSlip) -> PrintOutcome:
        self.slips.append(slip)
        return PrintOutcome(ok=self.ok, printer="recording://", error=self.error)


def services(db: Database, clock: Any, publisher: Any = None) -> Services:
    """The core's command runner on ``db`` without an app: a recording publisher, no printer."""
    from reception.http.realtime import RecordingPublisher

    bus = MessageBus(handlers_for((publisher or RecordingPublisher()).publish, lambda _request: None))
    return Services(db, clock, bus)


def memory_database() -> Database:
    """A private in-memory SQLite database with the schema and reference data: commands run on it
    in a unit of work with no file, no server and no app."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker
    from sqlalchemy.pool import StaticPool

    from reception.platform.orm import Base
    from reception.schema import tables as models_all  # noqa: F401
    from reception.schema.migrate import seed_reference_data

    engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
    Base.metadata.create_all(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    db = Database(url="sqlite://", write_engine=engine, read_engine=engine, write_sessions=sessions,
                  read_sessions=sessions)
    seed_reference_data(db)
    return db


class FakeUnitOfWork:
    """A unit of work on a given session factory that records what was committed and collected."""

    def __init__(self, db: Database) -> None:
        self.db, self.commits, self.messages = db, 0, []  # type: list[object]
        self._committed = False

    def __enter__(self) -> FakeUnitOfWork:
        self.session = self.db.write_sessions()
        self.session.begin()
        self.messages, self._committed = [], False
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._committed:
            self.messages = []
            self.session.rollback()
        self.session.close()

    def collect(self, *messages: object) -> None:
        self.messages.extend(messages)

    def commit(self) -> None:
        self.session.commit()
        self.commits += 1
        self._committed = True

    def collected(self) -> list[object]:
        return list(self.messages) if self._committed else []


def run(db: Database, clock: Any, command: Any, *args: Any, **kwargs: Any) -> tuple[Any, list[Any]]:
    """Frame one command in a fake unit of work, as the service layer does; its result and events."""
    uow = FakeUnitOfWork(db)
    with uow:
        result = command(uow, clock, *args, **kwargs)
        uow.commit()
    return result, uow.collected()


def refused(db: Database, clock: Any, error: type[Exception], command: Any, *args: Any, **kwargs: Any) -> Exception:
    """Run a command that must be refused: it raises ``error``, commits nothing, collects nothing."""
    import pytest

    uow = FakeUnitOfWork(db)
    with pytest.raises(error) as caught, uow:
        command(uow, clock, *args, **kwargs)
        uow.commit()
    assert uow.commits == 0 and uow.collected() == []
    return caught.value


def make_clock(at: datetime = TUESDAY_10_KYIV) -> FakeClock:
    return FakeClock(at)


def build_office(db: Database, code: str = "T1", *, services: list[dict[str, Any]] | None = None,
                 desks: list[dict[str, Any]] | None = None, hours: dict[str, Any] | None = None,
                 settings: dict[str, Any] | None = None) -> None:
    create_office(db, code=code, name_uk=f"Тестова установа {code}", name_en=f"Test office {code}",
                  opening_hours=hours or {}, settings=settings or {})
    for svc in services or [
        dict(code="consult", prefix="К", name_uk="Консультація", name_en="Consultation"),
        dict(code="appeal", prefix="С", name_uk="Звернення", name_en="Appeal"),
    ]:
        create_service(db, ROOT, code, **svc)
    for desk in desks or [
        dict(code="1", name_uk="Вікно 1", name_en="Window 1", services=["consult", "appeal"]),
        dict(code="2", name_uk="Вікно 2", name_en="Window 2", services=["consult"]),
    ]:
        create_desk(db, ROOT, code, **desk)


def add_user(db: Database, clock: FakeClock, username: str, roles: list[str], offices: list[str],
             password: str = "secret-pass-1", **fields: Any) -> int:
    """A staff account made as the console makes one (a permanent password the tests sign in with); its id."""
    made = services(db, clock).value(create_user, ROOT, username=username, password=password, roles=roles,
                                     offices=offices, temporary=False, **fields)
    return int(made["id"])


# Flask-WTF keeps a raw token in the session and expects it signed with the app's key in the form
# or header; the test apps' key is "test-secret", so one signed value serves every test.
CSRF_RAW = "tok"
CSRF_TOKEN = URLSafeTimedSerializer("test-secret", salt="wtf-csrf-token").dumps(CSRF_RAW)


def signed_in(client: Any, db: Database, clock: FakeClock, user_id: int, csrf: str = CSRF_RAW,
              hours: int = 12) -> None:
    """A cookie session as /login makes it (a server-side session row and its key), without the form;
    forms then send ``CSRF_TOKEN``."""
    from datetime import timedelta

    from reception.accounts.service import open_staff_session

    key = open_staff_session(db, clock.now(), user_id, timedelta(hours=hours))
    with client.session_transaction() as sess:
        sess.update({"_user_id": key, "lang": "uk", "csrf_token": csrf})


def add_device(db: Database, clock: FakeClock, kind: str, office: str, **kw: Any) -> str:
    return create_device(db, clock, kind=kind, office_code=office, **kw)[1]


def make_test_app(db_url: str, clock: FakeClock, *, publisher: Any = None, printer: Any = None) -> Any:
    """The app from the factory, as tests use it: fake clock, recording printer; the real
    Socket.IO publisher unless ``publisher`` is given."""
    from reception.app import create_app

    printer = printer or RecordingPrinter()
    application = create_app(
        {"TESTING": True, "DATABASE_URL": db_url, "SECRET_KEY": "test-secret", "PUBLIC_BASE_URL": "http://test"},
        clock=clock,
        publisher=publisher,
        printer_factory=lambda url: printer,
    )
    application.config["printer"] = printer
    return application

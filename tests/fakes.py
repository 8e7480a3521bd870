"""Test doubles shared by the suites: a recording printer and helpers to build an office."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from itsdangerous import URLSafeTimedSerializer

from reception.accounts.administration import create_user
from reception.accounts.service import create_device
from reception.bootstrap import IN_TRANSACTION, bootstrap
from reception.kernel.identity import Actor
from reception.kernel.messagebus import MessageBus
from reception.kernel.ports import PrintOutcome, TicketSlip
from reception.kernel.service_layer import Services
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

    return bootstrap(db, clock, publisher=publisher or RecordingPublisher()).services


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
    """A unit of work on a given session factory that records what was committed and collected.

    ``bus``: its in-transaction handlers run as messages are collected (as in ``SqlUnitOfWork``)."""

    def __init__(self, db: Database, bus: MessageBus | None = None) -> None:
        self.db, self.commits = db, 0
        self.messages: list[object] = []
        self._committed = False
        self.bus = bus

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
        self.messages.extend(self.bus.within(self, m) if self.bus else m for m in messages)

    def commit(self) -> None:
        self.session.commit()
        self.commits += 1
        self._committed = True

    def collected(self) -> list[object]:
        return list(self.messages) if self._committed else []


def run(db: Database, clock: Any, command: Any, *args: Any, **kwargs: Any) -> tuple[Any, list[Any]]:
    """Frame one command in a fake unit of work, as the service layer does (with the app's
    in-transaction handlers); its result and events."""
    uow = FakeUnitOfWork(db, MessageBus(in_transaction=IN_TRANSACTION))
    with uow:
        result = command(uow, clock, *args, **kwargs)
        uow.commit()
    return result, uow.collected()


E = TypeVar("E", bound=Exception)


def refused(db: Database, clock: Any, error: type[E], command: Any, *args: Any, **kwargs: Any) -> E:
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


class SwitchablePublisher:
    """The test app's publisher: the app binds it once, a test may point it elsewhere (``use_publisher``)."""

    def __init__(self, target: Any) -> None:
        self.target = target

    def publish(self, event: Any) -> None:
        self.target.publish(event)


class SwitchablePrinters:
    """The test app's printer factory: the app binds it once, a test may swap the printers (``use_printers``)."""

    def __init__(self, factory: Any) -> None:
        self.factory = factory

    def __call__(self, url: str) -> Any:
        return self.factory(url)


def use_publisher(app: Any, publisher: Any) -> None:
    app.config["publisher_switch"].target = publisher


def use_printers(app: Any, factory: Any) -> None:
    app.config["printer_switch"].factory = factory


def make_test_app(db_url: str, clock: FakeClock, *, publisher: Any = None, printer: Any = None) -> Any:
    """The app from the factory, as tests use it: fake clock, recording printer; the real
    Socket.IO publisher unless ``publisher`` is given."""
    from reception.app import create_app

    printer = printer or RecordingPrinter()
    printers = SwitchablePrinters(lambda url: printer)
    switch = None if publisher is None else SwitchablePublisher(publisher)
    application = create_app(
        {"TESTING": True, "DATABASE_URL": db_url, "SECRET_KEY": "test-secret", "PUBLIC_BASE_URL": "http://test"},
        clock=clock,
        publisher=switch,
        printer_factory=printers,
    )
    application.config |= {"printer": printer, "printer_switch": printers, "publisher_switch": switch}
    return application


def race(db_url: str, clock: Any, command: Any, calls: list[tuple[Any, ...]]) -> list[str]:
    """Run ``command`` once per argument tuple, all at once, each on its own engine and session (as
    separate processes would); the outcome of each: "ok" or the key of the Conflict that refused it."""
    import threading

    from reception.kernel.errors import Conflict
    from reception.platform.db import connect

    barrier = threading.Barrier(len(calls))
    results: list[str] = []
    lock = threading.Lock()

    def attempt(args: tuple[Any, ...]) -> None:
        database = connect(db_url)
        try:
            barrier.wait()
            services(database, clock).value(command, *args)
            outcome = "ok"
        except Conflict as exc:
            outcome = exc.key
        finally:
            database.dispose()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt, args=(args,)) for args in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results

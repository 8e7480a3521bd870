"""Test doubles shared by the suites: a recording printer and helpers to build an office."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from reception.accounts import create_device, create_user
from reception.admin import create_desk, create_office, create_service
from reception.auth import Actor
from reception.clock import FakeClock
from reception.db import Database
from reception.ports import PrintOutcome, TicketSlip

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
             password: str = "secret-pass-1") -> int:
    return create_user(db, clock, username=username, password=password, roles=roles, office_codes=offices)


def signed_in(client: Any, db: Database, clock: FakeClock, user_id: int, csrf: str = "tok",
              hours: int = 12) -> None:
    """A cookie session as /login makes it (a server-side session row and its key), without the form."""
    from datetime import timedelta

    from reception.accounts import open_staff_session

    key = open_staff_session(db, clock.now(), user_id, timedelta(hours=hours))
    with client.session_transaction() as sess:
        sess.update({"sid": key, "lang": "uk", "csrf": csrf})


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

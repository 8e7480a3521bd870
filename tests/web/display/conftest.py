"""Display suites: the real Socket.IO publisher (the default test app only records events)
and an office with two zones — the hall windows and a fourth-floor room."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes import build_office

ZONED_DESKS = [
    dict(code="1", name_uk="Вікно 1", name_en="Window 1", zone="hall", services=["consult", "appeal"]),
    dict(code="2", name_uk="Вікно 2", name_en="Window 2", zone="hall", services=["consult"]),
    dict(code="412", name_uk="Кабінет 412", name_en="Room 412", zone="floor4", kind="room", services=["appeal"]),
]


@pytest.fixture
def office(db) -> str:
    build_office(db, "T1", desks=ZONED_DESKS)
    build_office(db, "T2", settings={"announce_en": True})
    return "T1"


@pytest.fixture
def app(db, db_url: str, clock) -> Iterator[Any]:
    """The test app with the real Socket.IO publisher (the default fixture's only records)."""
    from tests.fakes import make_test_app

    application = make_test_app(db_url, clock)
    yield application
    application.extensions["reception"].db.dispose()


class Hall:
    """Drives an office through the HTTP API as a kiosk and desk operators would."""

    def __init__(self, api: Any, office: str = "T1") -> None:
        self.api, self.office = api, office
        self.kiosk = api.device("kiosk", office)
        self.operators: dict[str, str] = {}

    def issue(self, service: str = "consult") -> dict[str, Any]:
        r = self.api.call("POST", "/kiosk/tickets", self.kiosk, json={"service": service})
        assert r.status_code == 201, r.get_json()
        return r.get_json()

    def open(self, desk: str) -> str:
        name = f"op{self.office}{desk}"
        token = self.api.user(name, ["operator"], [self.office])
        r = self.api.call("POST", f"/desks/{desk}/open?office={self.office}", token)
        assert r.status_code == 200, r.get_json()
        self.operators[desk] = token
        return token

    def call_next(self, desk: str) -> dict[str, Any]:
        r = self.api.call("POST", f"/desks/{desk}/call-next?office={self.office}", self.operators[desk])
        assert r.status_code == 200, r.get_data(as_text=True)
        return r.get_json()

    def post(self, path: str, desk: str, **kw: Any) -> dict[str, Any]:
        r = self.api.call("POST", path, self.operators[desk], **kw)
        assert r.status_code == 200, r.get_data(as_text=True)
        return r.get_json()


@pytest.fixture
def hall(api) -> Hall:
    return Hall(api)

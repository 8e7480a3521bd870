"""Fixtures of the desk console's page tests (helpers live in ``tests.web.desk.helpers``)."""

from __future__ import annotations

import pytest

from tests.fakes import add_user, build_office
from tests.web.desk.helpers import Staff


@pytest.fixture
def staff(app, db, clock, office):
    """Factory: ``staff("op", ["operator"], ["T1"])`` -> a signed-in Staff session."""

    def make(username: str, roles: list[str], offices: list[str] | None = None, *, sign_in: bool = True) -> Staff:
        add_user(db, clock, username, roles, offices if offices is not None else ["T1"])
        session = Staff(app)
        if sign_in:
            r = session.login(username)
            assert r.status_code == 302, r.get_data(as_text=True)
        return session

    return make


@pytest.fixture
def second_office(db) -> str:
    build_office(db, "T2")
    return "T2"

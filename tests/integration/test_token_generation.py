"""A disable (then a re-enable) or a password change ends the API tokens and sessions issued before
(SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from reception.accounts.models import User
from tests.fakes import signed_in


def _uid(db: Any, name: str) -> int:
    with db.read() as s:
        return int(s.scalar(select(User.id).where(User.username == name)))


def test_disable_then_enable_does_not_revive_earlier_tokens_or_sessions(api, app, db, clock) -> None:
    root = api.user("root", ["admin"], [])
    olena = api.user("olena", ["operator"])
    uid = _uid(db, "olena")
    browser = app.test_client()
    signed_in(browser, db, clock, uid)
    assert api.call("GET", "/offices/T1/queue", olena).status_code == 200
    assert browser.get("/backoffice").status_code == 200
    assert api.call("PATCH", f"/users/{uid}", root, json={"disabled": True}).status_code == 200
    assert api.call("PATCH", f"/users/{uid}", root, json={"disabled": False}).status_code == 200
    assert api.call("GET", "/offices/T1/queue", olena).status_code == 401
    assert browser.get("/backoffice").status_code in (302, 401)
    fresh = api.client.post("/api/v1/auth/token", json={"username": "olena", "password": "secret-pass-1"})
    assert api.call("GET", "/offices/T1/queue", fresh.get_json()["token"]).status_code == 200


def test_a_password_change_ends_earlier_tokens_and_the_new_token_works(api, db) -> None:
    olena = api.user("olena", ["operator"])
    second = api.client.post("/api/v1/auth/token", json={"username": "olena", "password": "secret-pass-1"}
                             ).get_json()["token"]
    r = api.call("POST", "/auth/password", olena, json={"current_password": "secret-pass-1",
                                                         "new_password": "brand-new-pass-9"})
    assert r.status_code == 200, r.get_json()
    assert api.call("GET", "/offices/T1/queue", r.get_json()["token"]).status_code == 200
    assert api.call("GET", "/offices/T1/queue", olena).status_code == 401
    assert api.call("GET", "/offices/T1/queue", second).status_code == 401
    # Setting the same password back (through a reset and a change) does not revive them either.
    with db.read() as s:
        generation = s.scalar(select(User.token_generation).where(User.username == "olena"))
    assert generation == 1

"""Staff sessions (issue 11): server-side, 12 hours, ended by sign-out and by a password change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from reception.accounts.administration import set_password
from tests.fakes import ROOT, add_user, services
from tests.web.desk.helpers import PASSWORD, Staff, csrf_from


def me_id(db: Any) -> int:
    from sqlalchemy import select

    from reception.accounts.models import User

    with db.read() as s:
        return int(s.scalar(select(User.id).where(User.username == "op")))


def _signed_in(app: Any, db: Any, clock: Any) -> tuple[Staff, str]:
    """A signed-in browser and a copy of its session cookie."""
    add_user(db, clock, "op", ["operator"], ["T1"])
    me = Staff(app)
    r = me.login("op")
    assert r.status_code == 302
    cookie = me.client.get_cookie("session")
    assert cookie is not None
    return me, cookie.value


def _replay(app: Any, value: str) -> Any:
    """Another browser that presents the copied cookie."""
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief


def test_copied_cookie_works_while_signed_in_and_not_after_sign_out(app, db, clock, office) -> None:
    me, copied = _signed_in(app, db, clock)
    assert _replay(app, copied).get("/desk").status_code == 200
    assert _replay(app, copied).get("/api/v1/offices/T1/queue").status_code == 200
    token = csrf_from(me.client.get("/logout").get_data(as_text=True))
    assert me.client.post("/logout", data={"csrf_token": token}).status_code == 302
    r = _replay(app, copied).get("/desk")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    assert _replay(app, copied).get("/api/v1/offices/T1/queue").status_code == 401


def test_password_change_ends_every_session(app, db, clock, office) -> None:
    me, copied = _signed_in(app, db, clock)
    api_token = me.client.post("/api/v1/auth/token", json={"username": "op", "password": PASSWORD}).get_json()["token"]
    assert app.test_client().get("/api/v1/offices/T1/queue", headers={"Authorization": f"Bearer {api_token}"}).status_code == 200
    services(db, clock).value(set_password, ROOT, me_id(db), "a-new-pass-2")
    assert me.client.get("/desk").status_code == 302
    assert _replay(app, copied).get("/desk").status_code == 302
    assert app.test_client().get("/api/v1/offices/T1/queue", headers={"Authorization": f"Bearer {api_token}"}).status_code == 401
    assert me.login("op", "a-new-pass-2").status_code == 302


def test_session_lives_one_working_day(app, db, clock, office) -> None:
    me, copied = _signed_in(app, db, clock)
    assert app.permanent_session_lifetime == timedelta(hours=12)
    header = next(h for h in me.client.get("/desk").headers.getlist("Set-Cookie") if h.startswith("session="))
    expires = parsedate_to_datetime(header.split("Expires=")[1].split(";")[0])
    assert timedelta(hours=11) < expires - datetime.now(UTC) <= timedelta(hours=12)  # not Flask's 31 days
    clock.advance(hours=11, minutes=59)
    assert _replay(app, copied).get("/desk").status_code == 200
    clock.advance(minutes=2)  # the server-side session ends even if the browser keeps the cookie
    assert _replay(app, copied).get("/desk").status_code == 302

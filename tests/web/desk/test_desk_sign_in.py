"""Staff sign-in: session cookie, CSRF on forms, lockout message, safe ``next``, sign-out, language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backoffice.desk.safety import safe_next
from reception.accounts.models import User
from tests.fakes import add_user
from tests.web.desk.helpers import PASSWORD, Staff, csrf_from


def test_sign_in_and_out(app, db, clock, office) -> None:
    add_user(db, clock, "op", ["operator"], ["T1"])
    me = Staff(app)
    assert me.client.get("/desk").status_code == 302  # not signed in -> /login
    r = me.login("op")
    assert r.status_code == 302 and r.headers["Location"] == "/desk"
    page = me.client.get("/desk")
    assert page.status_code == 200 and "Оберіть робоче місце" in page.get_data(as_text=True)
    assert me.client.get("/login").status_code == 302  # already signed in

    ask = me.client.get("/logout")  # GET only asks
    assert ask.status_code == 200 and me.client.get("/desk").status_code == 200
    token = csrf_from(ask.get_data(as_text=True))
    r = me.client.post("/logout", data={"csrf_token": token})
    assert r.status_code == 302 and r.headers["Location"] == "/login"
    assert me.client.get("/desk").status_code == 302
    assert "Ви вийшли з системи" in me.client.get("/login").get_data(as_text=True)


def test_wrong_password_and_lockout_message(app, db, clock, office) -> None:
    add_user(db, clock, "op", ["operator"], ["T1"])
    me = Staff(app)
    for _ in range(5):
        r = me.login("op", "wrong-password")
        assert r.status_code == 400 and "Неправильне імʼя користувача або пароль" in r.get_data(as_text=True)
    clock.advance(seconds=1)
    r = me.login("op")  # even the right password is refused while locked
    assert r.status_code == 400
    assert "Забагато невдалих спроб. Спробуйте знову через 15 хв." in r.get_data(as_text=True)
    en = Staff(app)
    token = csrf_from(en.client.get("/login?lang=en").get_data(as_text=True))
    r = en.client.post("/login?lang=en", data={"username": "op", "password": PASSWORD, "csrf_token": token})
    assert "Too many failed attempts. Try again in 15 min." in r.get_data(as_text=True)
    clock.advance(minutes=16)
    assert me.login("op").status_code == 302


def test_login_without_csrf_token_signs_nobody_in(app, db, clock, office) -> None:
    add_user(db, clock, "op", ["operator"], ["T1"])
    me = Staff(app)
    me.client.get("/login")
    r = me.client.post("/login", data={"username": "op", "password": PASSWORD})
    assert r.status_code == 400 and "Сторінка застаріла" in r.get_data(as_text=True)
    assert me.client.get("/desk").status_code == 302
    with db.read() as s:
        assert s.scalar(select(User.failed_logins).where(User.username == "op")) == 0  # not even counted


def test_post_forms_without_token_change_nothing(staff) -> None:
    me = staff("op", ["operator"])
    assert me.client.post("/desk/open", data={"office": "T1", "desk": "1"}).status_code == 403
    assert me.api("GET", "/offices/T1/queue").get_json()["desks"][0]["status"] == "closed"
    assert me.client.post("/logout").status_code == 403
    assert me.client.get("/desk").status_code == 200  # still signed in
    assert me.client.post("/lang", data={"lang": "en"}).status_code == 403


def test_language_toggle_survives_sign_in(app, db, clock, office) -> None:
    add_user(db, clock, "op", ["operator"], ["T1"])
    me = Staff(app)
    token = csrf_from(me.client.get("/login").get_data(as_text=True))
    r = me.client.post("/lang", data={"lang": "en", "next": "/login", "csrf_token": token})
    assert r.status_code == 302 and r.headers["Location"] == "/login"
    assert "Staff sign-in" in me.client.get("/login").get_data(as_text=True)
    me.login("op")
    assert "Choose your desk" in me.client.get("/desk").get_data(as_text=True)


def test_next_goes_only_to_local_paths(app, db, clock, office) -> None:
    add_user(db, clock, "op", ["operator"], ["T1"])
    me = Staff(app)
    assert me.client.get("/desk/T1/1").headers["Location"] == "/login?next=/desk/T1/1"
    assert me.login("op", next="https://evil.example/").headers["Location"] == "/desk"
    me = Staff(app)
    assert me.login("op", next="/desk/T1/1").headers["Location"] == "/desk/T1/1"


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "https://evil.example/x", "javascript:x",
                                    "desk", "", None, "/ok\r\nSet-Cookie: x", "/%0a"])
def test_safe_next_refuses_other_sites(target) -> None:
    expected = "/%0a" if target == "/%0a" else "/home"
    assert safe_next(target, "/home") == expected


def test_safe_next_keeps_local_paths() -> None:
    assert safe_next("/desk/T1/1?x=1", "/home") == "/desk/T1/1?x=1"


def test_managers_and_call_centre_are_sent_to_their_work(staff) -> None:
    """No desk to choose: /desk sends them to their own page (decision 033); /backoffice still greets them."""
    for name, role, home in (("boss", "manager", "/backoffice/hall"), ("cc", "call_centre", "/backoffice/booking")):
        me = staff(name, [role])
        assert me.client.get("/desk").headers["Location"] == home
        html = me.client.get("/backoffice").get_data(as_text=True)
        assert "Вітаємо" in html and "Оберіть робоче місце" not in html
        assert 'action="/desk/open"' not in html

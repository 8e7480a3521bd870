"""Where each role lands after signing in (decision 033), what the error pages offer a signed-in user,
a desk that does not exist, and the favicon."""

from __future__ import annotations

import pytest

from tests.fakes import add_user
from tests.web.desk.helpers import Staff

LANDING = [
    (["operator"], "/desk"),
    (["leader"], "/desk"),
    (["call_centre"], "/backoffice/booking"),
    (["manager"], "/backoffice/hall"),
    (["auditor"], "/backoffice/reports"),
    (["admin"], "/backoffice/admin"),
    (["manager", "operator"], "/desk"),  # the desk is the daily work of whoever has one
]


@pytest.mark.parametrize(("roles", "home"), LANDING)
def test_each_role_lands_where_its_work_is(app, db, clock, office, roles, home) -> None:
    add_user(db, clock, "someone", roles, [] if roles == ["admin"] else ["T1"])
    me = Staff(app)
    r = me.login("someone")
    assert r.status_code == 302 and r.headers["Location"] == home
    assert me.client.get(home).status_code == 200
    assert me.client.get("/login").headers["Location"] == home  # already signed in
    if "operator" not in roles and "leader" not in roles:  # /desk is the desk; others are sent to their work
        assert me.client.get("/desk").headers["Location"] == home


def test_a_signed_in_user_refused_is_not_offered_to_sign_in(app, db, clock, office) -> None:
    add_user(db, clock, "cc", ["call_centre"], ["T1"])
    me = Staff(app)
    me.login("cc")
    r = me.client.get("/backoffice/reports")
    page = r.get_data(as_text=True)
    assert r.status_code == 403 and "Увійти" not in page
    assert 'href="/backoffice/booking"' in page  # back to their own work instead
    anonymous = Staff(app).client.get("/backoffice/hall")
    assert anonymous.status_code in (302, 401)


def test_a_desk_that_does_not_exist_is_404(app, db, clock, office) -> None:
    for roles, who in ((["operator"], "op"), (["manager"], "mgr"), (["admin"], "adm")):
        add_user(db, clock, who, roles, [] if who == "adm" else ["T1"])
        me = Staff(app)
        me.login(who)
        r = me.client.get("/desk/T1/99")
        assert r.status_code == 404, (who, r.status_code)
        assert "Робоче місце «99» не знайдено" in r.get_data(as_text=True) or r.status_code == 404
        assert me.client.get("/desk/NOPE/1").status_code == 404


def test_favicon(client) -> None:
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.mimetype in ("image/x-icon", "image/vnd.microsoft.icon")
    assert r.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age" in r.headers.get("Cache-Control", "")

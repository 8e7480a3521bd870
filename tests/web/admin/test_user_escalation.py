"""A manager cannot escalate through user edits; the last administrator stays; every refusal is a clear
problem, changes nothing and is in the audit log (API, admin page and console; SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from reception.accounts import administration as accounts_admin
from reception.accounts.models import User
from reception.audit.models import AuditLog
from reception.kernel.errors import Conflict
from reception.kernel.identity import Actor
from tests.fakes import CSRF_TOKEN, add_user, build_office, services, signed_in


def _user(db: Any, username: str) -> User:
    with db.read() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        _ = user.offices
        return user


def _refusals(db: Any) -> list[AuditLog]:
    with db.read() as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.action.like("%.refused")).order_by(AuditLog.id)))


def _problem(r: Any, status: int, code: str) -> None:
    assert r.status_code == status and r.mimetype == "application/problem+json", r.get_json()
    assert r.get_json()["code"] == code


@pytest.fixture
def shop(api, db, clock):
    build_office(db, "T2")
    boss = api.user("boss", ["manager"])  # manager of T1 only
    shared = add_user(db, clock, "shared", ["operator"], ["T1", "T2"])
    mine = add_user(db, clock, "mine", ["operator"], ["T1"])
    return {"boss": boss, "boss_id": _user(db, "boss").id, "shared": shared, "mine": mine}


def test_nobody_changes_their_own_roles_or_offices(api, db, shop) -> None:
    r = api.call("PATCH", f"/users/{shop['boss_id']}", shop["boss"], json={"roles": ["manager", "auditor"]})
    _problem(r, 403, "own_account")
    assert "Власні ролі" in r.get_json()["title"] + r.get_json().get("detail", "")
    _problem(api.call("PATCH", f"/users/{shop['boss_id']}", shop["boss"], json={"offices": ["T1", "T2"]}),
             403, "other_office")  # naming an office that is not one's own fails before that
    assert _user(db, "boss").roles == ["manager"]
    # The same roles as now, and one's own name, are no change of rights.
    r = api.call("PATCH", f"/users/{shop['boss_id']}", shop["boss"], json={"roles": ["manager"], "full_name": "Б"})
    assert r.status_code == 200
    row, other = _refusals(db)
    assert other.detail["refused"] == "other_office"
    assert (row.action, row.object_id, row.user_id) == ("user.update.refused", str(shop["boss_id"]), shop["boss_id"])
    assert row.detail["refused"] == "own_account" and row.detail["fields"] == ["roles"]


def test_a_manager_cannot_touch_staff_shared_with_another_office(api, db, shop) -> None:
    uid, boss = shop["shared"], shop["boss"]
    _problem(api.call("PATCH", f"/users/{uid}", boss, json={"roles": ["manager"]}), 403, "user_other_office")
    _problem(api.call("PATCH", f"/users/{uid}", boss, json={"offices": ["T1"]}), 403, "user_other_office")
    _problem(api.call("PATCH", f"/users/{uid}", boss, json={"disabled": True}), 403, "user_other_office")
    _problem(api.call("POST", f"/users/{uid}/password", boss, json={"password": "known-to-boss-1"}),
             403, "user_other_office")
    user = _user(db, "shared")
    assert user.roles == ["operator"] and sorted(o.code for o in user.offices) == ["T1", "T2"] and user.is_active
    assert api.client.post("/api/v1/auth/token", json={"username": "shared", "password": "known-to-boss-1"}
                           ).status_code == 401
    assert [r.detail["refused"] for r in _refusals(db)] == ["user_other_office"] * 4


def test_a_manager_grants_any_role_but_administrator_and_never_a_permanent_password(api, db, shop) -> None:
    uid, boss = shop["mine"], shop["boss"]
    _problem(api.call("PATCH", f"/users/{uid}", boss, json={"roles": ["admin"]}), 403, "role")
    r = api.call("PATCH", f"/users/{uid}", boss, json={"roles": ["manager", "auditor"]})
    assert r.status_code == 200 and r.get_json()["roles"] == ["auditor", "manager"]
    _problem(api.call("POST", f"/users/{uid}/password", boss, json={"password": "known-to-boss-1",
                                                                    "temporary": False}), 403, "permanent_password")
    r = api.call("POST", f"/users/{uid}/password", boss, json={"password": "known-to-boss-1"})
    assert r.status_code == 200 and r.get_json()["must_change_password"] is True
    assert [r.detail["refused"] for r in _refusals(db)] == ["role", "permanent_password"]


def test_the_only_admin_cannot_demote_themselves_and_the_last_one_stays(api, db, clock) -> None:
    root = api.user("root", ["admin"], [])
    root_id = _user(db, "root").id
    _problem(api.call("PATCH", f"/users/{root_id}", root, json={"roles": ["manager"]}), 403, "own_account")
    assert _user(db, "root").roles == ["admin"]
    console = Actor(username="console", roles=frozenset({"admin"}))
    for change in ({"roles": ["manager"]}, {"disabled": True}):
        with pytest.raises(Conflict) as caught:
            services(db, clock).value(accounts_admin.update_user, console, root_id, change)
        assert caught.value.key == "error.last_admin"
    user = _user(db, "root")
    assert user.roles == ["admin"] and user.is_active
    # With a second administrator, the first may be demoted by the console.
    add_user(db, clock, "root2", ["admin"], [])
    services(db, clock).value(accounts_admin.update_user, console, root_id, {"roles": ["manager"]})
    assert _user(db, "root").roles == ["manager"]
    assert [r.detail["refused"] for r in _refusals(db)] == ["own_account", "last_admin", "last_admin"]


def test_the_admin_page_refuses_in_ukrainian_and_does_not_offer_the_control(app, db, clock, office) -> None:
    build_office(db, "T2")
    boss = add_user(db, clock, "boss", ["manager"], ["T1"])
    shared = add_user(db, clock, "shared", ["operator"], ["T1", "T2"])
    c = app.test_client()
    signed_in(c, db, clock, boss)
    page = c.get("/backoffice/admin/users?office=T1").get_data(as_text=True)
    assert f"/backoffice/admin/users/{shared}/password" not in page  # no reset form for the shared account
    assert "Цей обліковий запис змінює адміністратор." in page
    assert f'action="/backoffice/admin/users/{boss}"' in page and "Власні ролі та установи змінює адміністратор." in page
    r = c.post(f"/backoffice/admin/users/{shared}", data={"csrf_token": CSRF_TOKEN, "roles": ["manager"],
                                                           "offices": ["T1"]}, follow_redirects=True)
    assert "змінити його обліковий запис може лише адміністратор" in r.get_data(as_text=True)
    # One's own form sends no roles or offices: saving one's name works.
    r = c.post(f"/backoffice/admin/users/{boss}", data={"csrf_token": CSRF_TOKEN, "own": "1", "full_name": "Бос"},
               follow_redirects=True)
    assert "Збережено" in r.get_data(as_text=True) or r.status_code == 200
    assert _user(db, "boss").full_name == "Бос" and _user(db, "boss").roles == ["manager"]
    assert _user(db, "shared").roles == ["operator"]

"""A password an administrator chose is temporary: its owner changes it before anything else (decision 017)."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner
from sqlalchemy import select

from reception.accounts.models import User
from reception.audit.models import AuditLog
from reception.ops.cli import main
from tests.fakes import add_user
from tests.web.desk.helpers import Staff, csrf_from

TEMP = "temporary-pass-1"
MINE = "my-own-secret-2"


def _flag(db: Any, username: str) -> bool:
    with db.read() as s:
        value = s.scalar(select(User.must_change_password).where(User.username == username))
        assert value is not None
        return bool(value)


def _created_by_admin(api: Any, username: str = "olena", **extra: Any) -> dict[str, Any]:
    admin = api.user("root", ["admin"], [])
    r = api.call("POST", "/users", admin, json={"username": username, "password": TEMP, "roles": ["operator"],
                                                 "offices": ["T1"], **extra})
    assert r.status_code == 201, r.get_json()
    return dict(r.get_json())


def test_a_user_an_admin_created_must_change_first(app: Any, api: Any, db: Any) -> None:
    assert _created_by_admin(api)["must_change_password"] is True
    me = Staff(app)
    r = me.login("olena", TEMP, next="/desk")
    assert r.status_code == 302 and r.headers["Location"].startswith("/password")
    # Every other page refuses, in Ukrainian, and points to the change page.
    page = me.client.get("/desk")
    html = page.get_data(as_text=True)
    assert page.status_code == 403 and "Спершу змініть пароль" in html and 'href="/password"' in html
    assert me.client.get("/backoffice/records").status_code == 403
    # So does the API, with the session and with a bearer token.
    r = me.client.get("/api/v1/offices/T1/queue")
    assert r.status_code == 403 and r.get_json()["code"] == "password_change_required"
    token = api.client.post("/api/v1/auth/token", json={"username": "olena", "password": TEMP}).get_json()["token"]
    r = api.call("GET", "/offices/T1/queue?lang=en", token)
    assert r.status_code == 403 and "Change your password first" in r.get_json()["detail"]
    # The change page itself opens.
    form = me.client.get("/password?next=/desk")
    assert form.status_code == 200 and "Зміна пароля" in form.get_data(as_text=True)


def test_changing_clears_the_flag_and_ends_the_other_sessions(app: Any, api: Any, db: Any) -> None:
    _created_by_admin(api)
    elsewhere, me = Staff(app), Staff(app)
    assert elsewhere.login("olena", TEMP).status_code == 302
    me.login("olena", TEMP)
    token = csrf_from(me.client.get("/password").get_data(as_text=True))
    change = {"csrf_token": token, "current_password": TEMP, "new_password": MINE, "repeat_password": MINE,
              "next": "/desk"}
    r = me.client.post("/password", data=change)
    assert r.status_code == 302 and r.headers["Location"] == "/desk"
    assert _flag(db, "olena") is False
    assert me.client.get("/desk").status_code == 200  # this browser goes on
    assert elsewhere.client.get("/desk").status_code == 302  # the other one signed out: to /login
    with db.read() as s:
        assert s.scalar(select(AuditLog.action).order_by(AuditLog.id.desc())) == "user.password_own"


def test_bad_changes_are_refused_and_change_nothing(app: Any, api: Any, db: Any) -> None:
    _created_by_admin(api)
    me = Staff(app)
    me.login("olena", TEMP)
    token = csrf_from(me.client.get("/password").get_data(as_text=True))
    base = {"csrf_token": token, "current_password": TEMP, "new_password": MINE, "repeat_password": MINE}
    cases = [({"current_password": "wrong-one-here"}, 400, "Чинний пароль указано неправильно"),
             ({"repeat_password": "something-else"}, 422, "Паролі не збігаються"),
             ({"new_password": "short", "repeat_password": "short"}, 422, "щонайменше 8 символів"),
             ({"new_password": TEMP, "repeat_password": TEMP}, 422, "має відрізнятися")]
    for change, status, text in cases:
        r = me.client.post("/password", data=base | change)
        assert r.status_code == status and text in r.get_data(as_text=True), change
    assert _flag(db, "olena") is True
    assert me.client.post("/password", data=base | {"csrf_token": "stale"}).status_code == 403
    assert _flag(db, "olena") is True


def test_the_api_changes_it_too_and_answers_a_fresh_token(api: Any, db: Any) -> None:
    _created_by_admin(api)
    old = api.client.post("/api/v1/auth/token", json={"username": "olena", "password": TEMP}).get_json()["token"]
    r = api.call("POST", "/auth/password", old, json={"current_password": TEMP, "new_password": MINE})
    assert r.status_code == 200, r.get_json()
    new = r.get_json()["token"]
    assert api.call("GET", "/offices/T1/queue", new).status_code == 200
    assert api.call("GET", "/offices/T1/queue", old).status_code == 401  # made with the old password
    bad = api.call("POST", "/auth/password", new, json={"current_password": "nope-nope", "new_password": "x" * 9})
    assert bad.status_code == 400 and bad.get_json()["code"] == "wrong_current_password"


def test_a_password_someone_else_chose_is_always_temporary(api: Any, db: Any) -> None:
    """Nobody keeps a password another person knows: a permanent one for someone else is refused."""
    user = _created_by_admin(api)
    admin = api.tokens["root"]
    r = api.call("POST", "/users", admin, json={"username": "petro", "password": TEMP, "roles": ["operator"],
                                                 "offices": ["T1"], "temporary": False})
    assert r.status_code == 403 and r.get_json()["code"] == "permanent_password"
    r = api.call("POST", f"/users/{user['id']}/password", admin, json={"password": "reset-pass-123"})
    assert r.status_code == 200 and r.get_json()["must_change_password"] is True
    r = api.call("POST", f"/users/{user['id']}/password", admin, json={"password": "reset-pass-456",
                                                                       "temporary": False})
    assert r.status_code == 403 and r.get_json()["code"] == "permanent_password"
    assert api.client.post("/api/v1/auth/token", json={"username": "olena", "password": "reset-pass-456"}
                           ).status_code == 401  # nothing changed


def test_an_admin_resetting_their_own_password_is_not_locked_out(api: Any, db: Any) -> None:
    admin = api.user("root", ["admin"], [])
    with db.read() as s:
        uid = s.scalar(select(User.id).where(User.username == "root"))
    assert api.call("POST", f"/users/{uid}/password", admin, json={"password": "my-new-root-pass"}).status_code == 200
    assert _flag(db, "root") is False


def test_the_admin_page_reset_sets_the_flag(app: Any, db: Any, clock: Any, office: str) -> None:
    add_user(db, clock, "boss", ["manager"], ["T1"])
    uid = add_user(db, clock, "olena", ["operator"], ["T1"])
    boss = Staff(app)
    boss.login("boss")
    token = csrf_from(boss.client.get("/backoffice/admin/users").get_data(as_text=True))
    r = boss.client.post(f"/backoffice/admin/users/{uid}/password", data={"csrf_token": token,
                                                                         "password": "reset-pass-789"})
    assert r.status_code == 302
    assert _flag(db, "olena") is True


def test_cli_passwd_is_always_temporary(db_url: str, db: Any, clock: Any, office: str) -> None:
    add_user(db, clock, "olena", ["operator"], ["T1"])
    runner = CliRunner()
    env = {"RECEPTION_DATABASE_URL": db_url, "RECEPTION_SECRET_KEY": "cli-test"}
    r = runner.invoke(main, ["user", "passwd", "olena", "--password-stdin"], env=env, input="brand-new-pass\n")
    assert r.exit_code == 0 and "temporary" in r.output, r.output
    assert _flag(db, "olena") is True
    r = runner.invoke(main, ["user", "passwd", "olena", "--password-stdin", "--permanent"], env=env,
                      input="brand-new-pass-2\n")
    assert r.exit_code != 0  # no permanent password for someone else, from the console either
    assert _flag(db, "olena") is True
    r = runner.invoke(main, ["user", "add", "newbie", "--role", "operator", "--office", "T1", "--password-stdin",
                             "--temporary"], env=env, input="first-pass-123\n")
    assert r.exit_code == 0, r.output
    assert _flag(db, "newbie") is True


def test_the_desk_socket_refuses_a_user_who_must_change(app: Any, api: Any, db: Any) -> None:
    from reception.http.realtime import DESK_NS, socketio

    _created_by_admin(api)
    me = Staff(app)
    me.login("olena", TEMP)
    refused = socketio.test_client(app, namespace=DESK_NS, flask_test_client=me.client, auth={"office": "T1"})
    assert not refused.is_connected(DESK_NS)
    token = csrf_from(me.client.get("/password").get_data(as_text=True))
    me.client.post("/password", data={"csrf_token": token, "current_password": TEMP, "new_password": MINE,
                                      "repeat_password": MINE})
    allowed = socketio.test_client(app, namespace=DESK_NS, flask_test_client=me.client, auth={"office": "T1"})
    assert allowed.is_connected(DESK_NS)
    allowed.disconnect(namespace=DESK_NS)

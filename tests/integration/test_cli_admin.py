"""`reception user list|disable|passwd` and `reception device list|revoke`, through click's runner."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from reception.accounts.auth import token_digest
from reception.accounts.models import Device, User
from reception.audit.models import AuditLog
from reception.ops.cli import main
from tests.fakes import add_device, add_user


@pytest.fixture
def cli(db_url: str, db, office) -> Any:
    runner = CliRunner()
    env = {"RECEPTION_DATABASE_URL": db_url, "RECEPTION_SECRET_KEY": "cli-test"}

    def invoke(*args: str, stdin: str | None = None) -> Any:
        return runner.invoke(main, list(args), env=env, input=stdin)

    return invoke


def test_user_list_disable_enable_and_passwd(cli, db, clock) -> None:
    add_user(db, clock, "olena", ["operator"], ["T1"])
    r = cli("user", "list")
    assert r.exit_code == 0, r.output
    assert "olena\toperator\tT1\tдіє/active" in r.output
    r = cli("user", "disable", "olena")
    assert r.exit_code == 0, r.output
    with db.read() as s:
        assert s.scalar(select(User.is_active).where(User.username == "olena")) is False
    assert "вимкнено/disabled" in cli("user", "list").output
    assert cli("user", "disable", "olena", "--enable").exit_code == 0
    old_hash = _hash(db)
    r = cli("user", "passwd", "olena", "--password-stdin", stdin="brand-new-pass\n")
    assert r.exit_code == 0, r.output
    assert _hash(db) != old_hash
    r = cli("user", "passwd", "olena", "--password-stdin", stdin="short\n")
    assert r.exit_code != 0 and "щонайменше 8 символів" in r.output
    assert cli("user", "disable", "nobody").exit_code != 0
    with db.read() as s:
        actions = list(s.scalars(select(AuditLog.action).where(AuditLog.object_type == "user").order_by(AuditLog.id)))
    assert actions[-3:] == ["user.update", "user.update", "user.password"]


def _hash(db) -> str:
    with db.read() as s:
        return str(s.scalar(select(User.password_hash).where(User.username == "olena")))


def test_device_list_and_revoke(cli, db, clock) -> None:
    token = add_device(db, clock, "kiosk", "T1", name="Вхід")
    with db.read() as s:
        device_id = s.scalar(select(Device.id).where(Device.token_hash == token_digest(token)))
    r = cli("device", "list", "--office", "T1")
    assert r.exit_code == 0, r.output
    assert f"{device_id}\tkiosk\tT1\tВхід\t-\tnever\tдіє/active" in r.output
    r = cli("device", "revoke", str(device_id))
    assert r.exit_code == 0, r.output
    assert "відкликано/revoked" in cli("device", "list").output
    with db.read() as s:
        assert s.scalar(select(Device.is_active).where(Device.id == device_id)) is False
    r = cli("device", "revoke", "999")
    assert r.exit_code != 0 and "Пристрій не знайдено" in r.output


def test_a_user_disabled_from_the_console_loses_their_sockets_on_every_server(db_url, db, clock, office) -> None:
    """The console runs without the web app, yet its events reach the servers through Redis: here the
    request to close the user's rooms (each server then ends its own sockets in them)."""
    import json
    import os
    import time

    import redis

    from reception.http.realtime import DESK_NS, HALL_NS, user_room
    from tests.integration.test_realtime_multiprocess import _redis_reachable

    url = os.environ.get("RECEPTION_TEST_REDIS_URL", "")
    if not url or not _redis_reachable(url):
        pytest.skip("no Redis (set RECEPTION_TEST_REDIS_URL)")
    user_id = add_user(db, clock, "olena", ["operator"], ["T1"])
    listener = redis.Redis.from_url(url).pubsub(ignore_subscribe_messages=True)
    listener.subscribe("flask-socketio")
    env = {"RECEPTION_DATABASE_URL": db_url, "RECEPTION_SECRET_KEY": "cli-test", "RECEPTION_REDIS_URL": url}
    r = CliRunner().invoke(main, ["user", "disable", "olena"], env=env)
    assert r.exit_code == 0, r.output
    closed: set[tuple[str, str]] = set()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and len(closed) < 2:
        message = listener.get_message(timeout=0.5)
        if message and (data := json.loads(message["data"])).get("method") == "close_room":
            closed.add((data["room"], data["namespace"]))
    listener.close()
    assert closed == {(user_room(user_id), DESK_NS), (user_room(user_id), HALL_NS)}

"""The bearer-token lookups every API request makes (one Core statement each), on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from reception.accounts.auth import password_fingerprint
from reception.accounts.credentials import paired_device, token_actor
from reception.accounts.models import Device, User
from reception.accounts.service import create_device
from reception.platform.db import Database
from tests.fakes import add_user, build_office


def _user(db: Database, clock: Any, name: str, offices: list[str], roles: list[str]) -> tuple[int, str]:
    user_id = add_user(db, clock, name, roles, offices, password="long-password-1")
    with db.read() as s:
        user = s.get(User, user_id)
        assert user is not None
        return user_id, password_fingerprint(user.password_hash)


def test_a_staff_token_names_the_user_with_every_office_and_role(db: Database, clock: Any) -> None:
    build_office(db, "T1")
    build_office(db, "T2")
    user_id, fingerprint = _user(db, clock, "olena", ["T1", "T2"], ["operator", "manager"])
    with db.read_connection() as conn:
        actor = token_actor(conn, user_id, fingerprint)
    assert actor is not None
    assert (actor.user_id, actor.username, actor.roles) == (user_id, "olena", frozenset({"operator", "manager"}))
    assert len(actor.office_ids) == 2 and actor.device_id is None and not actor.must_change_password


def test_a_user_of_no_office_a_stale_token_and_a_disabled_account(db: Database, clock: Any) -> None:
    user_id, fingerprint = _user(db, clock, "admin2", [], ["admin"])
    with db.read_connection() as conn:
        actor = token_actor(conn, user_id, fingerprint)
        assert actor is not None and actor.office_ids == frozenset() and actor.is_admin
        assert token_actor(conn, user_id, "not-the-fingerprint") is None  # made before a password change
        assert token_actor(conn, user_id + 1000, fingerprint) is None
    with db.write() as s:
        s.execute(update(User).where(User.id == user_id).values(is_active=False))
    with db.read_connection() as conn:
        assert token_actor(conn, user_id, fingerprint) is None


def test_a_device_token_names_the_active_device_with_its_office_code(db: Database, clock: Any) -> None:
    build_office(db, "T1")
    device_id, token = create_device(db, clock, kind="kiosk", office_code="T1", zone="A",
                                     printer_url="tcp://127.0.0.1:9100", name="Вхід")
    with db.read_connection() as conn:
        device = paired_device(conn, token)
        assert paired_device(conn, token + "x") is None
    assert device is not None
    assert (device.id, device.kind, device.office_code, device.zone, device.name, device.printer_url) == (
        device_id, "kiosk", "T1", "A", "Вхід", "tcp://127.0.0.1:9100")
    assert device.actor.device_kind == "kiosk" and device.actor.office_ids == frozenset({device.office_id})
    with db.write() as s:
        s.execute(update(Device).where(Device.id == device_id).values(is_active=False))
    with db.read_connection() as conn:
        assert paired_device(conn, token) is None  # revoked: refused on the very next request

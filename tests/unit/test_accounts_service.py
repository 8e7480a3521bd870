"""Accounts on an in-memory database and a fake clock: the sign-in lockout, and a
user changing their own password on a fake unit of work."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from reception.accounts.administration import create_user
from reception.accounts.auth import verify_password
from reception.accounts.models import LoginThrottle, User
from reception.accounts.service import (
    AccountLocked,
    WrongPassword,
    authenticate,
    change_own_password,
)
from reception.audit.models import AuditLog
from reception.kernel.errors import Unauthorized, ValidationFailed
from reception.kernel.events import UserSignedOut
from tests.fakes import ROOT, refused, run, services

PASSWORD = "secret-pass-1"


@pytest.fixture
def db(memory_db):
    return memory_db  # the clock is the suite's fake one


def user(db: Any, user_id: int) -> User:
    with db.read() as s:
        row = s.get(User, user_id)
        _ = row.offices
        return row


def new_user(db: Any, clock: Any, *, temporary: bool = False) -> int:
    """An operator account made as the console makes one (the creation rules: test_administration)."""
    made = services(db, clock).value(create_user, ROOT, username="olena", password=PASSWORD, roles=["operator"],
                                     offices=[], temporary=temporary)
    return int(made["id"])


def entries(db: Any, action: str) -> list[AuditLog]:
    with db.read() as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


# --- lockout -------------------------------------------------------------------------------------


def sign_in(db: Any, clock: Any, password: str, address: str = "10.0.0.7") -> User:
    return authenticate(db, clock, "olena", password, address=address, max_failures=3, lock_minutes=15)


def test_wrong_passwords_lock_the_pair_then_the_lock_runs_out(db, clock) -> None:
    new_user(db, clock)
    for _ in range(3):
        with pytest.raises(Unauthorized):
            sign_in(db, clock, "wrong-password")
    with pytest.raises(AccountLocked) as locked:
        sign_in(db, clock, PASSWORD)  # even the right password, while locked
    assert locked.value.params == {"minutes": 15}
    [entry] = entries(db, "login.locked")
    assert (entry.object_type, entry.object_id, entry.detail) == ("login", "olena", {"address": "10.0.0.7"})
    assert sign_in(db, clock, PASSWORD, address="10.0.0.8").username == "olena"  # another address: its own count
    clock.advance(minutes=15)
    assert sign_in(db, clock, PASSWORD).username == "olena"
    with db.read() as s:  # a success gives the slots back
        assert s.scalar(select(LoginThrottle).where(LoginThrottle.address == "10.0.0.7")) is None


def test_a_success_before_the_limit_starts_the_count_again(db, clock) -> None:
    new_user(db, clock)
    for _ in range(2):
        with pytest.raises(Unauthorized):
            sign_in(db, clock, "wrong-password")
    sign_in(db, clock, PASSWORD)
    for _ in range(2):
        with pytest.raises(Unauthorized):
            sign_in(db, clock, "wrong-password")
    assert sign_in(db, clock, PASSWORD).username == "olena"  # four wrong in all, never three in a row


def test_the_right_password_on_the_last_free_attempt_signs_in_and_records_no_lock(db, clock) -> None:
    new_user(db, clock)
    for _ in range(2):
        with pytest.raises(Unauthorized):
            sign_in(db, clock, "wrong-password")
    assert sign_in(db, clock, PASSWORD).username == "olena"  # the third attempt: it took the last slot
    assert entries(db, "login.locked") == []


def test_an_unknown_name_is_refused_like_a_wrong_password(db, clock) -> None:
    with pytest.raises(Unauthorized) as caught:
        authenticate(db, clock, "nobody", PASSWORD)
    assert caught.value.key == "error.bad_credentials"


# --- change_own_password -------------------------------------------------------------------------


def test_changing_the_own_password_clears_the_flag_signs_out_everywhere_and_is_audited(db, clock) -> None:
    uid = new_user(db, clock, temporary=True)
    before = user(db, uid).token_generation
    changed, events = run(db, clock, change_own_password, uid, PASSWORD, "new-secret-2")
    row = user(db, uid)
    assert verify_password(row.password_hash, "new-secret-2") and not verify_password(row.password_hash, PASSWORD)
    assert row.must_change_password is False
    assert row.token_generation == before + 1 == changed.token_generation  # old API tokens stop working
    assert events == [UserSignedOut(uid)]
    [entry] = entries(db, "user.password_own")
    assert (entry.user_id, entry.object_id, entry.detail) == (uid, str(uid), {"password": "changed"})


@pytest.mark.parametrize("current, new, error", [
    ("not-my-password", "new-secret-2", WrongPassword),
    (PASSWORD, PASSWORD, ValidationFailed),  # unchanged
    (PASSWORD, "short", ValidationFailed),
])
def test_a_refused_change_changes_nothing(db, clock, current, new, error) -> None:
    uid = new_user(db, clock, temporary=True)
    refused(db, clock, error, change_own_password, uid, current, new)
    row = user(db, uid)
    assert verify_password(row.password_hash, PASSWORD) and row.must_change_password is True
    assert entries(db, "user.password_own") == []

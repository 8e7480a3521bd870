"""Users and devices: sign-in with lockout, staff sessions, one's own password, device registration
(accounts are created by ``accounts.administration.create_user``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from reception.accounts.auth import (
    hash_password,
    new_device_token,
    token_digest,
    verify_password,
)
from reception.accounts.models import Device, LoginThrottle, StaffSession, User
from reception.audit.writer import audit
from reception.kernel.errors import DomainError, Unauthorized, ValidationFailed
from reception.kernel.events import UserSignedOut
from reception.kernel.unit_of_work import UnitOfWork
from reception.offices.lookups import office_by_code
from reception.platform.clock import Clock
from reception.platform.db import Database
from reception.platform.i18n import Text

MIN_PASSWORD_LEN = 8


class AccountLocked(DomainError):
    status = 429
    key = "error.locked"


@dataclass(frozen=True)
class LockoutPolicy:
    """``max_failures`` wrong passwords per (username, address) lock that pair for ``lock_minutes``."""

    max_failures: int = 5
    lock_minutes: int = 15


def authenticate(db: Database, clock: Clock, username: str, password: str, *, address: str = "",
                 max_failures: int = 5, lock_minutes: int = 15) -> User:
    """The user for these credentials, or Unauthorized / AccountLocked.

    One attempt slot is taken atomically *before* the password is checked, so concurrent
    guesses cannot all slip in before the lockout; a success gives the slots back. Unknown
    and inactive names take the same path (a dummy hash is verified), so neither the answer
    nor the work tells whether an account exists.
    """
    now = clock.now()
    key = (username[:USERNAME_MAX], address[:ADDRESS_MAX])
    policy = LockoutPolicy(max_failures, lock_minutes)
    locked_until, last_attempt = _take_attempt(db, now, key, policy)
    if locked_until is not None:
        raise AccountLocked(minutes=max(1, math.ceil((locked_until - now).total_seconds() / 60)))
    user = _active_user(db, username)
    if verify_password(user.password_hash if user else _DUMMY_HASH, password) and user is not None:
        _forget_failures(db, now, key)
        return user
    if last_attempt:  # the lock the last slot started stands: a right password would have lifted it
        with db.write() as s:
            audit(s, now, None, "login.locked", "login", key[0], {"address": key[1]})
    raise Unauthorized("error.bad_credentials")


USERNAME_MAX = 64
ADDRESS_MAX = 64
THROTTLE_KEPT = timedelta(days=1)


def _active_user(db: Database, username: str) -> User | None:
    with db.read() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None or not user.is_active:
            return None
        _ = user.offices  # load while the session is open
        return user


def _take_attempt(db: Database, now: datetime, key: tuple[str, str],
                  policy: LockoutPolicy) -> tuple[datetime | None, bool]:
    """Take one attempt slot ((None, whether it was the last)), or the end of the lock that refuses it.

    A conditional UPDATE (``failures < max``) is the check and the increment at once: rows are
    locked by it on PostgreSQL and writers are serialised on SQLite, so no two requests can
    take the same last slot. The slot that reaches the maximum starts the lock at once.
    """
    username, address = key
    here = (LoginThrottle.username == username) & (LoginThrottle.address == address)
    stale = now - timedelta(minutes=policy.lock_minutes)
    with db.write() as s:
        s.execute(_insert_ignore(db).values(username=username, address=address, failures=0, updated_at=now))
        # An expired lock, or failures long ago, start over.
        s.execute(update(LoginThrottle).where(here).where(
            (LoginThrottle.locked_until <= now)
            | (LoginThrottle.locked_until.is_(None) & (LoginThrottle.updated_at <= stale))
        ).values(failures=0, locked_until=None))
        taken = s.execute(update(LoginThrottle).where(here, LoginThrottle.failures < policy.max_failures).values(
            failures=LoginThrottle.failures + 1,
            updated_at=now,
            locked_until=case((LoginThrottle.failures + 1 >= policy.max_failures,
                               now + timedelta(minutes=policy.lock_minutes)), else_=None),
        ).returning(LoginThrottle.failures)).first()
        if taken is not None:
            return None, taken[0] >= policy.max_failures
        locked_until = s.scalar(select(LoginThrottle.locked_until).where(here))
    return locked_until or now + timedelta(minutes=policy.lock_minutes), False


def _insert_ignore(db: Database) -> Any:
    insert = sqlite_insert if db.is_sqlite else pg_insert
    return insert(LoginThrottle).on_conflict_do_nothing()


def _forget_failures(db: Database, now: datetime, key: tuple[str, str]) -> None:
    """A success ends this pair's streak; rows nobody touched for a day (guessed names) go too."""
    with db.write() as s:
        s.execute(delete(LoginThrottle).where(LoginThrottle.username == key[0], LoginThrottle.address == key[1]))
        s.execute(delete(LoginThrottle).where(LoginThrottle.updated_at < now - THROTTLE_KEPT,
                                              (LoginThrottle.locked_until.is_(None)) | (LoginThrottle.locked_until < now)))


_DUMMY_HASH = hash_password("not-a-real-password")


# --- staff sessions: the cookie holds a random key, the database its digest ----------------------


def open_staff_session(db: Database, now: datetime, user_id: int, lifetime: timedelta) -> str:
    """A new signed-in session for ``user_id``; returns the key for the cookie (shown once)."""
    key = new_device_token()
    with db.write() as s:
        s.execute(delete(StaffSession).where(StaffSession.user_id == user_id, StaffSession.expires_at <= now))
        s.add(StaffSession(id=token_digest(key), user_id=user_id, created_at=now, expires_at=now + lifetime))
    return key


def staff_session_user(db: Database, now: datetime, key: str) -> User | None:
    """The active user of an unexpired session key, offices loaded; None otherwise."""
    with db.read() as s:
        row = s.get(StaffSession, token_digest(key))
        if row is None or row.expires_at <= now:
            return None
        user = s.get(User, row.user_id)
        if user is None or not user.is_active:
            return None
        _ = user.offices
        return user


def close_staff_session(db: Database, key: str) -> None:
    """Sign-out: the key (and any copy of its cookie) stops working at once."""
    with db.write() as s:
        s.execute(delete(StaffSession).where(StaffSession.id == token_digest(key)))


def end_sessions(session: Session, user_id: int) -> None:
    """Every signed-in browser and every API token of the user stops working (password changed,
    account disabled): the sessions go, and the token generation moves, so that re-enabling the
    account later brings none of them back."""
    session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))
    session.execute(update(User).where(User.id == user_id).values(token_generation=User.token_generation + 1))


class WrongPassword(DomainError):
    status = 400
    key = "error.wrong_current_password"


def change_own_password(uow: UnitOfWork, clock: Clock, user_id: int, current: str, new: str) -> User:
    """The signed-in user replaces their password (a temporary one, or any): the flag clears.

    Every session and API token made with the old password stops working, and the server closes the
    user's open sockets after commit; the caller opens a new session for this browser.  Wrong current
    password, too short, or unchanged: 400, nothing changed.
    """
    if not isinstance(new, str) or not MIN_PASSWORD_LEN <= len(new) <= 512:
        raise ValidationFailed("error.password_too_short", min=MIN_PASSWORD_LEN)
    s = uow.session
    user = s.get(User, user_id)
    if user is None or not user.is_active:
        raise Unauthorized()
    if not isinstance(current, str) or not verify_password(user.password_hash, current):
        raise WrongPassword()
    if new == current:
        raise ValidationFailed("error.password_unchanged")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    s.flush()
    end_sessions(s, user.id)
    s.expire(user, ["token_generation"])  # moved by end_sessions' UPDATE: the new token carries the new one
    uow.collect(signed_out_event(user.id))
    audit(s, clock.now(), user.id, "user.password_own", "user", user.id, {"password": "changed"})
    s.flush()
    _ = user.offices, user.token_generation  # the caller signs the browser in again with them
    return user


def signed_out_event(user_id: int) -> UserSignedOut:
    """After commit, the server closes the user's open sockets (desk consoles, hall views) in every
    process (``reception.http.realtime.fan_out``): they were joined with rights now withdrawn."""
    return UserSignedOut(user_id)


def create_device(db: Database, clock: Clock, *, kind: str, office_code: str, zone: str | None = None,
                  printer_url: str | None = None, name: str = "") -> tuple[int, str]:
    """Register a kiosk or display; returns (id, token). The token is shown once, stored hashed."""
    if kind not in ("kiosk", "display"):
        raise ValidationFailed.because(Text.of("error.input.choice", name="kind", choices=("kiosk", "display")))
    token = new_device_token()
    with db.write() as s:
        office = office_by_code(s, office_code)
        device = Device(office_id=office.id, kind=kind, zone=zone, printer_url=printer_url, name=name,
                        token_hash=token_digest(token), created_at=clock.now())
        s.add(device)
        s.flush()
        audit(s, clock.now(), None, "device.create", "device", device.id,
              {"kind": kind, "office": office_code, "zone": zone})
        return device.id, token

"""Users and devices: creation, sign-in with lockout, device pairing."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from .auth import hash_password, new_device_token, token_digest, validate_roles, verify_password
from .clock import Clock
from .db import Database
from .errors import Conflict, DomainError, NotFound, Unauthorized, ValidationFailed
from .lookups import office_by_code
from .models import AuditLog, Device, User

MIN_PASSWORD_LEN = 8


class AccountLocked(DomainError):
    status = 429
    key = "error.locked"


def create_user(db: Database, clock: Clock, *, username: str, password: str, roles: list[str],
                office_codes: list[str], full_name: str = "", position: str = "", lang: str = "uk") -> int:
    if len(password) < MIN_PASSWORD_LEN:
        raise ValidationFailed(detail=f"password: at least {MIN_PASSWORD_LEN} characters")
    try:
        clean_roles = validate_roles(roles)
    except ValueError as exc:
        raise ValidationFailed(detail=f"roles: {exc}") from exc
    with db.write() as s:
        if s.scalar(select(User).where(User.username == username)):
            raise Conflict("error.duplicate", value=username)
        user = User(username=username, password_hash=hash_password(password), roles=clean_roles,
                    full_name=full_name, position=position, lang=lang)
        user.offices = [office_by_code(s, code) for code in office_codes]
        s.add(user)
        s.flush()
        s.add(AuditLog(at=clock.now(), action="user.create", object_type="user", object_id=str(user.id),
                       detail={"username": username, "roles": clean_roles, "offices": office_codes}))
        return user.id


def authenticate(db: Database, clock: Clock, username: str, password: str, *,
                 max_failures: int = 5, lock_minutes: int = 15) -> User:
    """The user for these credentials; counts failures and locks the account for a while."""
    now = clock.now()
    with db.read() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is not None:
            _ = user.offices
    if user is None or not user.is_active:
        verify_password(_DUMMY_HASH, password)  # same cost whether or not the user exists
        raise Unauthorized("error.bad_credentials")
    if user.locked_until and user.locked_until > now:
        minutes = max(1, math.ceil((user.locked_until - now).total_seconds() / 60))
        raise AccountLocked(minutes=minutes)
    ok = verify_password(user.password_hash, password)
    with db.write() as s:
        row = s.get(User, user.id)
        assert row is not None
        if ok:
            row.failed_logins, row.locked_until = 0, None
        else:
            row.failed_logins += 1
            if row.failed_logins >= max_failures:
                row.locked_until, row.failed_logins = now + timedelta(minutes=lock_minutes), 0
                s.add(AuditLog(at=now, user_id=row.id, action="user.locked", object_type="user",
                               object_id=str(row.id)))
    if not ok:
        raise Unauthorized("error.bad_credentials")
    return user


_DUMMY_HASH = hash_password("not-a-real-password")


def create_device(db: Database, clock: Clock, *, kind: str, office_code: str, zone: str | None = None,
                  printer_url: str | None = None, name: str = "") -> tuple[int, str]:
    """Register a kiosk or display; returns (id, token). The token is shown once, stored hashed."""
    if kind not in ("kiosk", "display"):
        raise ValidationFailed(detail="kind: kiosk or display")
    token = new_device_token()
    with db.write() as s:
        office = office_by_code(s, office_code)
        device = Device(office_id=office.id, kind=kind, zone=zone, printer_url=printer_url, name=name,
                        token_hash=token_digest(token), created_at=clock.now())
        s.add(device)
        s.flush()
        s.add(AuditLog(at=clock.now(), action="device.create", object_type="device", object_id=str(device.id),
                       detail={"kind": kind, "office": office_code, "zone": zone}))
        return device.id, token


def device_info(db: Database, device_id: int) -> dict[str, Any]:
    with db.read() as s:
        device = s.get(Device, device_id)
        if device is None:
            raise NotFound()
        return {"id": device.id, "kind": device.kind, "office": device.office.code, "zone": device.zone,
                "printer_url": device.printer_url, "name": device.name}

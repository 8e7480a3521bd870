"""Tables of accounts, everyone who may call the product: staff users (their offices, sessions and sign-in
throttles) and paired devices (kiosks and displays, and their one-time pairing codes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reception.offices.models import Office
from reception.platform.orm import Base, UTCDateTime, aware_dt, intpk


class User(Base):
    __tablename__ = "users"

    id: Mapped[intpk]
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[str] = mapped_column(String(200), default="")
    roles: Mapped[list[Any]] = mapped_column(default=list)
    lang: Mapped[str] = mapped_column(String(2), default="uk")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A password an administrator chose (create, reset): the user must replace it before anything else.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Signed into every API token; moved when the account is disabled or its password changes, so
    # tokens issued before do not come back with a re-enable (``accounts.service.end_sessions``).
    token_generation: Mapped[int] = mapped_column(default=0, server_default=text("0"))

    offices: Mapped[list[Office]] = relationship(secondary="user_offices")


class LoginThrottle(Base):
    """Failed sign-ins per (username as typed, client address): the lockout's counter.

    Keyed by the typed name, not the user id, so unknown names are counted and locked exactly
    like real ones (nothing tells them apart); keyed by address too, so a stranger's guesses
    never lock the owner out at another computer.
    """

    __tablename__ = "login_throttles"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[aware_dt]


class StaffSession(Base):
    """A signed-in browser: the cookie holds a random key, only its SHA-256 is stored here.

    Deleting the row signs that browser out at once (sign-out, password change), whatever
    copy of the cookie is around.
    """

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[aware_dt]
    expires_at: Mapped[aware_dt]


class UserOffice(Base):
    __tablename__ = "user_offices"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)

class Device(Base):
    """A kiosk or wall display, paired by a token whose SHA-256 alone is stored."""

    __tablename__ = "devices"

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    kind: Mapped[str] = mapped_column(String(16))  # kiosk | display
    name: Mapped[str] = mapped_column(String(100), default="")
    zone: Mapped[str | None] = mapped_column(String(32))
    printer_url: Mapped[str | None] = mapped_column(String(500))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[aware_dt]
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The printer's paper sensor as last read (ok | near_end | out | unknown) and when (the alerts' job).
    printer_paper: Mapped[str | None] = mapped_column(String(16))
    printer_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    office: Mapped[Office] = relationship()


class DevicePairing(Base):
    """A one-time code a manager hands to a new kiosk or display (short, expiring; SHA-256 stored)."""

    __tablename__ = "device_pairings"

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    kind: Mapped[str] = mapped_column(String(16))  # kiosk | display
    name: Mapped[str] = mapped_column(String(100), default="")
    zone: Mapped[str | None] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[aware_dt]
    expires_at: Mapped[aware_dt]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))  # set when redeemed

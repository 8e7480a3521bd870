"""Whom a bearer token names: a paired device, or a staff member's API token.

Every API request is resolved by one of these, so each is one prebuilt Core statement on a read
connection, answering a small frozen value instead of ORM objects (decision 026: the caller lookup
cost more than the floor's whole request when it loaded a Device or a User with its offices).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select

from reception.accounts.auth import token_digest, token_matches_password
from reception.accounts.models import Device, User, UserOffice
from reception.kernel.identity import Actor
from reception.offices.models import Office

_D, _O, _U, _UO = Device.__table__.c, Office.__table__.c, User.__table__.c, UserOffice.__table__.c


@dataclass(frozen=True)
class PairedDevice:
    """An active kiosk or wall display, as its token authenticated it (with its office's code)."""

    id: int
    kind: str  # kiosk | display
    name: str
    zone: str | None
    office_id: int
    office_code: str
    printer_url: str | None

    @property
    def actor(self) -> Actor:
        return Actor(device_id=self.id, device_kind=self.kind, office_ids=frozenset({self.office_id}))


_DEVICE = (select(_D.id, _D.kind, _D.name, _D.zone, _D.office_id, _O.code, _D.printer_url)
           .join_from(Device.__table__, Office.__table__, _O.id == _D.office_id)
           .where(_D.token_hash == bindparam("digest"), _D.is_active.is_(True)))

# The user and their offices in one statement: a row per office (one row with a NULL office if none).
_TOKEN_USER = (select(_U.username, _U.password_hash, _U.token_generation, _U.roles, _U.must_change_password,
                      _UO.office_id)
               .join_from(User.__table__, UserOffice.__table__, _UO.user_id == _U.id, isouter=True)
               .where(_U.id == bindparam("user"), _U.is_active.is_(True)))


def paired_device(conn: Connection, token: str) -> PairedDevice | None:
    """The active device ``token`` pairs; None if unknown or revoked."""
    row = conn.execute(_DEVICE, {"digest": token_digest(token)}).first()
    return PairedDevice(*row) if row is not None else None


def token_actor(conn: Connection, user_id: int, fingerprint: str) -> Actor | None:
    """The active staff member a signed API token names, if the token still matches their password
    and token generation (a password change or a disable revokes every token); None otherwise."""
    rows = conn.execute(_TOKEN_USER, {"user": user_id}).all()
    if not rows or not token_matches_password(fingerprint, rows[0].password_hash, rows[0].token_generation):
        return None
    first = rows[0]
    return Actor(user_id=user_id, username=first.username, roles=frozenset(first.roles or []),
                 office_ids=frozenset(r.office_id for r in rows if r.office_id is not None),
                 must_change_password=bool(first.must_change_password))

"""Loading offices, services and desks by their public codes, with the caller's office scope checked."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session, contains_eager
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from reception.kernel.errors import NotFound, ValidationFailed
from reception.kernel.identity import Actor
from reception.offices.models import Desk, Office, Service


def office_by_code(session: Session, code: str) -> Office:
    office = session.scalar(select(Office).where(Office.code == code))
    if office is None:
        raise NotFound("error.unknown_office", office=code)
    return office


def service_by_code(session: Session, office_id: int, code: str) -> Service:
    service = session.scalar(select(Service).where(Service.office_id == office_id, Service.code == code))
    if service is None or not service.is_active:
        raise NotFound("error.unknown_service", service=code)
    return service


# Built once: every desk action starts here (call-next's hot path binds only the codes).
_DESKS_BY_CODE = select(Desk).join(Office).options(contains_eager(Desk.office)).where(Desk.code == bindparam("desk"))
_DESK_IN_OFFICE = _DESKS_BY_CODE.where(Office.code == bindparam("office"))


def desk_for_actor(session: Session, actor: Actor, desk_code: str, office_code: str | None = None) -> Desk:
    """The desk with this code in one of the actor's offices (``office_code`` disambiguates)."""
    query, params = ((_DESK_IN_OFFICE, {"desk": desk_code, "office": office_code}) if office_code
                     else (_DESKS_BY_CODE, {"desk": desk_code}))
    desks = [d for d in session.scalars(query, params).all() if actor.can_access_office(d.office_id)]
    if not desks:
        raise NotFound("error.unknown_desk", desk=desk_code)
    if len(desks) > 1:
        raise ValidationFailed("error.desk_ambiguous", desk=desk_code)
    return desks[0]


_OFFICES = cast(Table, Office.__table__)
_BUMP = (update(_OFFICES).where(_OFFICES.c.id == bindparam("office"))
         .values(version=_OFFICES.c.version + 1).returning(_OFFICES.c.version))


def bump_version(session: Session, office_id: int) -> int:
    """Advance the office's live-state version; call last in a transaction (lock order: the
    session's pending rows are written first). Built once and run in Core: every command ends here."""
    session.flush()
    version = int(session.connection().execute(_BUMP, {"office": office_id}).scalar_one())
    office = session.identity_map.get(identity_key(Office, office_id))
    if office is not None:  # the loaded office knows it, nothing left to write: never assign it again
        set_committed_value(office, "version", version)  # (that would make the office dirty: a flush)
    return version

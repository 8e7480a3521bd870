"""Loading offices, services and desks by their public codes, with the caller's office scope checked."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Select, Table, bindparam, select, update
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
    return _the_one(actor, desk_code, session.scalars(query, params).all())


_Desk = TypeVar("_Desk", Desk, "DeskRow")


def _the_one(actor: Actor, desk_code: str, found: Sequence[_Desk]) -> _Desk:
    """The rule of a desk code: the one of the actor's offices; none is unknown, two are ambiguous."""
    desks = [d for d in found if actor.can_access_office(d.office_id)]
    if not desks:
        raise NotFound("error.unknown_desk", desk=desk_code)
    if len(desks) > 1:
        raise ValidationFailed("error.desk_ambiguous", desk=desk_code)
    return desks[0]


@dataclass(frozen=True, slots=True)
class DeskRow:
    """A desk as call-next reads it: one Core row with its office's code and versions, no ORM object
    (decision 026). ``config_version`` is read in the caller's transaction: the office's configuration
    snapshot is checked against it (decision 036)."""

    id: int
    office_id: int
    code: str
    name_uk: str
    name_en: str
    kind: str
    zone: str
    status: str
    user_id: int | None
    opened_at: datetime | None
    pause_reason: str | None
    priority_streak: int
    allow_call_specific: bool
    office_code: str
    office_version: int  # the live version (displays), as of this read
    config_version: int


_DESKS = cast(Table, Desk.__table__)
_DESK_COLUMNS = select(*(_DESKS.c[f.name] for f in fields(DeskRow)[:13]),
                       Office.__table__.c.code, Office.__table__.c.version, Office.__table__.c.config_version
                       ).select_from(_DESKS.join(cast(Table, Office.__table__))).where(_DESKS.c.code == bindparam("desk"))


def _desk_rows(base: Select[Any], by_office: bool, scoped: bool, lock: bool) -> Select[Any]:
    query = base.where(Office.__table__.c.code == bindparam("office")) if by_office else base
    if scoped:  # only the desks the caller may see are locked (desk codes repeat from office to office)
        query = query.where(_DESKS.c.office_id.in_(bindparam("offices", expanding=True)))
    return query.with_for_update(of=_DESKS) if lock else query


DeskQueries = dict[tuple[bool, bool, bool], Select[Any]]


def desk_queries(extend: Callable[[Select[Any]], Select[Any]] | None = None) -> DeskQueries:
    """The desk-row statement in each variant (by office code, limited to the caller's offices, locked), to
    build once; ``extend`` adds a caller's own columns after the desk's (call-next: who is at the desk)."""
    base = extend(_DESK_COLUMNS) if extend is not None else _DESK_COLUMNS
    return {(b, s, lock): _desk_rows(base, b, s, lock) for b in (False, True) for s in (False, True)
            for lock in (False, True)}


_DESK_ROWS = desk_queries()
_DESK_WIDTH = len(fields(DeskRow))


def desk_row_for_actor(session: Session, actor: Actor, desk_code: str, office_code: str | None = None, *,
                       lock: bool = False, queries: DeskQueries | None = None) -> tuple[DeskRow, Sequence[Any]]:
    """:func:`desk_for_actor` as a row value, read (and with ``lock``, locked: ``FOR UPDATE`` of the desk
    only) in one statement with its office's code and versions; and the columns ``queries`` added (see
    :func:`desk_queries`), of the desk's first row."""
    scoped = lock and not actor.is_admin  # unlocked, the rule below alone decides (no list to expand)
    params: dict[str, Any] = {"desk": desk_code}
    if office_code:
        params["office"] = office_code
    if scoped:
        params["offices"] = sorted(actor.office_ids)
    rows: dict[int, Sequence[Any]] = {}
    for row in session.connection().execute((queries or _DESK_ROWS)[bool(office_code), scoped, lock], params):
        rows.setdefault(row[0], row)  # a join may repeat a desk: its first row
    desk = _the_one(actor, desk_code, [DeskRow(*row[:_DESK_WIDTH]) for row in rows.values()])
    return desk, rows[desk.id][_DESK_WIDTH:]


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

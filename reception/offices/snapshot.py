"""A per-process snapshot of an office's configuration, checked in the reader's own transaction.

The kiosk ticket used to load the office and its service as ORM rows, and probe for a suspension, on
every request. Now each process keeps, per database engine and office, the office's row, its services
(the active ones by code, all by id), its desks' service weights and whether a suspension row is open,
labelled with the ``offices.config_version`` it was read at. Every use checks it by that one number read
in the caller's transaction (call-next reads it with its desk, the kiosk ticket with its number):
equal, the snapshot is the configuration as of this transaction; different, it is read again and what
it admitted is admitted again. A stale snapshot is never used, because the number moves in the same transaction as any change
of the configuration, by the database's own triggers (``reception.offices.config_version``; decision 036).

The two hot commands read the rows as plain values (decision 026); for others they are handed to the
session as persistent objects without a query (``attach``), the live ``offices.version`` left unloaded,
so it is never read stale from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar, cast
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, Table, bindparam, select
from sqlalchemy.orm import Session, class_mapper, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.orm.util import identity_key

from reception.kernel.errors import NotFound
from reception.offices.models import Desk, DeskService, Office, Service, Suspension
from reception.offices.rules import OfficeSettings

_Row = TypeVar("_Row")

_O = cast(Table, Office.__table__).c
_S = cast(Table, Service.__table__).c
_SU = cast(Table, Suspension.__table__).c
_LIVE = ("version", "config_version")  # not configuration, or the label itself: never served from here

# Built once: the check binds only the code.
_VERSION = select(_O.id, _O.config_version).where(_O.code == bindparam("office"))
_OFFICE = select(*(c for c in _O if c.key not in _LIVE)).where(_O.id == bindparam("office"))
_SERVICES = select(*_S).where(_S.office_id == bindparam("office"))  # inactive ones too: a waiting ticket may have one
_LINKS, _DESKS = cast(Table, DeskService.__table__), cast(Table, Desk.__table__)
_WEIGHTS = (select(_LINKS.c.desk_id, _LINKS.c.service_id, _LINKS.c.weight).select_from(_LINKS.join(_DESKS))
            .where(_DESKS.c.office_id == bindparam("office")))
_OPEN_SUSPENSION = select(_SU.id).where(_SU.office_id == bindparam("office"), _SU.ended_at.is_(None)).limit(1)


@dataclass(frozen=True)
class OfficeConfig:
    """An office's configuration as of ``version``; shared by the threads of a process, never changed."""

    office_id: int
    version: int
    office: Mapping[str, Any]  # the offices row, without its live version
    services: Mapping[str, Mapping[str, Any]]  # active services by code
    suspended: bool  # a suspension row is open (in force, or with a resume due to be recorded)
    every_service: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)  # by id, inactive ones too
    weights: Mapping[int, Mapping[int, float]] = field(default_factory=dict)  # desk id -> its services' weights

    @property
    def id(self) -> int:
        return self.office_id

    @property
    def code(self) -> str:
        return cast(str, self.office["code"])

    @property
    def timezone(self) -> str:
        return cast(str, self.office["timezone"])

    @cached_property
    def settings(self) -> OfficeSettings:
        """The queue knobs, parsed once per snapshot (the office row's ``settings``)."""
        return OfficeSettings.from_json(self.office["settings"])

    def office_in(self, session: Session) -> Office:
        return _attach(session, Office, self.office)

    def service_in(self, session: Session, code: str) -> Service:
        values = self.services.get(code)
        if values is None:
            raise NotFound("error.unknown_service", service=code)
        return _attach(session, Service, values)


# Per engine: a test process builds many databases, each numbering its offices and versions from 0.
_SNAPSHOTS: WeakKeyDictionary[Engine, dict[str, OfficeConfig]] = WeakKeyDictionary()


def office_config(session: Session, office_code: str) -> OfficeConfig:
    """The office's configuration as of this transaction: the snapshot if its version is current, else
    read again (and kept for the next caller)."""
    session.flush()  # a configuration change pending in this session moves the version at its flush
    row = session.connection().execute(_VERSION, {"office": office_code}).first()
    if row is None:
        raise NotFound("error.unknown_office", office=office_code)
    return office_config_at(session, office_code, row.id, row.config_version)


def known_office_config(session: Session, office_code: str) -> OfficeConfig | None:
    """The office's snapshot this process holds, unchecked: its ``version`` must be compared with the
    office's ``config_version`` read later in the same transaction before anything it admitted counts
    (the kiosk ticket reads that number with its ticket number). None: none is held yet."""
    return _SNAPSHOTS.get(session.connection().engine, {}).get(office_code)


def office_config_at(session: Session, office_code: str, office_id: int, config_version: int) -> OfficeConfig:
    """:func:`office_config` for a caller that has read the office's ``config_version`` in this very
    transaction itself (call-next reads it with its desk, in one statement)."""
    conn = session.connection()
    engine = conn.engine
    snapshots = _SNAPSHOTS.get(engine)
    if snapshots is None:
        snapshots = _SNAPSHOTS.setdefault(engine, {})
    known = snapshots.get(office_code)
    if known is not None and known.office_id == office_id and known.version == config_version:
        return known
    # Read after the version: the rows are at least as new as the label, so a change committed
    # in between makes the next caller read again, never the reverse.
    fresh = _load(conn, office_id, config_version)
    snapshots[office_code] = fresh
    return fresh


def _load(conn: Connection, office_id: int, version: int) -> OfficeConfig:
    office = dict(conn.execute(_OFFICE, {"office": office_id}).one()._mapping)
    every = {r.id: dict(r._mapping) for r in conn.execute(_SERVICES, {"office": office_id})}
    suspended = conn.execute(_OPEN_SUSPENSION, {"office": office_id}).first() is not None
    active = {values["code"]: values for values in every.values() if values["is_active"]}
    weights: dict[int, dict[int, float]] = {}
    for desk_id, service_id, weight in conn.execute(_WEIGHTS, {"office": office_id}):
        weights.setdefault(desk_id, {})[service_id] = weight
    return OfficeConfig(office_id, version, office, active, suspended, every, weights)


def _attach(session: Session, entity: type[_Row], values: Mapping[str, Any]) -> _Row:
    """The row as a persistent object of ``session``, as if loaded by it (no query): the one already
    in its identity map, else a new object with the snapshot's values (its other attributes unloaded)."""
    present = session.identity_map.get(identity_key(entity, values["id"]))
    if present is not None:
        return present
    row: _Row = class_mapper(entity).class_manager.new_instance()  # as a query's loader makes it: no __init__,
    instance_state(row).dict.update(values)  # no attribute events per column
    make_transient_to_detached(row)
    session.add(row)
    return row

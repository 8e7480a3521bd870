"""A ticket as a small frozen value: what the two hot commands (the kiosk ticket and call-next) read and
write in Core, without an ORM object loaded, flushed or refreshed (decision 026).

A :class:`TicketRow` has the ticket's columns under their names and, like the ORM ``Ticket``, its
``office`` (code, time zone), ``service`` (code, names) and ``desk`` (code, names) as attributes, so the
ticket's view, its events and its history are built by the same code from either.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Row, Select, Table, bindparam, or_, select

from reception.offices.lookups import DeskRow
from reception.offices.models import Desk, Office, Service
from reception.queue.models import Ticket
from reception.queue.states import Status


@dataclass(frozen=True, slots=True)
class OfficeRef:
    """An office as a ticket's view and slip name it."""

    code: str
    name_uk: str
    name_en: str | None
    timezone: str


@dataclass(frozen=True, slots=True)
class ServiceRef:
    """A service as a ticket's view, slip and estimate take it."""

    code: str
    name_uk: str
    name_en: str | None
    default_service_min: float


@dataclass(frozen=True, slots=True)
class DeskRef:
    """A desk as a ticket's view and its call name it."""

    code: str
    name_uk: str
    name_en: str | None
    zone: str | None


def office_ref(values: Mapping[Any, Any]) -> OfficeRef:
    """From the office's row (its configuration snapshot's)."""
    return OfficeRef(values["code"], values["name_uk"], values["name_en"], values["timezone"])


def service_ref(values: Mapping[Any, Any]) -> ServiceRef:
    """From the service's row (its configuration snapshot's)."""
    return ServiceRef(values["code"], values["name_uk"], values["name_en"], values["default_service_min"])


@dataclass(frozen=True, slots=True)
class TicketRow:
    """The ``tickets`` row (its columns in table order), with what a view of it names."""

    id: int
    office_id: int
    service_id: int
    day: date
    number: int
    code: str
    priority: str | None
    appointment_at: datetime | None
    appointment_id: int | None
    status: str
    issued_at: datetime
    queued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    desk_id: int | None
    user_id: int | None
    target_desk_id: int | None
    target_user_id: int | None
    public_token: str | None
    lang: str
    recall_count: int
    transferred_from_id: int | None
    issued_by_device_id: int | None
    idempotency_key: str | None
    call_rule: str | None
    outcome: str | None
    note: str | None
    print_status: str | None
    version_id: int
    booked_for: datetime | None
    call_tolerance_min: int | None
    office: OfficeRef
    service: ServiceRef
    desk: DeskRef | None


TICKETS = cast(Table, Ticket.__table__)
COLUMNS = tuple(f.name for f in fields(TicketRow)[:-3])
if tuple(c.key for c in TICKETS.columns) != COLUMNS:
    raise RuntimeError("TicketRow must list the tickets columns in table order")
TICKET_COLUMNS = tuple(TICKETS.c[name] for name in COLUMNS)


def ticket_row(values: Sequence[Any] | Mapping[str, Any], office: OfficeRef, service: ServiceRef,
               desk: DeskRef | None) -> TicketRow:
    """The value of a row read (or returned) with :data:`TICKET_COLUMNS` first."""
    columns = (values[name] for name in COLUMNS) if isinstance(values, Mapping) else values[:len(COLUMNS)]
    return _TICKET_ROW(*columns, office, service, desk)


_TICKET_ROW = cast(Callable[..., TicketRow], TicketRow)  # positional: the columns in table order


_S, _O, _D = (cast(Table, m.__table__).c for m in (Service, Office, Desk))
# Built once: who is at a desk (called or served there), with the names a view of it shows.
_REFS = ((_O.code, _O.name_uk, _O.name_en, _O.timezone), (_S.code, _S.name_uk, _S.name_en, _S.default_service_min),
         (_D.code, _D.name_uk, _D.name_en, _D.zone))
# Who is at a desk: a ticket called or served there. The desk's office too: the tickets are found among
# their office's open ones, not among every ticket the desk ever called (no index leads with desk_id).
_AT_THE_DESK = ((_D.id == TICKETS.c.desk_id) & (_D.office_id == TICKETS.c.office_id)
                & or_(TICKETS.c.status == Status.CALLED, TICKETS.c.status == Status.SERVING))  # no list expanded
AT_DESK = (select(*TICKET_COLUMNS, *(column for ref in _REFS for column in ref))
           .select_from(TICKETS.join(cast(Table, Service.__table__), _S.id == TICKETS.c.service_id)
                        .join(cast(Table, Office.__table__), _O.id == TICKETS.c.office_id)
                        .join(cast(Table, Desk.__table__), _AT_THE_DESK))
           .where(_D.id == bindparam("desk")))


def at_desk(row: Row[Any]) -> TicketRow:
    """A row of :data:`AT_DESK` as its value."""
    n = len(COLUMNS)
    return ticket_row(row, OfficeRef(*row[n:n + 4]), ServiceRef(*row[n + 4:n + 8]), DeskRef(*row[n + 8:n + 12]))


def with_visitor(desks: Select[Any]) -> Select[Any]:
    """A statement reading desks (joined to their offices) that also reads, after their columns, whoever is
    at each (:func:`visitor_of`): call-next's desk and visitor in one statement (decision 026)."""
    return (desks.add_columns(*TICKET_COLUMNS, *_REFS[0][1:], *_REFS[1])
            .outerjoin(TICKETS, _AT_THE_DESK)
            .outerjoin(cast(Table, Service.__table__), _S.id == TICKETS.c.service_id))


def visitor_of(desk: DeskRow, values: Sequence[Any]) -> TicketRow | None:
    """The ticket at ``desk`` from the columns :func:`with_visitor` added (None: nobody is there)."""
    if values[0] is None:
        return None
    n = len(COLUMNS)
    return ticket_row(values, OfficeRef(desk.office_code, *values[n:n + 3]), ServiceRef(*values[n + 3:n + 7]),
                      DeskRef(desk.code, desk.name_uk, desk.name_en, desk.zone))

"""A ticket as a small frozen value: what the two hot commands (the kiosk ticket and call-next) read and
write in Core, without an ORM object loaded, flushed or refreshed (decision 026).

A :class:`TicketRow` has the ticket's columns under their names and, like the ORM ``Ticket``, its
``office`` (code, time zone), ``service`` (code, names) and ``desk`` (code, names) as attributes, so the
ticket's view, its events and its history are built by the same code from either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, select

from reception.offices.models import Desk, Office, Service
from reception.queue.models import Ticket
from reception.queue.states import Status


@dataclass(frozen=True, slots=True)
class OfficeRef:
    code: str
    timezone: str


@dataclass(frozen=True, slots=True)
class Named:
    """A service or a desk as a ticket shows it."""

    code: str
    name_uk: str
    name_en: str | None
    zone: str | None = None  # a desk's


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
    service: Named
    desk: Named | None


TICKETS = cast(Table, Ticket.__table__)
COLUMNS = tuple(f.name for f in fields(TicketRow)[:-3])
if tuple(c.key for c in TICKETS.columns) != COLUMNS:
    raise RuntimeError("TicketRow must list the tickets columns in table order")
TICKET_COLUMNS = tuple(TICKETS.c[name] for name in COLUMNS)


def ticket_row(values: Row[Any] | Mapping[str, Any] | tuple[Any, ...], office: OfficeRef, service: Named,
               desk: Named | None) -> TicketRow:
    """The value of a row read (or returned) with :data:`TICKET_COLUMNS` first."""
    if isinstance(values, Mapping):
        return TicketRow(*(values[name] for name in COLUMNS), office, service, desk)  # type: ignore[arg-type]
    return TicketRow(*values[:len(COLUMNS)], office, service, desk)  # type: ignore[arg-type]


def service_named(values: Mapping[str, Any]) -> Named:
    return Named(values["code"], values["name_uk"], values["name_en"])


_S, _O, _D = (cast(Table, m.__table__).c for m in (Service, Office, Desk))
# Built once: who is at a desk (called or served there), with the names a view of it shows.
AT_DESK = (select(*TICKET_COLUMNS, _S.code, _S.name_uk, _S.name_en, _O.code, _O.timezone, _D.code, _D.name_uk,
                  _D.name_en, _D.zone)
           .select_from(TICKETS.join(cast(Table, Service.__table__), _S.id == TICKETS.c.service_id)
                        .join(cast(Table, Office.__table__), _O.id == TICKETS.c.office_id)
                        .join(cast(Table, Desk.__table__), _D.id == TICKETS.c.desk_id))
           .where(TICKETS.c.desk_id == bindparam("desk"), TICKETS.c.status.in_([Status.CALLED, Status.SERVING])))


def at_desk(row: Row[Any]) -> TicketRow:
    """A row of :data:`AT_DESK` as its value."""
    n = len(COLUMNS)
    return ticket_row(row, OfficeRef(row[n + 3], row[n + 4]), Named(row[n], row[n + 1], row[n + 2]),
                      Named(row[n + 5], row[n + 6], row[n + 7], row[n + 8]))

"""Kiosk check-in by booking code: the visitor's ticket, with appointment priority at the slot.

One unit of work: the appointment is *claimed* by a conditional UPDATE (booked ->
checked_in), so two kiosks typing the same code cannot both get a ticket; the ticket is issued
by the queue's own command (numbering, events) and linked, all in the same transaction — if
issuing is refused, nothing of the claim remains.

Window: from ``checkin_early_min`` (60) before the slot until ``checkin_late_min`` (30) after
it, and never after the session's end; outside it the visitor gets a clear 409.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

import reception.leadership.texts  # noqa: F401  (registers the messages)
from reception.kernel.errors import Conflict, NotFound
from reception.kernel.identity import Actor
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import (
    codes,
    texts,  # noqa: F401  (registers the messages)
)
from reception.leadership.models import Appointment, ReceptionSession
from reception.leadership.settings import LeadershipSettings
from reception.offices.models import Desk, DeskService, Service
from reception.offices.rules import to_local
from reception.offices.suspension import resume_if_due
from reception.platform.clock import Clock
from reception.platform.db import rows_changed
from reception.queue.commands import CommandResult, issue_ticket
from reception.queue.models import Ticket


def _leadership_service(s: Session, rs: ReceptionSession) -> Service:
    """The leadership service the session's room serves (else the office's first one)."""
    query = select(Service).where(Service.office_id == rs.office_id, Service.kind == "leadership",
                                  Service.is_active.is_(True))
    at_desk = s.scalar(query.join(DeskService, DeskService.service_id == Service.id)
                       .where(DeskService.desk_id == rs.desk_id).order_by(Service.sort_order, Service.id))
    service = at_desk or s.scalar(query.order_by(Service.sort_order, Service.id))
    if service is None:
        raise Conflict("error.no_leadership_service")
    return service


def check_in(uow: UnitOfWork, clock: Clock, *, actor: Actor, booking_code: str, lang: str = "uk") -> CommandResult:
    """Issue the appointment's ticket; 404 for an unknown code, 409 outside the window or twice."""
    clean = codes.normalise(booking_code)
    now = clock.now()
    s = uow.session
    appt = s.scalar(select(Appointment).where(Appointment.booking_code == clean)) if clean else None
    if appt is None and clean:  # a specialist booking made online or by the call-centre (decision 044)
        from reception.arrival.booked import check_in_booking

        booked = check_in_booking(uow, clock, actor=actor, booking_code=clean, lang=lang)
        if booked is not None:
            return booked
    if appt is None or not actor.can_access_office(appt.session.office_id):
        raise NotFound("error.checkin_unknown")
    rs = appt.session
    office = rs.office
    resume_if_due(uow, office, now)  # a resume that fell due shifts the slots before the window is checked
    _check_window(s, appt, rs, office.settings, office.timezone, now)
    claimed = rows_changed(s.execute(
        update(Appointment).where(Appointment.id == appt.id, Appointment.status == "booked")
        .values(status="checked_in", checked_in_at=now).execution_options(synchronize_session=False)))
    if claimed != 1:
        raise Conflict("error.checkin_twice", code="—")
    result = issue_ticket(uow, clock, office_code=office.code, service_code=_leadership_service(s, rs).code,
                          priority="appointment", lang=lang, actor=actor, appointment_at=appt.slot_at,
                          appointment_id=appt.id, walk_in=False)
    s.execute(update(Appointment).where(Appointment.id == appt.id).values(ticket_id=result.ticket_id)
              .execution_options(synchronize_session=False))
    return result


def _check_window(s: Any, appt: Appointment, rs: ReceptionSession, settings: Any, tz: str, now: datetime) -> None:
    """Refuse a cancelled, repeated, remote, too early or too late check-in (409, in plain words)."""
    if appt.status == "cancelled" or rs.status == "cancelled":
        raise Conflict("error.checkin_cancelled")
    if appt.status == "checked_in":
        ticket = s.get(Ticket, appt.ticket_id) if appt.ticket_id else None
        raise Conflict("error.checkin_twice", code=ticket.code if ticket else "—")
    if rs.remote:
        raise Conflict("error.checkin_remote")
    if appt.needs_rebooking:
        raise Conflict("error.checkin_needs_rebooking")
    cfg = LeadershipSettings.from_json(settings)
    opens = appt.slot_at - timedelta(minutes=cfg.checkin_early_min)
    closes = min(appt.slot_at + timedelta(minutes=cfg.checkin_late_min), rs.ends_at)
    slot_local = to_local(appt.slot_at, tz)
    if now < opens:
        when = to_local(opens, tz)
        fmt = "%H:%M" if when.date() == to_local(now, tz).date() else "%d.%m.%Y %H:%M"
        raise Conflict("error.checkin_too_early", slot=slot_local.strftime(fmt), opens=when.strftime(fmt))
    if now > closes:
        raise Conflict("error.checkin_too_late", slot=slot_local.strftime("%d.%m.%Y %H:%M"))


def appointment_room(session: Session, appointment_id: int) -> Desk | None:
    """The reception room of a booked visitor's session: told to them instead of a queue estimate."""
    return session.scalar(select(Desk).join(ReceptionSession, ReceptionSession.desk_id == Desk.id)
                          .join(Appointment, Appointment.session_id == ReceptionSession.id)
                          .where(Appointment.id == appointment_id))

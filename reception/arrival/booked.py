"""Kiosk check-in of a specialist booking: the booking is claimed and its ticket issued in one unit of work.

On time (from ``EARLY`` before the slot until the office's lateness rule): a ticket carrying the slot
(``booked_for``) and the call tolerance, which the queue's policy calls within the tolerance of the slot.
Late by more than the rule: the booking lapses into an ordinary walk-in ticket, or is refused with 409
``too_late``, as the office chose. The claim is a conditional UPDATE (booked -> checked_in), so two kiosks
typing the same code cannot both get a ticket.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from reception.booking import rules as R
from reception.booking.commands import BookingRefused, rules_for
from reception.booking.models import Booking, RemotePlace
from reception.booking.remote import passed_by
from reception.kernel.errors import Conflict, NotFound
from reception.kernel.identity import Actor
from reception.kernel.unit_of_work import UnitOfWork
from reception.offices.models import Office, Service
from reception.offices.rules import office_day, to_local
from reception.platform.clock import Clock
from reception.platform.db import rows_changed
from reception.queue.commands import CommandResult, issue_ticket
from reception.queue.models import Ticket

EARLY = timedelta(minutes=60)  # the earliest check-in before the slot


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_in_booking(uow: UnitOfWork, clock: Clock, *, actor: Actor, booking_code: str,
                     lang: str = "uk") -> CommandResult | None:
    """The booking's ticket; None when no booking has this code (the caller says "unknown")."""
    s, now = uow.session, clock.now()
    booking = s.scalar(select(Booking).where(Booking.booking_code == booking_code))
    if booking is None:
        return _check_in_remote(uow, clock, actor=actor, code=booking_code, lang=lang)
    if not actor.can_access_office(booking.office_id):
        raise NotFound("error.checkin_unknown")
    office, service = s.get_one(Office, booking.office_id), s.get_one(Service, booking.service_id)
    slot = _aware(booking.slot_at)
    if booking.status == "cancelled":
        raise Conflict("error.checkin_cancelled")
    if booking.status in ("checked_in", "lapsed"):
        ticket = s.get(Ticket, booking.ticket_id) if booking.ticket_id else None
        raise Conflict("error.checkin_twice", code=ticket.code if ticket else "—")
    if booking.status != "booked":
        raise Conflict("error.checkin_too_late", slot=to_local(slot, office.timezone).strftime("%d.%m.%Y %H:%M"))
    if now < slot - EARLY:
        when = to_local(slot - EARLY, office.timezone)
        fmt = "%H:%M" if when.date() == to_local(now, office.timezone).date() else "%d.%m.%Y %H:%M"
        raise Conflict("error.checkin_too_early", slot=to_local(slot, office.timezone).strftime(fmt),
                       opens=when.strftime(fmt))
    rules = rules_for(s, office, service)
    verdict = R.lateness(slot, now, rules)
    if verdict == "refuse":
        raise BookingRefused("too_late", minutes=rules.late_after_min)
    status = "checked_in" if verdict == "on_time" else "lapsed"
    claimed = rows_changed(s.execute(
        update(Booking).where(Booking.id == booking.id, Booking.status == "booked")
        .values(status=status, checked_in_at=now).execution_options(synchronize_session=False)))
    if claimed != 1:
        raise Conflict("error.checkin_twice", code="—")
    if verdict == "on_time":
        result = issue_ticket(uow, clock, office_code=office.code, service_code=service.code, lang=lang, actor=actor,
                              walk_in=False, booked_for=slot, call_tolerance_min=rules.call_tolerance_min)
    else:  # late: an ordinary walk-in ticket, under the office's and the service's hours
        result = issue_ticket(uow, clock, office_code=office.code, service_code=service.code, lang=lang, actor=actor)
    s.execute(update(Booking).where(Booking.id == booking.id).values(ticket_id=result.ticket_id)
              .execution_options(synchronize_session=False))
    return result


def _check_in_remote(uow: UnitOfWork, clock: Clock, *, actor: Actor, code: str, lang: str) -> CommandResult | None:
    """A remote place's ticket: its time of joining, held back once by up to N passes, else lapsed (a walk-in)."""
    s, now = uow.session, clock.now()
    place = s.scalar(select(RemotePlace).where(RemotePlace.code == code))
    if place is None:
        return None
    if not actor.can_access_office(place.office_id):
        raise NotFound("error.checkin_unknown")
    if place.status == "cancelled":
        raise Conflict("error.checkin_cancelled")
    if place.status != "waiting":
        ticket = s.get(Ticket, place.ticket_id) if place.ticket_id else None
        raise Conflict("error.checkin_twice", code=ticket.code if ticket else "—")
    office, service = s.get_one(Office, place.office_id), s.get_one(Service, place.service_id)
    rules = rules_for(s, office, service)
    if office_day(_aware(place.joined_at), office.timezone) != office_day(now, office.timezone):
        keep = False  # a place of another day
    else:
        keep = passed_by(s, place) <= rules.remote_hold_places
    claimed = rows_changed(s.execute(
        update(RemotePlace).where(RemotePlace.id == place.id, RemotePlace.status == "waiting")
        .values(status="checked_in" if keep else "lapsed", checked_in_at=now)
        .execution_options(synchronize_session=False)))
    if claimed != 1:
        raise Conflict("error.checkin_twice", code="—")
    result = issue_ticket(uow, clock, office_code=office.code, service_code=service.code, lang=lang, actor=actor,
                          queued_at=_aware(place.joined_at) if keep else None)
    s.execute(update(RemotePlace).where(RemotePlace.id == place.id).values(ticket_id=result.ticket_id)
              .execution_options(synchronize_session=False))
    return result

"""A suspension's pause applied to the specialist services' self-service bookings (decision 044).

An in-transaction handler of :class:`~reception.kernel.events.Resumed`, registered by the composition
root beside the leadership slice's: it runs in the transaction that records the resume, so one pause
is applied once. Bookings still ``booked`` whose slot fell inside the pause ``[since, until)`` are, as
the office's rules say (``on_suspension``), moved to the next free slot of their day from the resume
on, keeping their order, or flagged ``needs_rebooking`` (the default; the place is given back). A
visitor who consented to messages is told through the outbox (``booking_moved`` /
``booking_cancelled``, with a link to book again). Checked-in visitors hold tickets: the queue keeps them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.booking import rules as R
from reception.booking.commands import _aware, _places, _taken, claim_slot, release_slot, rules_for
from reception.booking.models import Booking
from reception.kernel.events import Resumed
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import codes
from reception.notifications.outbox import enqueue
from reception.offices.lookups import office_by_code
from reception.offices.models import Office, Service
from reception.offices.rules import office_day, to_local
from reception.platform.i18n import t

NEEDS_REBOOKING = "needs_rebooking"


def shift_self_bookings(uow: UnitOfWork, event: Resumed, *, book_url: str = "/book") -> None:
    """The office resumed: move or flag its self-service bookings the pause took; tell the visitors."""
    session = uow.session
    office = office_by_code(session, event.office_code)
    apply_pause(session, office, event.since.astimezone(UTC), event.resumed_at.astimezone(UTC),
                event.recorded_at.astimezone(UTC), event.by_user_id, book_url)


def apply_pause(session: Session, office: Office, since: datetime, until: datetime, now: datetime,
                user_id: int | None, book_url: str) -> tuple[int, int]:
    """(moved, to rebook) of the office's bookings in ``[since, until)``; audited with ids only."""
    rows = session.scalars(select(Booking).where(Booking.office_id == office.id, Booking.status == "booked",
                                                 Booking.slot_at >= since, Booking.slot_at < until)
                           .order_by(Booking.slot_at, Booking.id)).all()
    groups: dict[tuple[int, date], list[Booking]] = defaultdict(list)
    for booking in rows:
        groups[(booking.service_id, office_day(_aware(booking.slot_at), office.timezone))].append(booking)
    moved: list[dict[str, object]] = []
    flagged: list[int] = []
    for (service_id, day), bookings in groups.items():
        service = session.get(Service, service_id)
        if service is None:
            continue
        rules = rules_for(session, office, service)
        places = _places(session, office, service, day)
        taken = _taken(session, service_id, list(places))
        free = {at: cap - taken.get(at, 0) for at, cap in places.items() if at >= until}
        by_id = {b.id: b for b in bookings}
        moves, rebook = R.plan_after_pause([(b.id, _aware(b.slot_at)) for b in bookings], free, until,
                                           rules.on_suspension == "move")
        for booking_id, new_at in moves.items():
            booking = by_id[booking_id]
            old_at = _aware(booking.slot_at)
            if not claim_slot(session, service_id, new_at, places[new_at]):
                rebook.append(booking_id)  # taken meanwhile (cannot happen inside this transaction's lock)
                continue
            release_slot(session, service_id, old_at)
            booking.slot_at = new_at
            moved.append({"id": booking_id, "from": old_at.isoformat(), "to": new_at.isoformat()})
            _tell(session, now, office, service, booking, rules, "booking_moved", book_url)
        for booking_id in rebook:
            booking = by_id[booking_id]
            release_slot(session, service_id, _aware(booking.slot_at))
            booking.status = NEEDS_REBOOKING
            flagged.append(booking_id)
            _tell(session, now, office, service, booking, rules, "booking_cancelled", book_url)
    if moved or flagged:
        audit(session, now, user_id, "booking.shift", "office", office.code,
              {"since": since.isoformat(), "until": until.isoformat(), "moved": moved, "rebook": flagged})
    return len(moved), len(flagged)


def _tell(session: Session, now: datetime, office: Office, service: Service, booking: Booking,
          rules: R.BookingRules, kind: str, book_url: str) -> None:
    """The visitor's message about their booking, only with their consent to messages."""
    if booking.consent_at is None:
        return
    lang = booking.lang
    text = "moved" if kind == "booking_moved" else "rebook"
    body = t(f"selfbook.msg.{text}", lang, code=codes.display(booking.booking_code),
             service=service.name_uk if lang == "uk" else service.name_en,
             office=office.name_uk if lang == "uk" else office.name_en,
             when=to_local(_aware(booking.slot_at), office.timezone).strftime("%d.%m.%Y %H:%M"),
             link=f"{book_url}?office={office.code}&service={service.code}")
    for channel, address in (("sms", booking.phone), ("email", booking.email)):
        if address and (channel == rules.verify_by or not (booking.phone and booking.email)):
            key = f"selfbook-{kind}:{booking.id}:{_aware(booking.slot_at).isoformat()}:{channel}"
            enqueue(session, at=now, key=key, channel=channel, address=address, kind=kind, office_id=office.id,
                    body=body, subject=t(f"selfbook.msg.{text}_subject", lang))

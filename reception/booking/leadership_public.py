"""Leadership reception booked from the public page, where the office opens it (``leadership_public``).

The slots are the day's reception sessions' free slots, read by the leadership schedule's one read of
what is free (``sessions.free_slots``); the request is verified by code like a specialist booking, and
the confirmation books through the leadership slice's own command (``booking.book_visitor``), so its
cut-off, one visitor per slot, the session's place counter and the appointments' unique index all hold.
A cancel goes through the leadership's cancel. Kept here: the cancel token's hash and keyed digests of
the phone and e-mail for the caps (``LeadershipBooking``); the appointment holds the visitor.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from reception.booking import rules as R
from reception.booking.models import LeadershipBooking
from reception.kernel.errors import ConcurrentChange, Conflict, NotFound
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import codes
from reception.leadership.booking import book_visitor, cancel_appointment, confirmation
from reception.leadership.models import Appointment, ReceptionSession
from reception.leadership.sessions import booking_open, free_slots
from reception.offices.models import Office, Service
from reception.offices.rules import office_day
from reception.platform.clock import Clock
from reception.queue.reads import iso_local


def contact_key(value: str | None) -> str | None:
    """What the caps match on: a digest, not the phone or e-mail itself."""
    return R.digest(value, "contact") if value else None


def _sessions(s: Session, office: Office, day: date) -> list[ReceptionSession]:
    return list(s.scalars(select(ReceptionSession).where(
        ReceptionSession.office_id == office.id, ReceptionSession.day == day,
        ReceptionSession.status == "scheduled").order_by(ReceptionSession.starts_at, ReceptionSession.id)).unique())


def slot_table(s: Session, office: Office, day: date, now: datetime) -> dict[datetime, list[tuple[int, bool]]]:
    """Slot start -> [(session id, free)] over the day's sessions still open to booking."""
    out: dict[datetime, list[tuple[int, bool]]] = {}
    for rs in _sessions(s, office, day):
        if not booking_open(office, rs, now):
            continue
        for _, at, free in free_slots(s, rs, office.timezone):
            out.setdefault(at, []).append((rs.id, free))
    return dict(sorted(out.items()))


def public_slots(s: Session, now: datetime, office: Office, day: date) -> list[dict[str, Any]]:
    return [{"at": iso_local(at, office.timezone), "free": sum(1 for _, free in places if free)}
            for at, places in slot_table(s, office, day, now).items()]


def check_slot(s: Session, now: datetime, office: Office, at: datetime) -> int:
    """The first session with ``at`` free: 409 slot_taken if all are taken, booking_closed if none is open."""
    from reception.booking.commands import BookingRefused

    places = slot_table(s, office, office_day(at, office.timezone), now).get(at)
    if places is None:
        any_session = any(at == when for rs in _sessions(s, office, office_day(at, office.timezone))
                          for _, when, _ in free_slots(s, rs, office.timezone))
        raise BookingRefused("booking_closed") if any_session else _no_such_slot()
    free = [session_id for session_id, ok in places if ok]
    if not free:
        raise BookingRefused("slot_taken")
    return free[0]


def _no_such_slot() -> Exception:
    from reception.kernel.errors import ValidationFailed

    return ValidationFailed("selfbook.error.no_such_slot")


def held(s: Session, phone: str | None, email: str | None) -> list[R.Held]:
    who = [c for c in (LeadershipBooking.phone_key == contact_key(phone) if phone else None,
                       LeadershipBooking.email_key == contact_key(email) if email else None) if c is not None]
    if not who:
        return []
    rows = s.execute(select(Appointment.slot_at, Appointment.status).join(
        LeadershipBooking, LeadershipBooking.appointment_id == Appointment.id).where(or_(*who))).all()
    return [R.Held(at if at.tzinfo else at.replace(tzinfo=UTC), status) for at, status in rows]


def book(uow: UnitOfWork, clock: Clock, office: Office, service: Service, at: datetime, p: dict[str, Any]
         ) -> dict[str, Any]:
    """Book the verified request through the leadership's own command: {booking_code, at, service, cancel_token}."""
    from reception.booking.commands import BookingRefused

    s, now = uow.session, clock.now()
    session_id = check_slot(s, now, office, at)
    try:
        view = book_visitor(uow, clock, session_id, surname=p["surname"], name=p["name"], topic=p["topic"],
                            phone=p["phone"], slot=at, lang=p.get("lang", "uk"))
    except ConcurrentChange as exc:
        raise BookingRefused("slot_taken") from exc
    except Conflict as exc:
        if exc.key in ("error.slot_taken", "error.session_full"):
            raise BookingRefused("slot_taken") from exc
        if exc.key in ("error.booking_closed", "error.session_cancelled"):
            raise BookingRefused("booking_closed") from exc
        raise
    token = R.new_cancel_token()
    s.add(LeadershipBooking(appointment_id=view["id"], office_id=office.id, phone_key=contact_key(p["phone"]),
                            email_key=contact_key(p["email"]), cancel_token_hash=R.digest(token), created_at=now))
    appt = s.get(Appointment, view["id"])
    assert appt is not None
    _tell(s, now, office, appt, p)
    return {"booking_code": view["booking_code"], "at": iso_local(at, office.timezone), "service": service.code,
            "cancel_token": token}


def _tell(s: Session, now: datetime, office: Office, appt: Appointment, p: dict[str, Any]) -> None:
    from reception.notifications.outbox import enqueue
    from reception.platform.i18n import t

    lang = p.get("lang", "uk")
    for channel, address in (("sms", p["phone"]), ("email", p["email"])):
        if address:
            enqueue(s, at=now, key=f"leadership-confirmed:{appt.id}:{channel}", channel=channel, address=address,
                    kind="booking_confirmed", office_id=office.id, body=confirmation(appt, office, lang),
                    subject=t("selfbook.msg.confirmed_subject", lang))


def cancel(uow: UnitOfWork, clock: Clock, clean_code: str, cancel_token: str) -> dict[str, Any]:
    """Cancel a publicly booked appointment by its token, through the leadership's cancel (404 alike)."""
    s = uow.session
    row = s.execute(select(Appointment, LeadershipBooking).join(
        LeadershipBooking, LeadershipBooking.appointment_id == Appointment.id)
        .where(Appointment.booking_code == clean_code)).first()
    if row is None or not R.matches(cancel_token, row[1].cancel_token_hash):
        raise NotFound("selfbook.error.unknown_booking")
    appt = row[0]
    if appt.status != "cancelled":
        cancel_appointment(uow, clock, appt, "by_visitor")
    return {"booking_code": codes.display(appt.booking_code), "status": "cancelled"}

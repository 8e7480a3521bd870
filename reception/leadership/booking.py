"""Call-centre booking: book, cancel, rebook — capacity never exceeded.

``book``, ``cancel`` and ``rebook`` are commands: they work in the unit of work their caller
frames (``Services.run``) and never commit; the reads below take the database.

Capacity is held by the session row's ``booked`` counter, advanced only by one conditional
``UPDATE … SET booked = booked + 1 WHERE id = :id AND booked < capacity``.  On PostgreSQL
the row lock it takes serialises bookings of one session until commit (READ COMMITTED
re-checks the WHERE on the newest row), and the slot is chosen *after* it, so two
bookings never pick the same slot; on SQLite ``BEGIN IMMEDIATE`` serialises writers.  A
partial UNIQUE(session, slot) index on active appointments is the backstop.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import reception.leadership.texts  # noqa: F401  (registers the messages)
from reception.audit.writer import audit
from reception.kernel.errors import ConcurrentChange, Conflict, NotFound, ValidationFailed
from reception.kernel.events import AppointmentChanged
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.kernel.phones import looks_like_phone, normalise_phone, phone_for_search
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import (
    codes,
    texts,  # noqa: F401  (registers the messages)
)
from reception.leadership.lookup_keys import fold_name
from reception.leadership.models import ACTIVE_APPOINTMENT, Appointment, ReceptionSession
from reception.leadership.sessions import booking_window, local_hhmm, slot_instants, taken_slots
from reception.leadership.settings import LeadershipSettings
from reception.leadership.visibility import appointment_visible
from reception.offices.models import Office, PriorityCategory
from reception.offices.rules import office_day, to_local
from reception.platform import i18n
from reception.platform.clock import Clock
from reception.platform.db import Database, rows_changed
from reception.platform.i18n import Text
from reception.queue.models import Ticket
from reception.queue.reads import iso_local

MAX_FOUND = 50  # a surname prefix like "П" must not dump the whole register


def _session(s: Session, actor: Actor, session_id: int) -> ReceptionSession:
    rs = s.get(ReceptionSession, session_id)
    if rs is None or not actor.can_access_office(rs.office_id):
        raise NotFound("error.unknown_session")
    return rs


def _check_open(office: Office, rs: ReceptionSession, now: datetime) -> None:
    if rs.status != "scheduled":
        raise Conflict("error.session_cancelled")
    last = booking_window(office, rs)
    if office_day(now, office.timezone) > last or now >= rs.starts_at:
        days = LeadershipSettings.from_json(office.settings).booking_cutoff_working_days
        raise Conflict("error.booking_closed", date=rs.day, days=days)


def _claim_place(s: Session, session_id: int) -> None:
    done = rows_changed(s.execute(
        update(ReceptionSession)
        .where(ReceptionSession.id == session_id, ReceptionSession.booked < ReceptionSession.capacity,
               ReceptionSession.status == "scheduled")
        .values(booked=ReceptionSession.booked + 1)
        .execution_options(synchronize_session=False)
    ))
    if done != 1:
        raise Conflict("error.session_full")


def _release_place(s: Session, session_id: int) -> None:
    s.execute(update(ReceptionSession).where(ReceptionSession.id == session_id, ReceptionSession.booked > 0)
              .values(booked=ReceptionSession.booked - 1).execution_options(synchronize_session=False))


def _pick_slot(s: Session, rs: ReceptionSession, tz: str, wanted: datetime | None, keep: int | None = None) -> int:
    """The requested slot (if free) or the first free one; called with the session row locked."""
    slots = slot_instants(rs, tz)
    taken = taken_slots(s, rs.id) - ({keep} if keep is not None else set())
    if wanted is not None:
        if wanted.tzinfo is None:
            raise ValidationFailed.because(Text.of("error.input.datetime", name="slot"))
        matches = [i for i, at in enumerate(slots) if at == wanted]
        if not matches:
            raise ValidationFailed("error.not_a_slot", slot=local_hhmm(wanted, tz))
        if matches[0] in taken:
            raise Conflict("error.slot_taken", slot=local_hhmm(wanted, tz))
        return matches[0]
    for i in range(len(slots)):
        if i not in taken:
            return i
    raise Conflict("error.session_full")


def _new_code(s: Session) -> str:
    for _ in range(20):
        code = codes.new_code()
        if s.scalar(select(Appointment.id).where(Appointment.booking_code == code)) is None:
            return code
    raise ConcurrentChange()


def _check_category(s: Session, category: str | None) -> None:
    if category:
        row = s.scalar(select(PriorityCategory).where(PriorityCategory.code == category))
        if row is None or not row.is_active:
            raise ValidationFailed("error.unknown_priority", priority=category)


@contextmanager
def _unique_backstop() -> Iterator[None]:
    """The UNIQUE backstops (a slot or a code taken meanwhile) as a clear 409, not a 500.

    The command flushes inside this block, so the constraint is checked here, not at commit.
    """
    try:
        yield
    except IntegrityError as exc:
        raise ConcurrentChange() from exc


def book(uow: UnitOfWork, clock: Clock, actor: Actor, session_id: int, *, surname: str, name: str,
         topic: str, patronymic: str | None = None, phone: str | None = None, category: str | None = None,
         slot: datetime | None = None, lang: str = "uk") -> dict[str, Any]:
    """Book a visitor into a session; 409 "full" when no place is left. All or nothing."""
    authorize(actor, Action.APPOINTMENT_BOOK)
    _session(uow.session, actor, session_id)
    return book_visitor(uow, clock, session_id, surname=surname, name=name, topic=topic, patronymic=patronymic,
                        phone=phone, category=category, slot=slot, lang=lang, user_id=actor.user_id)


def book_visitor(uow: UnitOfWork, clock: Clock, session_id: int, *, surname: str, name: str, topic: str,
                 patronymic: str | None = None, phone: str | None = None, category: str | None = None,
                 slot: datetime | None = None, lang: str = "uk", user_id: int | None = None) -> dict[str, Any]:
    """``book`` once the caller may book here (the call-centre, or a visitor's verified public booking):
    every rule of a booking (cut-off, one slot one visitor, the place counter) is checked here."""
    phone = normalise_phone(phone)  # refused before any place is claimed
    s = uow.session
    with _unique_backstop():
        rs = s.get(ReceptionSession, session_id)
        if rs is None:
            raise NotFound("error.unknown_session")
        office = rs.office
        now = clock.now()
        _check_open(office, rs, now)
        _check_category(s, category)
        _claim_place(s, rs.id)
        index = _pick_slot(s, rs, office.timezone, slot)
        appt = Appointment(session_id=rs.id, slot_index=index, slot_at=slot_instants(rs, office.timezone)[index],
                           booking_code=_new_code(s), status="booked", surname=surname, name=name,
                           patronymic=patronymic or None, phone=phone or None, category=category or None,
                           topic=topic, lang=lang, created_at=now, created_by=user_id)
        appt.session = rs
        s.add(appt)
        s.flush()
    audit(s, now, user_id, "appointment.book", "appointment", appt.id, {"session": rs.id, "slot": index})
    return appointment_view(appt, office)


def _appointment(s: Session, actor: Actor, appointment_id: int) -> Appointment:
    appt = s.get(Appointment, appointment_id)
    if appt is None or not actor.can_access_office(appt.session.office_id):
        raise NotFound("error.unknown_appointment")
    return appt


def _require_booked(appt: Appointment, lang: str = "uk") -> None:
    if appt.status != "booked":
        from reception.leadership.texts import APPOINTMENT_STATUS, label

        raise Conflict("error.appointment_not_active", status=label(APPOINTMENT_STATUS, appt.status, lang))


def cancel(uow: UnitOfWork, clock: Clock, actor: Actor, appointment_id: int,
           reason: str | None = None) -> dict[str, Any]:
    """Cancel a booking (frees its place); only a booking not yet checked in."""
    authorize(actor, Action.APPOINTMENT_BOOK)
    return cancel_appointment(uow, clock, _appointment(uow.session, actor, appointment_id), reason, actor.user_id)


def cancel_appointment(uow: UnitOfWork, clock: Clock, appt: Appointment, reason: str | None = None,
                       user_id: int | None = None) -> dict[str, Any]:
    """``cancel`` once the caller may cancel it (staff, or the visitor's cancel token)."""
    s = uow.session
    _require_booked(appt)
    now = clock.now()
    appt.status, appt.cancelled_at, appt.cancel_reason = "cancelled", now, (reason or "by_request")[:200]
    appt.needs_rebooking = False
    _release_place(s, appt.session_id)
    audit(s, now, user_id, "appointment.cancel", "appointment", appt.id, {"reason": appt.cancel_reason})
    s.flush()
    uow.collect(AppointmentChanged(appt.session.office_id, appt.id, "cancelled"))
    s.refresh(appt.session)
    return appointment_view(appt, appt.session.office)


def rebook(uow: UnitOfWork, clock: Clock, actor: Actor, appointment_id: int, session_id: int,
           slot: datetime | None = None) -> dict[str, Any]:
    """Move a booking to another slot or session, keeping its code; all or nothing."""
    authorize(actor, Action.APPOINTMENT_BOOK)
    s = uow.session
    with _unique_backstop():
        appt = _appointment(s, actor, appointment_id)
        _require_booked(appt)
        old_id = appt.session_id
        target = _session(s, actor, session_id)
        office = target.office
        now = clock.now()
        _check_open(office, target, now)
        if target.id != old_id:
            # Lock the two session rows in id order, so two opposite rebookings cannot deadlock.
            if target.id < old_id:
                _claim_place(s, target.id)
                _release_place(s, old_id)
            else:
                _release_place(s, old_id)
                _claim_place(s, target.id)
        index = _pick_slot(s, target, office.timezone, slot, keep=appt.slot_index if target.id == old_id else None)
        appt.session_id, appt.slot_index = target.id, index
        appt.slot_at = slot_instants(target, office.timezone)[index]
        appt.shifted_from, appt.needs_rebooking = None, False  # a new time, agreed with the visitor
        appt.session = target
        audit(s, now, actor.user_id, "appointment.rebook", "appointment", appt.id,
              {"from_session": old_id, "to_session": target.id, "slot": index})
        s.flush()
    uow.collect(AppointmentChanged(office.id, appt.id, "rebooked"))
    return appointment_view(appt, office)


def confirmation(appt: Appointment, office: Office, lang: str) -> str:
    """The text the operator reads out or sends by SMS."""
    rs = appt.session
    leader = rs.leader
    place = i18n.t("place.remote", lang) if rs.remote else i18n.localized(rs.desk, "name", lang)
    local = to_local(appt.slot_at, office.timezone)
    parts = [i18n.t("confirm.booked", lang, leader=i18n.localized(leader, "name", lang),
                    position=i18n.localized(leader, "position", lang), date=local.strftime("%d.%m.%Y"),
                    time=local.strftime("%H:%M"), place=place, code=codes.display(appt.booking_code))]
    if rs.remote and rs.video_url:
        parts.append(i18n.t("confirm.remote", lang, url=rs.video_url))
    else:
        early = LeadershipSettings.from_json(office.settings).checkin_early_min
        parts.append(i18n.t("confirm.hall", lang, early=early))
    parts.append(i18n.t("confirm.cancel_hint", lang))
    return " ".join(parts)


def effective_status(appt: Appointment, ticket: Ticket | None, now: datetime) -> str:
    """booked / checked_in / waiting / called / serving / served / no_show / cancelled, from the ticket."""
    if appt.status == "cancelled":
        return "cancelled"
    if appt.status == "booked" and appt.needs_rebooking:
        return "needs_rebooking"
    if appt.status == "booked":
        return "no_show" if now > appt.session.ends_at else "booked"
    if ticket is None:
        return "checked_in"
    return {"done": "served", "no_show": "no_show", "waiting": "waiting", "called": "called",
            "serving": "serving", "cancelled": "cancelled"}.get(ticket.status, "checked_in")


def appointment_view(appt: Appointment, office: Office, *, ticket: Ticket | None = None,
                     now: datetime | None = None) -> dict[str, Any]:
    tz = office.timezone
    rs = appt.session
    view = {
        "id": appt.id,
        "session": appt.session_id,
        "slot": iso_local(appt.slot_at, tz),
        "slot_time": local_hhmm(appt.slot_at, tz),
        # Moved by a suspension: the time first booked (the leader's page and the call-centre show both).
        "shifted_from_time": local_hhmm(appt.shifted_from, tz) if appt.shifted_from else None,
        "needs_rebooking": appt.needs_rebooking,
        "date": rs.day.isoformat(),
        "booking_code": codes.display(appt.booking_code),
        "status": appt.status,
        "visitor": {"surname": appt.surname, "name": appt.name, "patronymic": appt.patronymic, "phone": appt.phone},
        "leader_name_uk": rs.leader.name_uk,
        "leader_name_en": rs.leader.name_en,
        "category": appt.category,
        "topic": appt.topic,
        "remote": rs.remote,
        "video_url": rs.video_url if rs.remote else None,
        "ticket_id": appt.ticket_id,
        "confirmation": {"uk": confirmation(appt, office, "uk"), "en": confirmation(appt, office, "en")},
    }
    if ticket is not None or now is not None:
        view["ticket_code"] = ticket.code if ticket else None
        view["effective_status"] = effective_status(appt, ticket, now or rs.starts_at)
    return view


def find_appointments(db: Database, clock: Clock, actor: Actor, *, code: str | None = None,
                      session_id: int | None = None, phone: str | None = None,
                      surname: str | None = None) -> list[dict[str, Any]]:
    """For the call-centre: by booking code, by session, by phone however written, or by surname's start."""
    # Looking bookings up by code, phone or surname is personal data: not the operator (decision 018).
    authorize(actor, Action.APPOINTMENT_READ if session_id is not None else Action.APPOINTMENT_SEARCH)
    with db.read() as s:
        query = select(Appointment).join(ReceptionSession).order_by(Appointment.slot_at, Appointment.id)
        if code is not None:
            clean = codes.normalise(code)
            if clean is None:
                return []
            query = query.where(Appointment.booking_code == clean)
        elif session_id is not None:
            rs = _session(s, actor, session_id)  # 404 for an unknown session, not an empty list
            if not appointment_visible(actor, rs, clock.now()):
                raise NotFound("error.unknown_session")
            query = query.where(Appointment.session_id == session_id)
        elif phone:
            query = query.where(Appointment.phone == phone_for_search(phone))
        elif surname and fold_name(surname):
            query = query.where(Appointment.surname_folded.startswith(fold_name(surname), autoescape=True))
        else:
            raise ValidationFailed("error.appointment_query")
        if session_id is None:
            if not actor.is_admin:  # scope before the limit, so another office's rows never crowd it
                query = query.where(ReceptionSession.office_id.in_(actor.office_ids or {-1}))
            # Newest first: the caller asks about a coming reception, not last year's.
            query = query.order_by(None).order_by(Appointment.slot_at.desc(), Appointment.id.desc()).limit(MAX_FOUND)
        now = clock.now()
        out = []
        for appt in s.scalars(query).unique():
            if not appointment_visible(actor, appt.session, now):
                continue
            ticket = s.get(Ticket, appt.ticket_id) if appt.ticket_id else None
            out.append(appointment_view(appt, appt.session.office, ticket=ticket, now=now))
        return out


def search_bookings(db: Database, clock: Clock, actor: Actor, query: str) -> list[dict[str, Any]]:
    """One search box: a booking code, else a phone however written, else the start of a surname.

    A word like "КАРМАН" can be read as a code too (its letters are all in the code alphabet):
    when no booking has that code, it is searched as a surname.
    """
    text = query.replace("\x00", "").strip()
    if codes.normalise(text) is not None:
        found = find_appointments(db, clock, actor, code=text)
        if found or not fold_name(text).isalpha():
            return found
        return find_appointments(db, clock, actor, surname=text)
    if looks_like_phone(text):
        return find_appointments(db, clock, actor, phone=text)
    return find_appointments(db, clock, actor, surname=text)


def to_rebook(db: Database, clock: Clock, actor: Actor, office_id: int) -> list[dict[str, Any]]:
    """Bookings a suspension left without room (decision 023): the call-centre phones each visitor."""
    authorize(actor, Action.APPOINTMENT_SEARCH)
    actor.require_office(office_id)
    with db.read() as s:
        rows = s.scalars(select(Appointment).join(ReceptionSession)
                         .where(ReceptionSession.office_id == office_id, Appointment.status == "booked",
                                Appointment.needs_rebooking.is_(True))
                         .order_by(Appointment.slot_at, Appointment.id).limit(MAX_FOUND)).unique()
        now = clock.now()
        return [appointment_view(a, a.session.office, now=now) for a in rows]


def get_appointment(db: Database, clock: Clock, actor: Actor, appointment_id: int) -> dict[str, Any]:
    authorize(actor, Action.APPOINTMENT_READ)
    with db.read() as s:
        appt = _appointment(s, actor, appointment_id)
        if not appointment_visible(actor, appt.session, clock.now()):
            raise NotFound("error.unknown_appointment")
        ticket = s.get(Ticket, appt.ticket_id) if appt.ticket_id else None
        return appointment_view(appt, appt.session.office, ticket=ticket, now=clock.now())


def sessions_with_visitors(s: Any, actor: Actor, which: Any, day: Any, office: Any, now: Any,
                           extra: Any = None) -> list[dict[str, Any]]:
    """Sessions matching ``which`` on ``day``, each with its booked visitors in slot order.

    A session whose visitors ``actor`` may not see (``visibility``) comes with ``visitors_hidden``
    and no appointments. ``extra(session)`` may add keys to each session's view (the leader's page
    adds the desk state).
    """
    from reception.leadership.sessions import session_view

    out = []
    for rs in s.scalars(select(ReceptionSession).where(which, ReceptionSession.day == day)
                        .order_by(ReceptionSession.starts_at)).unique():
        if not appointment_visible(actor, rs, now):
            out.append(session_view(s, rs, office, now) | {"appointments": [], "visitors_hidden": True}
                       | (extra(rs) if extra else {}))
            continue
        appts = s.scalars(select(Appointment).where(Appointment.session_id == rs.id,
                                                    Appointment.status != "cancelled")
                          .order_by(Appointment.slot_at, Appointment.slot_index)).unique().all()
        tickets = {t.id: t for t in s.scalars(select(Ticket).where(
            Ticket.id.in_([a.ticket_id for a in appts if a.ticket_id])))}
        view = session_view(s, rs, office, now) | {"appointments": [
            appointment_view(a, office, ticket=tickets.get(a.ticket_id or 0), now=now) for a in appts]}
        out.append(view | (extra(rs) if extra else {}))
    return out


def desk_day(db: Database, clock: Clock, actor: Actor, desk_code: str, day: Any,
             office_code: str | None = None) -> list[dict[str, Any]]:
    """The leader's day at a desk: each session with its visitors in slot order."""
    from reception.offices.lookups import desk_for_actor

    authorize(actor, Action.APPOINTMENT_READ)
    now = clock.now()
    with db.read() as s:
        desk = desk_for_actor(s, actor, desk_code, office_code)
        office = desk.office
        return sessions_with_visitors(s, actor, ReceptionSession.desk_id == desk.id, day, office, now)


__all__ = ["ACTIVE_APPOINTMENT", "book", "cancel", "rebook", "find_appointments", "search_bookings", "desk_day",
           "confirmation", "to_rebook"]


def cancel_by_visitor(uow: UnitOfWork, clock: Clock, appointment_id: int, *, via: str) -> Appointment:
    """The visitor cancels their own booking by a reply to a message: the call-centre's cancel by the same
    rule (a booking not yet checked in; its place is freed), with no actor and the channel it came by."""
    s = uow.session
    appt = s.get(Appointment, appointment_id)
    if appt is None:
        raise NotFound("error.unknown_appointment")
    if appt.status != "booked":
        raise Conflict("error.cancel_booking_not_open", code=codes.display(appt.booking_code))
    now = clock.now()
    appt.status, appt.cancelled_at, appt.cancel_reason = "cancelled", now, f"visitor:{via}"
    appt.needs_rebooking = False
    _release_place(s, appt.session_id)
    audit(s, now, None, "appointment.cancel", "appointment", appt.id, {"reason": appt.cancel_reason, "via": via})
    s.flush()
    return appt

"""Public booking: ask for a slot (a one-time code goes out), confirm with the code, cancel.

Commands take a unit of work (``command(uow, clock, ...)``) and never commit. The last place of a slot
goes to one visitor only: the confirmation claims it with a conditional UPDATE on the slot's counter row
(``booking_slots``), so of two visitors confirming at once one gets the booking and the other
``slot_taken`` (on PostgreSQL the second UPDATE waits for the first and re-reads the row; on SQLite the
writer lock serialises them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.booking import rules as R
from reception.booking.models import Booking, BookingCapacity, BookingRequest, BookingRule, BookingSlot
from reception.kernel.errors import Conflict, NotFound, ValidationFailed
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.kernel.phones import normalise_phone
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import codes
from reception.notifications.outbox import enqueue
from reception.offices.models import Office, Service
from reception.offices.rules import office_day, to_local
from reception.platform.clock import Clock
from reception.platform.db import rows_changed
from reception.platform.i18n import t
from reception.queue.reads import iso_local


class BookingRefused(Conflict):
    """A 409 whose machine code the contract names (slot_taken, booking_closed, booking_cap_reached,
    too_late) with the public booking's own words."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(f"error.{code}", **params)
        self.detail_key = f"selfbook.error.{code}"


@dataclass(frozen=True)
class Visitor:
    surname: str
    name: str
    phone: str | None = None  # as typed; stored E.164
    email: str | None = None
    lang: str = "uk"
    topic: str | None = None  # the appeal's topic: a leadership reception needs it


# --- reads -------------------------------------------------------------------------------------------


def rules_for(session: Session, office: Office, service: Service | None) -> R.BookingRules:
    rows = {r.service_id: r.settings for r in session.scalars(select(BookingRule).where(
        BookingRule.office_id == office.id,
        or_(BookingRule.service_id.is_(None), BookingRule.service_id == (service.id if service else None))))}
    return R.BookingRules.from_json(rows.get(None), rows.get(service.id) if service else None)


def capacities(session: Session, service: Service) -> list[R.Capacity]:
    return [R.Capacity(frozenset(int(d) for d in c.weekdays), R.parse_hhmm(c.start), R.parse_hhmm(c.end),
                       c.slot_min, c.per_slot)
            for c in session.scalars(select(BookingCapacity).where(BookingCapacity.service_id == service.id))]


def bookable_offices(session: Session) -> list[dict[str, Any]]:
    """Offices with at least one service open to booking, and those services (no personal data)."""
    rows = session.execute(
        select(Office, Service).join(BookingCapacity, BookingCapacity.office_id == Office.id)
        .join(Service, Service.id == BookingCapacity.service_id)
        .where(Office.is_active.is_(True), Service.is_active.is_(True))
        .order_by(Office.code, Service.sort_order, Service.id)).unique().all()
    out: dict[str, dict[str, Any]] = {}
    for office, service in rows:
        entry = out.setdefault(office.code, {"code": office.code, "name_uk": office.name_uk,
                                             "name_en": office.name_en, "timezone": office.timezone,
                                             "services": []})
        if all(s["code"] != service.code for s in entry["services"]):
            rules = rules_for(session, office, service)
            entry["services"].append({"code": service.code, "name_uk": service.name_uk,
                                      "name_en": service.name_en, "kind": service.kind,
                                      "days_ahead": rules.opens_days_ahead, "verify_by": rules.verify_by,
                                      "remote_queue": rules.remote_queue})
    for office, service in session.execute(
            select(Office, Service).join(Service, Service.office_id == Office.id)
            .where(Office.is_active.is_(True), Service.is_active.is_(True), Service.kind == "leadership")
            .order_by(Office.code, Service.sort_order, Service.id)).all():
        rules = rules_for(session, office, service)
        if not rules.leadership_public:
            continue
        entry = out.setdefault(office.code, {"code": office.code, "name_uk": office.name_uk,
                                             "name_en": office.name_en, "timezone": office.timezone,
                                             "services": []})
        entry["services"].append({"code": service.code, "name_uk": service.name_uk, "name_en": service.name_en,
                                  "kind": "leadership", "days_ahead": rules.opens_days_ahead,
                                  "verify_by": rules.verify_by, "remote_queue": False})
    return sorted(out.values(), key=lambda o: o["code"])


def _office_service(session: Session, office_code: str, service_code: str) -> tuple[Office, Service]:
    office = session.scalar(select(Office).where(Office.code == office_code, Office.is_active.is_(True)))
    service = session.scalar(select(Service).where(Service.office_id == office.id, Service.code == service_code,
                                                   Service.is_active.is_(True))) if office else None
    if office is None or service is None or not (
            capacities(session, service) if service.kind != "leadership" else _leadership_open(session, office, service)):
        raise NotFound("selfbook.error.unknown_service")
    return office, service


def _leadership_open(session: Session, office: Office, service: Service) -> bool:
    """The office opens its leadership reception to public booking (the rules' ``leadership_public``)."""
    return rules_for(session, office, service).leadership_public


def _taken(session: Session, service_id: int, slots: list[datetime]) -> dict[datetime, int]:
    if not slots:
        return {}
    rows = session.execute(select(BookingSlot.at, BookingSlot.taken).where(
        BookingSlot.service_id == service_id, BookingSlot.at.in_(slots))).all()
    return {_aware(at): taken for at, taken in rows}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def free_slots(session: Session, now: datetime, office_code: str, service_code: str, day: date) -> list[dict[str, Any]]:
    """The day's slots still bookable now, with free places only (``[{at, free}]``)."""
    office, service = _office_service(session, office_code, service_code)
    if service.kind == "leadership":
        from reception.booking import leadership_public

        return leadership_public.public_slots(session, now, office, day)
    rules = rules_for(session, office, service)
    places = _places(session, office, service, day)
    taken = _taken(session, service.id, list(places))
    return [{"at": iso_local(at, office.timezone), "free": max(cap - taken.get(at, 0), 0)}
            for at, cap in places.items() if R.is_open(at, now, rules, office.timezone)]


def _places(session: Session, office: Office, service: Service, day: date) -> dict[datetime, int]:
    """Slot -> places, less a day the office does not work (holidays it observes)."""
    from reception.leadership.sessions import work_calendar

    if work_calendar(office, day, day).is_holiday(day):
        return {}
    return R.slots_of_day(capacities(session, service), day, office.timezone)


# --- asking for a booking ---------------------------------------------------------------------------


def _contact(visitor: Visitor, verify_by: str) -> tuple[str | None, str | None]:
    phone = normalise_phone(visitor.phone)
    email = (visitor.email or "").strip().lower() or None
    if email is not None and ("@" not in email or len(email) > 320 or any(ch.isspace() for ch in email)):
        raise ValidationFailed("selfbook.error.bad_email")
    if verify_by == "sms" and phone is None:
        raise ValidationFailed("selfbook.error.phone_required")
    if verify_by == "email" and email is None:
        raise ValidationFailed("selfbook.error.email_required")
    return phone, email


def _held(session: Session, phone: str | None, email: str | None) -> list[R.Held]:
    who = [c for c in (Booking.phone == phone if phone else None, Booking.email == email if email else None)
           if c is not None]
    if not who:
        return []
    from reception.booking import leadership_public

    return [R.Held(_aware(at), status) for at, status in
            session.execute(select(Booking.slot_at, Booking.status).where(or_(*who))).all()] \
        + leadership_public.held(session, phone, email)


def _check(session: Session, now: datetime, office: Office, service: Service, at: datetime,
           rules: R.BookingRules, phone: str | None, email: str | None, *, override_cap: bool = False) -> None:
    """The slot exists, its window is open, a place is free and the visitor's caps allow it."""
    tz = office.timezone
    if service.kind == "leadership":  # the leadership's own window (its cut-off) and its free slots
        from reception.booking import leadership_public

        leadership_public.check_slot(session, now, office, at)
    else:
        places = _places(session, office, service, office_day(at, tz)).get(at)
        if places is None:
            raise ValidationFailed("selfbook.error.no_such_slot")
        if not R.is_open(at, now, rules, tz):
            raise BookingRefused("booking_closed")
        if _taken(session, service.id, [at]).get(at, 0) >= places:
            raise BookingRefused("slot_taken")
    if not override_cap and R.cap_reached(_held(session, phone, email), at, now, rules, tz) is not None:
        raise BookingRefused("booking_cap_reached")


def request_booking(uow: UnitOfWork, clock: Clock, *, office: str, service: str, at: datetime,
                    visitor: Visitor) -> dict[str, Any]:
    """Check the slot and the caps, keep the request and send its one-time code: {request_id, verify_by}."""
    s, now = uow.session, clock.now()
    the_office, the_service = _office_service(s, office, service)
    rules = rules_for(s, the_office, the_service)
    phone, email = _contact(visitor, rules.verify_by)
    topic = (visitor.topic or "").strip()
    if the_service.kind == "leadership" and not topic:
        raise ValidationFailed("selfbook.error.topic_required")
    at = (at if at.tzinfo else at.replace(tzinfo=ZoneInfo(the_office.timezone))).astimezone(UTC)
    _check(s, now, the_office, the_service, at, rules, phone, email)
    code, request_id = R.new_verification_code(), R.new_request_id()
    s.add(BookingRequest(request_id=request_id, kind="booking", office_id=the_office.id,
                         code_hash=R.digest(code, request_id), attempts=0, created_at=now,
                         expires_at=now + R.CODE_TTL,
                         payload={"service_id": the_service.id, "at": at.isoformat(), "surname": visitor.surname,
                                  "name": visitor.name, "phone": phone, "email": email, "lang": visitor.lang}
                         | ({"topic": topic[:500]} if the_service.kind == "leadership" else {})))
    channel, address = ("sms", phone) if rules.verify_by == "sms" else ("email", email)
    assert address is not None
    enqueue(s, at=now, key=f"booking-code:{request_id}", channel=channel, address=address, kind="verification_code",
            office_id=the_office.id, subject=t("selfbook.msg.code_subject", visitor.lang),
            body=t("selfbook.msg.code", visitor.lang, code=code, minutes=int(R.CODE_TTL.total_seconds() // 60)))
    return {"request_id": request_id, "verify_by": rules.verify_by}


# --- confirming --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WrongCode:
    """A wrong code was counted (committed); the caller answers 422 with the tries left."""

    left: int


def _open_request(s: Session, request_id: str, kind: str, now: datetime) -> BookingRequest:
    req = s.scalar(select(BookingRequest).where(BookingRequest.request_id == request_id,
                                                BookingRequest.kind == kind)) if len(request_id) <= 32 else None
    if req is None:
        raise NotFound("selfbook.error.unknown_request")
    state = R.code_state(attempts=req.attempts, expires_at=_aware(req.expires_at),
                         used_at=req.used_at, now=now)
    if state != "open":
        dead = Conflict("error.code_dead")
        dead.detail_key = f"selfbook.code.{state}"
        raise dead
    return req


def _count_wrong(s: Session, req: BookingRequest) -> WrongCode:
    """One more wrong try, counted by the database (concurrent guesses all count)."""
    s.execute(update(BookingRequest).where(BookingRequest.id == req.id)
              .values(attempts=BookingRequest.attempts + 1).execution_options(synchronize_session=False))
    attempts = s.scalar(select(BookingRequest.attempts).where(BookingRequest.id == req.id)) or R.CODE_ATTEMPTS
    if attempts >= R.CODE_ATTEMPTS:
        s.execute(update(BookingRequest).where(BookingRequest.id == req.id).values(payload={})
                  .execution_options(synchronize_session=False))
    return WrongCode(max(R.CODE_ATTEMPTS - attempts, 0))


def claim_slot(s: Session, service_id: int, at: datetime, places: int) -> bool:
    """Take one place of the slot if one is free: the row is made once, then a conditional UPDATE."""
    dialect = s.get_bind().dialect.name
    values = {"service_id": service_id, "at": at, "taken": 0}
    if dialect == "postgresql":
        s.execute(pg_insert(BookingSlot).values(**values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        s.execute(sqlite_insert(BookingSlot).values(**values).on_conflict_do_nothing())
    else:  # pragma: no cover - the two databases we run on are above
        if s.get(BookingSlot, (service_id, at)) is None:
            s.execute(insert(BookingSlot).values(**values))
    return rows_changed(s.execute(
        update(BookingSlot).where(BookingSlot.service_id == service_id, BookingSlot.at == at,
                                  BookingSlot.taken < places)
        .values(taken=BookingSlot.taken + 1).execution_options(synchronize_session=False))) == 1


def release_slot(s: Session, service_id: int, at: datetime) -> None:
    s.execute(update(BookingSlot).where(BookingSlot.service_id == service_id, BookingSlot.at == at,
                                        BookingSlot.taken > 0)
              .values(taken=BookingSlot.taken - 1).execution_options(synchronize_session=False))


def _new_booking_code(s: Session) -> str:
    for _ in range(20):
        code = codes.new_code()
        if s.scalar(select(func.count()).select_from(Booking).where(Booking.booking_code == code)) == 0:
            return code
    raise Conflict("error.concurrent_change")  # pragma: no cover - 34 million codes


def place_booking(s: Session, now: datetime, office: Office, service: Service, at: datetime, *, surname: str,
                  name: str, phone: str | None, email: str | None, lang: str, consent_at: datetime | None,
                  user_id: int | None = None, override_cap: bool = False,
                  rules: R.BookingRules | None = None) -> tuple[Booking, str]:
    """Check, claim the place, store the booking and queue its confirmation: (booking, cancel token)."""
    rules = rules or rules_for(s, office, service)
    _check(s, now, office, service, at, rules, phone, email, override_cap=override_cap)
    places = _places(s, office, service, office_day(at, office.timezone))[at]
    if not claim_slot(s, service.id, at, places):
        raise BookingRefused("slot_taken")
    token = R.new_cancel_token()
    booking = Booking(office_id=office.id, service_id=service.id, slot_at=at, status="booked",
                      booking_code=_new_booking_code(s), cancel_token_hash=R.digest(token), surname=surname,
                      name=name, phone=phone, email=email, lang=lang, consent_at=consent_at, created_at=now,
                      created_by_user_id=user_id, cap_overridden=override_cap)
    s.add(booking)
    s.flush()
    audit(s, now, user_id, "booking.create", "booking", booking.id,
          {"service": service.code, "cap_overridden": override_cap} if override_cap else {"service": service.code})
    _tell_confirmed(s, now, office, service, booking, rules)
    return booking, token


def _tell_confirmed(s: Session, now: datetime, office: Office, service: Service, booking: Booking,
                    rules: R.BookingRules) -> None:
    local = to_local(booking.slot_at, office.timezone)
    body = t("selfbook.msg.confirmed", booking.lang, code=codes.display(booking.booking_code),
             service=service.name_uk if booking.lang == "uk" else service.name_en,
             office=office.name_uk if booking.lang == "uk" else office.name_en,
             when=local.strftime("%d.%m.%Y %H:%M"))
    for channel, address in (("sms", booking.phone), ("email", booking.email)):
        if address and (channel == rules.verify_by or not (booking.phone and booking.email)):
            enqueue(s, at=now, key=f"booking-confirmed:{booking.id}:{channel}", channel=channel, address=address,
                    kind="booking_confirmed", office_id=office.id, body=body,
                    subject=t("selfbook.msg.confirmed_subject", booking.lang))


def confirm_booking(uow: UnitOfWork, clock: Clock, request_id: str, code: str) -> dict[str, Any] | WrongCode:
    """The visitor's code: the booking ({booking_code, at, service, cancel_token}) or a counted wrong try."""
    s, now = uow.session, clock.now()
    req = _open_request(s, request_id, "booking", now)
    if not R.matches(code.strip(), req.code_hash, req.request_id):
        return _count_wrong(s, req)
    p = dict(req.payload)
    office = s.get(Office, req.office_id)
    service = s.get(Service, p["service_id"])
    if office is None or service is None:
        raise NotFound("selfbook.error.unknown_service")
    at = datetime.fromisoformat(p["at"])
    if service.kind == "leadership":
        from reception.booking import leadership_public

        _check(s, now, office, service, at, rules_for(s, office, service), p["phone"], p["email"])
        answer = leadership_public.book(uow, clock, office, service, at, p)
        req.used_at, req.payload = now, {"appointment_booking": True}
        return answer
    booking, token = place_booking(s, now, office, service, at, surname=p["surname"], name=p["name"],
                                   phone=p["phone"], email=p["email"], lang=p.get("lang", "uk"), consent_at=now)
    req.used_at, req.payload = now, {"booking_id": booking.id}
    return {"booking_code": codes.display(booking.booking_code), "at": iso_local(at, office.timezone),
            "service": service.code, "cancel_token": token}


def cancel_booking(uow: UnitOfWork, clock: Clock, booking_code: str, cancel_token: str) -> dict[str, Any]:
    """Cancel by the link's token: the place is free again. Unknown code and wrong token answer alike (404)."""
    s, now = uow.session, clock.now()
    clean = codes.normalise(booking_code)
    booking = s.scalar(select(Booking).where(Booking.booking_code == clean)) if clean else None
    if booking is None and clean:
        from reception.booking import leadership_public

        return leadership_public.cancel(uow, clock, clean, cancel_token)
    if booking is None or not R.matches(cancel_token, booking.cancel_token_hash):
        raise NotFound("selfbook.error.unknown_booking")
    if booking.status == "cancelled":
        return {"booking_code": codes.display(booking.booking_code), "status": "cancelled"}
    if booking.status != "booked":
        raise Conflict("error.booking_not_cancellable")
    claimed = rows_changed(s.execute(update(Booking).where(Booking.id == booking.id, Booking.status == "booked")
                                     .values(status="cancelled", cancelled_at=now)
                                     .execution_options(synchronize_session=False)))
    if claimed == 1:
        release_slot(s, booking.service_id, _aware(booking.slot_at))
        audit(s, now, None, "booking.cancel", "booking", booking.id)
    return {"booking_code": codes.display(booking.booking_code), "status": "cancelled"}


def book_for_caller(uow: UnitOfWork, clock: Clock, actor: Actor, *, office: str, service: str, at: datetime,
                    visitor: Visitor, override_cap: bool = False) -> dict[str, Any]:
    """The call-centre books on the phone through the same rules (the visitor's consent given orally);
    it may pass a cap, which the audit log records (``cap_overridden``)."""
    authorize(actor, Action.APPOINTMENT_BOOK)
    s, now = uow.session, clock.now()
    the_office, the_service = _office_service(s, office, service)
    if the_service.kind == "leadership":  # the call-centre books leadership reception in its sessions
        raise NotFound("selfbook.error.unknown_service")
    actor.require_office(the_office.id)
    rules = rules_for(s, the_office, the_service)
    phone, email = _contact(visitor, "any")
    if phone is None and email is None:
        raise ValidationFailed("selfbook.error.phone_required")
    at = (at if at.tzinfo else at.replace(tzinfo=ZoneInfo(the_office.timezone))).astimezone(UTC)
    capped = R.cap_reached(_held(s, phone, email), at, now, rules, the_office.timezone) is not None
    booking, token = place_booking(s, now, the_office, the_service, at, surname=visitor.surname, name=visitor.name,
                                   phone=phone, email=email, lang=visitor.lang, consent_at=now,
                                   user_id=actor.user_id, override_cap=override_cap and capped, rules=rules)
    return {"booking_code": codes.display(booking.booking_code), "at": iso_local(at, the_office.timezone),
            "service": the_service.code, "cancel_token": token, "cap_overridden": booking.cap_overridden}

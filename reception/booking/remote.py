"""Joining a service's live queue from a phone (decision 044): verified like a booking, a place in time.

The place is the moment of joining (``RemotePlace.joined_at``), kept in this slice until the visitor checks
in at the kiosk (``reception.arrival.booked``): the ticket is then issued with that time as its place in the
queue. Meanwhile the queue calls those present; whoever joined later and was called already "passed" the
remote visitor. Up to ``remote_hold_places`` passes the place is held back once and kept; beyond them it
lapses and the visitor gets an ordinary ticket at the end of the queue.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.booking import rules as R
from reception.booking.commands import BookingRefused, WrongCode, _count_wrong, _open_request, rules_for
from reception.booking.models import Booking, BookingRequest, RemotePlace
from reception.kernel.errors import NotFound, ValidationFailed
from reception.kernel.phones import normalise_phone
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import codes
from reception.notifications.outbox import enqueue
from reception.offices.models import Office, Service
from reception.offices.rules import office_day, to_local
from reception.platform.clock import Clock
from reception.platform.i18n import t
from reception.queue.models import Ticket


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _office_service(s: Session, office_code: str, service_code: str) -> tuple[Office, Service, R.BookingRules]:
    office = s.scalar(select(Office).where(Office.code == office_code, Office.is_active.is_(True)))
    service = s.scalar(select(Service).where(Service.office_id == office.id, Service.code == service_code,
                                             Service.is_active.is_(True), Service.kind == "specialist")) \
        if office else None
    if office is None or service is None:
        raise NotFound("selfbook.error.unknown_service")
    return office, service, rules_for(s, office, service)


def request_remote(uow: UnitOfWork, clock: Clock, *, office: str, service: str, phone: str | None,
                   email: str | None, lang: str = "uk") -> dict[str, Any]:
    """Check the office allows it and the cap, send the one-time code: {request_id, verify_by}."""
    s, now = uow.session, clock.now()
    the_office, the_service, rules = _office_service(s, office, service)
    if not rules.remote_queue:
        raise BookingRefused("booking_closed")
    phone = normalise_phone(phone)
    email = (email or "").strip().lower() or None
    if email is not None and ("@" not in email or any(ch.isspace() for ch in email)):
        raise ValidationFailed("selfbook.error.bad_email")
    if phone is None and email is None:
        raise ValidationFailed("selfbook.error.phone_required")
    who = [c for c in (RemotePlace.phone == phone if phone else None, RemotePlace.email == email if email else None)
           if c is not None]
    today = office_day(now, the_office.timezone)
    joined_today = [j for j in s.scalars(select(RemotePlace.joined_at).where(
        or_(*who), RemotePlace.status != "cancelled")) if office_day(_aware(j), the_office.timezone) == today]
    if rules.remote_cap_per_day and len(joined_today) >= rules.remote_cap_per_day:
        raise BookingRefused("booking_cap_reached")
    verify_by = rules.verify_by if (phone if rules.verify_by == "sms" else email) else ("email" if email else "sms")
    code, request_id = R.new_verification_code(), R.new_request_id()
    s.add(BookingRequest(request_id=request_id, kind="remote", office_id=the_office.id,
                         code_hash=R.digest(code, request_id), attempts=0, created_at=now,
                         expires_at=now + R.CODE_TTL,
                         payload={"service_id": the_service.id, "phone": phone, "email": email, "lang": lang}))
    address = phone if verify_by == "sms" else email
    assert address is not None
    enqueue(s, at=now, key=f"booking-code:{request_id}", channel=verify_by, address=address,
            kind="verification_code", office_id=the_office.id, subject=t("selfbook.msg.code_subject", lang),
            body=t("selfbook.msg.code", lang, code=code, minutes=int(R.CODE_TTL.total_seconds() // 60)))
    return {"request_id": request_id, "verify_by": verify_by}


def _new_code(s: Session) -> str:
    for _ in range(20):
        code = codes.new_code()
        taken = s.scalar(select(func.count()).select_from(RemotePlace).where(RemotePlace.code == code)) or \
            s.scalar(select(func.count()).select_from(Booking).where(Booking.booking_code == code))
        if not taken:
            return code
    raise RuntimeError("no free code")  # pragma: no cover - 34 million codes


def confirm_remote(uow: UnitOfWork, clock: Clock, request_id: str, code: str) -> dict[str, Any] | WrongCode:
    """The code: the place ({public_token, code}) or a counted wrong try."""
    s, now = uow.session, clock.now()
    req = _open_request(s, request_id, "remote", now)
    if not R.matches(code.strip(), req.code_hash, req.request_id):
        return _count_wrong(s, req)
    p = dict(req.payload)
    office, service = s.get_one(Office, req.office_id), s.get_one(Service, p["service_id"])
    place = RemotePlace(office_id=office.id, service_id=service.id, code=_new_code(s),
                        public_token=secrets.token_urlsafe(32), status="waiting", joined_at=now, phone=p["phone"],
                        email=p["email"], lang=p.get("lang", "uk"))
    s.add(place)
    s.flush()
    req.used_at, req.payload = now, {"remote_place_id": place.id}
    audit(s, now, None, "remote_place.create", "remote_place", place.id, {"service": service.code})
    lang = place.lang
    body = t("selfbook.msg.remote", lang, code=codes.display(place.code),
             service=service.name_uk if lang == "uk" else service.name_en)
    for channel, address in (("sms", place.phone), ("email", place.email)):
        if address:
            enqueue(s, at=now, key=f"remote-joined:{place.id}:{channel}", channel=channel, address=address,
                    kind="booking_confirmed", office_id=office.id, body=body,
                    subject=t("selfbook.msg.confirmed_subject", lang))
    return {"public_token": place.public_token, "code": codes.display(place.code)}


def ahead_of(s: Session, place: RemotePlace) -> int:
    """Visitors of the service waiting now who joined before the remote visitor."""
    return s.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.service_id == place.service_id, Ticket.status == "waiting",
        Ticket.queued_at < place.joined_at)) or 0


def passed_by(s: Session, place: RemotePlace) -> int:
    """Visitors who joined the service's queue after the remote visitor and were called already."""
    return s.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.service_id == place.service_id, Ticket.queued_at > place.joined_at,
        Ticket.called_at.is_not(None))) or 0


def remote_status(s: Session, now: datetime, public_token: str) -> dict[str, Any]:
    """The phone page's view of a remote place: how many are ahead and about when to come (no personal data)."""
    place = s.scalar(select(RemotePlace).where(RemotePlace.public_token == public_token)) \
        if len(public_token) <= 64 else None
    if place is None:
        raise NotFound("selfbook.error.unknown_booking")
    service = s.get_one(Service, place.service_id)
    office = s.get_one(Office, place.office_id)
    ahead = ahead_of(s, place) if place.status == "waiting" else 0
    ticket = s.get(Ticket, place.ticket_id) if place.ticket_id else None
    return {"code": codes.display(place.code), "service": service.code, "service_name_uk": service.name_uk,
            "service_name_en": service.name_en, "status": place.status, "ahead": ahead,
            "come_within_min": int(ahead * service.default_service_min),
            "joined_at": to_local(_aware(place.joined_at), office.timezone).isoformat(),
            "ticket_public_token": ticket.public_token if ticket else None}

"""Bookings in the personal-data pages (find, export, erase) and in the retention run (decision 044).

Registered by the composition root (``reception.bootstrap``) into the leadership slice's lists: that
slice sits below this one and never imports it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.booking.commands import rules_for
from reception.booking.models import Booking, BookingRequest
from reception.kernel.identity import Actor
from reception.leadership import codes
from reception.leadership.personal_data import PersonalDataPart, Subject, register_part
from reception.leadership.retention import PARTS as RETENTION_PARTS
from reception.offices.models import Office, Service
from reception.offices.rules import to_local
from reception.platform import i18n

MAX_ITEMS = 500


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _held(s: Session, actor: Actor, subject: Subject) -> list[Booking]:
    query = select(Booking).where(Booking.anonymised_at.is_(None))
    if not actor.is_admin:
        query = query.where(Booking.office_id.in_(actor.office_ids or {-1}))
    if subject.phone:
        query = query.where(Booking.phone == subject.phone)
    return [b for b in s.scalars(query.order_by(Booking.id).limit(MAX_ITEMS))
            if subject.matches(b.surname, b.name, b.phone)]


def _verdict(s: Session, b: Booking, now: datetime) -> dict[str, Any]:
    """A booking still ahead is cancelled first; any other may go."""
    if b.status == "booked" and _aware(b.slot_at) >= now:
        office = s.get_one(Office, b.office_id)
        when = to_local(_aware(b.slot_at), office.timezone).strftime("%d.%m.%Y %H:%M")
        return {"erasable": False, "reason": "selfbook.erasure.active", "erasable_from": None,
                "explanation": {lang: i18n.t("selfbook.erasure.active", lang, code=codes.display(b.booking_code),
                                             when=when) for lang in ("uk", "en")}}
    return {"erasable": True, "reason": None, "erasable_from": None, "explanation": None}


def _view(s: Session, b: Booking) -> dict[str, Any]:
    office, service = s.get_one(Office, b.office_id), s.get_one(Service, b.service_id)
    return {"id": b.id, "office": office.code, "service": service.code, "booking_code": codes.display(b.booking_code),
            "at": to_local(_aware(b.slot_at), office.timezone).isoformat(), "status": b.status,
            "surname": b.surname, "name": b.name, "phone": b.phone, "email": b.email}


def find(s: Session, now: datetime, actor: Actor, subject: Subject) -> list[dict[str, Any]]:
    return [_view(s, b) | _verdict(s, b, now) for b in _held(s, actor, subject)]


def export(s: Session, now: datetime, actor: Actor, subject: Subject) -> list[dict[str, Any]]:
    out = []
    for b in _held(s, actor, subject):
        out.append(_view(s, b) | {"lang": b.lang, "created_at": _aware(b.created_at).isoformat(),
                                  "consent_at": _aware(b.consent_at).isoformat() if b.consent_at else None,
                                  "by_call_centre": b.created_by_user_id is not None})
        audit(s, now, actor.user_id, "booking.export", "booking", b.id)
    return out


def _anonymise(s: Session, b: Booking, now: datetime, user_id: int | None, action: str) -> None:
    b.surname = b.name = b.phone = b.email = None
    b.anonymised_at = now
    audit(s, now, user_id, action, "booking", b.id)


def erase(s: Session, now: datetime, actor: Actor, subject: Subject) -> tuple[list[int], list[dict[str, Any]]]:
    erased, kept = [], []
    for b in _held(s, actor, subject):
        verdict = _verdict(s, b, now)
        if verdict["erasable"]:
            _anonymise(s, b, now, actor.user_id, "booking.erase")
            erased.append(b.id)
        else:
            kept.append({"type": "booking", "id": b.id} | verdict)
    return erased, kept


def run_retention(s: Session, now: datetime, actor: Actor | None, office_code: str | None) -> int:
    """Bookings past their office's retention (days after the slot) anonymised; dead code requests emptied,
    and gone a day after they died."""
    s.execute(delete(BookingRequest).where(BookingRequest.expires_at < now - timedelta(days=1))
              .execution_options(synchronize_session=False))
    s.execute(update(BookingRequest).where(BookingRequest.expires_at < now, BookingRequest.used_at.is_(None))
              .values(payload={}).execution_options(synchronize_session=False))
    offices = s.scalars(select(Office).where(Office.code == office_code) if office_code else select(Office)).all()
    count = 0
    for office in offices:
        if actor is not None and not actor.can_access_office(office.id):
            continue
        cutoff = now - timedelta(days=rules_for(s, office, None).retention_days)
        for b in s.scalars(select(Booking).where(Booking.office_id == office.id, Booking.anonymised_at.is_(None),
                                                 Booking.slot_at < cutoff)):
            _anonymise(s, b, now, actor.user_id if actor else None, "booking.anonymise")
            count += 1
    return count


def register() -> None:
    """Called once by the composition root."""
    register_part(PersonalDataPart("bookings", find, export, erase))
    RETENTION_PARTS["bookings"] = run_retention

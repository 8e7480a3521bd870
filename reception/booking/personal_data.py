"""Bookings in the personal-data pages (find, export, erase) and in the retention run (decision 044).

Registered by the composition root (``reception.bootstrap``) into the leadership slice's lists: that
slice sits below this one and never imports it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.booking.commands import rules_for
from reception.booking.models import Booking, BookingRequest, RemotePlace
from reception.kernel.identity import Actor
from reception.leadership import codes
from reception.leadership.personal_data import Held, PersonalDataPart, Subject, register_part
from reception.leadership.personal_data_doc import person_text, when_text
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
    return {"id": b.id, "office": office.code, "service": service.code, "service_name_uk": service.name_uk,
            "service_name_en": service.name_en, "booking_code": codes.display(b.booking_code),
            "at": to_local(_aware(b.slot_at), office.timezone).isoformat(), "status": b.status,
            "surname": b.surname, "name": b.name, "phone": b.phone, "email": b.email}


def find(s: Session, now: datetime, actor: Actor, subject: Subject, _found: Held) -> list[dict[str, Any]]:
    return [_view(s, b) | _verdict(s, b, now) for b in _held(s, actor, subject)]


def export(s: Session, now: datetime, actor: Actor, subject: Subject, _found: Held) -> list[dict[str, Any]]:
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


def erase(s: Session, now: datetime, actor: Actor, subject: Subject, _found: Held) -> tuple[list[int], list[dict[str, Any]]]:
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
        _forget_leadership_keys(s, office.id, cutoff)
    return count


def _forget_leadership_keys(s: Session, office_id: int, cutoff: datetime) -> None:
    """The caps' digests of a publicly booked leadership appointment go with its retention (or its erasure)."""
    from reception.booking.models import LeadershipBooking
    from reception.leadership.models import Appointment

    gone = select(Appointment.id).where(or_(Appointment.slot_at < cutoff, Appointment.anonymised_at.is_not(None)))
    s.execute(update(LeadershipBooking).where(LeadershipBooking.office_id == office_id,
                                              LeadershipBooking.appointment_id.in_(gone),
                                              or_(LeadershipBooking.phone_key.is_not(None),
                                                  LeadershipBooking.email_key.is_not(None)))
              .values(phone_key=None, email_key=None).execution_options(synchronize_session=False))


# --- remote places: a phone or an e-mail only, found by the phone ------------------------------------


def _places(s: Session, actor: Actor, subject: Subject) -> list[RemotePlace]:
    if not subject.phone:
        return []  # a remote place has no name to find it by
    query = select(RemotePlace).where(RemotePlace.anonymised_at.is_(None), RemotePlace.phone == subject.phone)
    if not actor.is_admin:
        query = query.where(RemotePlace.office_id.in_(actor.office_ids or {-1}))
    return list(s.scalars(query.order_by(RemotePlace.id).limit(MAX_ITEMS)))


def _place_view(s: Session, p: RemotePlace) -> dict[str, Any]:
    office, service = s.get_one(Office, p.office_id), s.get_one(Service, p.service_id)
    return {"id": p.id, "office": office.code, "service": service.code, "service_name_uk": service.name_uk,
            "service_name_en": service.name_en, "code": codes.display(p.code),
            "joined_at": to_local(_aware(p.joined_at), office.timezone).isoformat(), "status": p.status,
            "phone": p.phone, "email": p.email}


_ERASABLE = {"erasable": True, "reason": None, "erasable_from": None, "explanation": None}


def find_places(s: Session, now: datetime, actor: Actor, subject: Subject, _found: Held) -> list[dict[str, Any]]:
    return [_place_view(s, p) | _ERASABLE for p in _places(s, actor, subject)]


def export_places(s: Session, now: datetime, actor: Actor, subject: Subject, _found: Held) -> list[dict[str, Any]]:
    out = []
    for p in _places(s, actor, subject):
        out.append(_place_view(s, p))
        audit(s, now, actor.user_id, "remote_place.export", "remote_place", p.id)
    return out


def _anonymise_place(s: Session, p: RemotePlace, now: datetime, user_id: int | None, action: str) -> None:
    p.phone = p.email = None
    p.anonymised_at = now
    audit(s, now, user_id, action, "remote_place", p.id)


def erase_places(s: Session, now: datetime, actor: Actor, subject: Subject, _found: Held) -> tuple[list[int], list[dict[str, Any]]]:
    erased = []
    for p in _places(s, actor, subject):
        _anonymise_place(s, p, now, actor.user_id, "remote_place.erase")
        erased.append(p.id)
    return erased, []


def places_retention(s: Session, now: datetime, actor: Actor | None, office_code: str | None) -> int:
    """Remote places anonymised after their office's retention (days after joining)."""
    offices = s.scalars(select(Office).where(Office.code == office_code) if office_code else select(Office)).all()
    count = 0
    for office in offices:
        if actor is not None and not actor.can_access_office(office.id):
            continue
        cutoff = now - timedelta(days=rules_for(s, office, None).retention_days)
        for p in s.scalars(select(RemotePlace).where(RemotePlace.office_id == office.id,
                                                     RemotePlace.anonymised_at.is_(None),
                                                     RemotePlace.joined_at < cutoff)):
            _anonymise_place(s, p, now, actor.user_id if actor else None, "remote_place.anonymise")
            count += 1
    return count


def _service(item: dict[str, Any], lang: str) -> str:
    return str(item.get(f"service_name_{lang}") or item.get("service_name_uk") or "")


def booking_rows(item: dict[str, Any], lang: str) -> list[tuple[str, Any]]:
    """One exported booking in the readable document."""
    return [(i18n.t("pdd.booking_code", lang), item["booking_code"]), (i18n.t("pdd.service", lang), _service(item, lang)),
            (i18n.t("pdd.when", lang), when_text(item["at"])), (i18n.t("pdd.status", lang), i18n.t(f"pdd.bs.{item['status']}", lang)),
            (i18n.t("pdd.person", lang), person_text(item.get("surname"), item.get("name"), None)),
            (i18n.t("pdd.phone", lang), item.get("phone")), (i18n.t("pdd.email", lang), item.get("email")),
            (i18n.t("pdd.booked_at", lang), when_text(item.get("created_at"))),
            (i18n.t("pdd.by_call_centre", lang), i18n.t("pdd.yes", lang) if item.get("by_call_centre") else "")]


def place_rows(item: dict[str, Any], lang: str) -> list[tuple[str, Any]]:
    """One exported place in the live queue in the readable document."""
    return [(i18n.t("pdd.place_code", lang), item["code"]), (i18n.t("pdd.service", lang), _service(item, lang)),
            (i18n.t("pdd.joined_at", lang), when_text(item["joined_at"])),
            (i18n.t("pdd.status", lang), i18n.t(f"pdd.ps.{item['status']}", lang)),
            (i18n.t("pdd.phone", lang), item.get("phone")), (i18n.t("pdd.email", lang), item.get("email"))]


def register() -> None:
    """Called once by the composition root."""
    register_part(PersonalDataPart("bookings", find, export, erase, "pdd.bookings", booking_rows))
    register_part(PersonalDataPart("remote_places", find_places, export_places, erase_places, "pdd.places",
                                   place_rows))
    RETENTION_PARTS["bookings"] = run_retention
    RETENTION_PARTS["remote_places"] = places_retention

"""One person's data on request: find, export (JSON), erase (docs/decisions/018).

A manager (or the admin) names the person by phone (any written form, compared as E.164) and/or
surname (whole, case- and apostrophe-insensitive), optionally the first name; the same match is
used to find, to export and to erase, within the records and appointments the caller may see.

Erasure anonymises exactly as the storage-term run does (``retention``), but now, and only where
the law does not require keeping the data: a reception card is kept under the Law of Ukraine «Про
звернення громадян» for the office's storage term counted from its removal from control
(``retention.term_ends``); a booking is kept while its card is kept or while it is still to come.
What must be kept is refused with the reason and the first day erasure becomes possible.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.kernel.errors import Conflict, NotFound, ValidationFailed
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.kernel.phones import phone_for_search
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import codes
from reception.leadership.booking import appointment_view
from reception.leadership.lookup_keys import fold_name
from reception.leadership.models import Appointment, ReceptionRecord, ReceptionSession
from reception.leadership.records import record_view
from reception.leadership.retention import anonymise_appointment, anonymise_record, check_term, term_ends
from reception.leadership.settings import LeadershipSettings
from reception.leadership.visibility import record_visibility
from reception.offices.models import Office
from reception.offices.rules import office_day
from reception.platform import i18n
from reception.platform.clock import Clock
from reception.queue.models import Ticket

MAX_ITEMS = 500  # one person, not the register


# --- the rule (pure) ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    """May this item be erased today; if not, why (a message key) and from which day (if known)."""

    erasable: bool
    reason: str | None = None
    possible_from: date | None = None


def record_verdict(removed_from_control: date | None, reception_date: date, years: int, today: date) -> Verdict:
    """A card is kept while on control and for the storage term after (the rule of ``retention``)."""
    if removed_from_control is None:
        return Verdict(False, "erasure.on_control")
    ends = term_ends(max(removed_from_control, reception_date), years)
    return Verdict(True) if today >= ends else Verdict(False, "erasure.term", ends)


def appointment_verdict(status: str, session_day: date, today: date, record: Verdict | None) -> Verdict:
    """A booking still to come is cancelled first; one that led to a kept card goes with the card."""
    if record is not None and not record.erasable:
        return Verdict(False, "erasure.booking_of_record", record.possible_from)
    if status in ("booked", "checked_in") and session_day >= today:
        return Verdict(False, "erasure.booking_active")
    return Verdict(True)


@dataclass(frozen=True)
class Subject:
    """Who is asked about: E.164 phone and/or folded surname (and first name)."""

    phone: str | None = None
    surname: str | None = None
    name: str | None = None

    @classmethod
    def parse(cls, phone: str | None, surname: str | None, name: str | None = None) -> Subject:
        phone = (phone or "").replace("\x00", "").strip()
        surname_key, name_key = fold_name((surname or "").replace("\x00", "")), fold_name((name or "").replace("\x00", ""))
        if not phone and not surname_key:
            raise ValidationFailed("error.subject_query")
        return cls(phone_for_search(phone) if phone else None, surname_key or None, name_key or None)

    def matches(self, surname: str | None, name: str | None, phone: str | None) -> bool:
        if self.surname and fold_name(surname) != self.surname:
            return False
        if self.name and fold_name(name) != self.name:
            return False
        return not self.phone or _e164(phone) == self.phone

    def as_dict(self) -> dict[str, Any]:
        return {"phone": self.phone, "surname": self.surname, "name": self.name}


def _e164(raw: str | None) -> str | None:
    """A stored phone (records keep it as typed) in the form searched by; None if it is no number."""
    try:
        return phone_for_search(raw) if raw else None
    except ValidationFailed:
        return None


# --- other slices' parts ------------------------------------------------------------------------

@dataclass(frozen=True)
class PersonalDataPart:
    """What another slice holds about a person (its ``key`` in the answers), registered by the composition
    root, which knows both slices (a slice above this one, e.g. the bookings, decision 044). ``find`` gives
    the items with their erasure verdict (the fields of ``_verdict_view``), ``export`` everything,
    ``erase`` anonymises what may go now and answers (erased ids, kept items with their verdict)."""

    key: str
    find: Callable[[Session, datetime, Actor, Subject, Held], list[dict[str, Any]]]
    export: Callable[[Session, datetime, Actor, Subject, Held], list[dict[str, Any]]]
    erase: Callable[[Session, datetime, Actor, Subject, Held], tuple[list[int], list[dict[str, Any]]]]
    # The readable document (personal_data_doc): the part's heading (a text key) and one exported item as
    # label / value rows in a language.
    heading: str = ""
    rows: Callable[[dict[str, Any], str], list[tuple[str, Any]]] | None = None


PARTS: dict[str, PersonalDataPart] = {}


def register_part(part: PersonalDataPart) -> None:
    PARTS[part.key] = part


# --- the service -------------------------------------------------------------------------------

@dataclass
class _Found:
    records: list[tuple[ReceptionRecord, Verdict]]
    appointments: list[tuple[Appointment, Verdict]]
    offices: dict[int, Office]
    kept_cards: dict[int, ReceptionRecord]  # a booking's card, whoever it names


def _find(s: Session, clock: Clock, actor: Actor, subject: Subject) -> _Found:
    now = clock.now()
    offices = {o.id: o for o in s.scalars(select(Office))}
    terms = {oid: check_term(LeadershipSettings.from_json(o.settings).records_retention_years)
             for oid, o in offices.items()}
    today = {oid: office_day(now, o.timezone) for oid, o in offices.items()}

    query = select(ReceptionRecord).where(record_visibility(actor), ReceptionRecord.anonymised_at.is_(None))
    if subject.phone:
        query = query.where(ReceptionRecord.phone != "")
    records = [r for r in s.scalars(query.order_by(ReceptionRecord.id))
               if subject.matches(r.surname, r.name, r.phone)][:MAX_ITEMS]

    def verdict(rec: ReceptionRecord) -> Verdict:
        return record_verdict(rec.removed_from_control, rec.reception_date, terms[rec.office_id],
                              today[rec.office_id])

    aq = select(Appointment).join(ReceptionSession, Appointment.session_id == ReceptionSession.id).where(
        Appointment.anonymised_at.is_(None))
    if not actor.is_admin:
        aq = aq.where(ReceptionSession.office_id.in_(actor.office_ids or {-1}))
    if subject.phone:
        aq = aq.where(Appointment.phone == subject.phone)
    if subject.surname:
        aq = aq.where(Appointment.surname_folded == subject.surname)
    appts = [a for a in s.scalars(aq.order_by(Appointment.id).limit(MAX_ITEMS)).unique()
             if subject.matches(a.surname, a.name, a.phone)]
    cards = {r.appointment_id: r for r in s.scalars(select(ReceptionRecord).where(
        ReceptionRecord.appointment_id.in_([a.id for a in appts]), ReceptionRecord.anonymised_at.is_(None)))
        if r.appointment_id is not None}
    appointments = []
    for a in appts:
        card = cards.get(a.id)
        office_id = a.session.office_id
        appointments.append((a, appointment_verdict(a.status, a.session.day, today[office_id],
                                                    verdict(card) if card else None)))
    return _Found([(r, verdict(r)) for r in records], appointments, offices, cards)


@dataclass(frozen=True)
class Held:
    """What the person's match finds here, for the parts above that keep data about the same visits
    (messages, feedback, letters): the records with their verdicts, and the ids of appointments and
    tickets, erasable now or kept (a ticket of a kept card or booking is kept)."""

    records: tuple[tuple[ReceptionRecord, Verdict], ...]
    erasable_appointments: frozenset[int]
    kept_appointments: frozenset[int]
    erasable_tickets: frozenset[int]
    kept_tickets: frozenset[int]

    @property
    def tickets(self) -> frozenset[int]:
        return self.erasable_tickets | self.kept_tickets


def _held(found: _Found) -> Held:
    items: list[tuple[int | None, int | None, bool]] = [(None, r.ticket_id, v.erasable) for r, v in found.records]
    items += [(a.id, a.ticket_id, v.erasable) for a, v in found.appointments]
    kept_tickets = frozenset(t for _a, t, ok in items if t is not None and not ok)
    return Held(tuple(found.records), frozenset(a for a, _t, ok in items if a is not None and ok),
                frozenset(a for a, _t, ok in items if a is not None and not ok),
                frozenset(t for _a, t, ok in items if t is not None and ok) - kept_tickets, kept_tickets)


def record_verdict_view(rec: ReceptionRecord, v: Verdict) -> dict[str, Any]:
    """A record's verdict as the pages show it (erasable, reason, from when, the explanation in words)."""
    return _verdict_view(_Found([], [], {}, {}), rec, v)


def _reason(found: _Found, item: ReceptionRecord | Appointment, v: Verdict, lang: str) -> str:
    if v.reason is None:
        return ""
    if isinstance(item, ReceptionRecord):
        index = item.reg_index
        code, day = "", None
    else:
        card = found.kept_cards.get(item.id)
        index = card.reg_index if card else ""
        code, day = codes.display(item.booking_code), item.session.day
    until = date.fromordinal(v.possible_from.toordinal() - 1) if v.possible_from else None
    return i18n.t(v.reason, lang, index=index, code=code, day=day, until=until, date=v.possible_from)


def _verdict_view(found: _Found, item: ReceptionRecord | Appointment, v: Verdict) -> dict[str, Any]:
    return {"erasable": v.erasable, "reason": v.reason,
            "erasable_from": v.possible_from.isoformat() if v.possible_from else None,
            "explanation": {lang: _reason(found, item, v, lang) for lang in ("uk", "en")} if v.reason else None}


def find_person(uow: UnitOfWork, clock: Clock, actor: Actor, subject: Subject) -> dict[str, Any]:
    """What is held about the person, each item with whether it may be erased now. Logged as a view."""
    authorize(actor, Action.PERSONAL_DATA)
    s = uow.session
    found = _find(s, clock, actor, subject)
    for rec, _v in found.records:
        audit(s, clock.now(), actor.user_id, "record.view", "reception_record", rec.id, {"via": "personal_data.find"})
    held = _held(found)
    parts = {key: part.find(s, clock.now(), actor, subject, held) for key, part in PARTS.items()}
    return parts | {
        "records": [{"id": r.id, "office": found.offices[r.office_id].code, "reg_index": r.reg_index,
                     "reception_date": r.reception_date.isoformat(), "surname": r.surname, "name": r.name,
                     "patronymic": r.patronymic, "phone": r.phone, "form": r.form,
                     "removed_from_control": r.removed_from_control.isoformat() if r.removed_from_control else None,
                     } | _verdict_view(found, r, v) for r, v in found.records],
        "appointments": [{"id": a.id, "office": found.offices[a.session.office_id].code,
                          "booking_code": codes.display(a.booking_code), "date": a.session.day.isoformat(),
                          "status": a.status, "surname": a.surname, "name": a.name,
                          "patronymic": a.patronymic, "phone": a.phone} | _verdict_view(found, a, v)
                         for a, v in found.appointments],
    }


def export_person(uow: UnitOfWork, clock: Clock, actor: Actor, subject: Subject) -> dict[str, Any]:
    """Everything held about the person (records, appointments, desk notes), each export logged per item."""
    authorize(actor, Action.PERSONAL_DATA)
    s = uow.session
    found = _find(s, clock, actor, subject)
    held = _held(found)
    parts = {key: part.export(s, clock.now(), actor, subject, held) for key, part in PARTS.items()}
    if not found.records and not found.appointments and not any(parts.values()):
        raise NotFound("error.subject_not_found")
    now = clock.now()
    ticket_ids = {r.ticket_id for r, _ in found.records} | {a.ticket_id for a, _ in found.appointments}
    tickets = list(s.scalars(select(Ticket).where(Ticket.id.in_([t for t in ticket_ids if t]),
                                                  Ticket.note.is_not(None)).order_by(Ticket.id)))
    out = {
        "generated_at": now.isoformat(),
        "subject": subject.as_dict(),
        "records": [record_view(s, r, found.offices[r.office_id],
                                office_day(now, found.offices[r.office_id].timezone)) for r, _ in found.records],
        "appointments": [appointment_view(a, a.session.office) | {
            "created_at": a.created_at.isoformat(), "cancel_reason": a.cancel_reason, "lang": a.lang}
            for a, _ in found.appointments],
        "notes": [{"ticket_id": t.id, "ticket_code": t.code, "day": t.day.isoformat(), "note": t.note}
                  for t in tickets],
        # The offices named above, for the readable document (personal_data_doc) to name them in words.
        "offices": {o.code: {"name_uk": o.name_uk, "name_en": o.name_en, "timezone": o.timezone}
                    for o in [*found.offices.values(), *(a.session.office for a, _ in found.appointments)]},
    }
    for rec, _v in found.records:
        audit(s, clock.now(), actor.user_id, "record.export", "reception_record", rec.id)
    for appt, _v in found.appointments:
        audit(s, clock.now(), actor.user_id, "appointment.export", "appointment", appt.id)
    return out | parts


def erase_person(uow: UnitOfWork, clock: Clock, actor: Actor, subject: Subject, lang: str = "uk") -> dict[str, Any]:
    """Anonymise what may go now; report what is kept and from when. Nothing erasable at all: 409."""
    authorize(actor, Action.PERSONAL_DATA)
    s = uow.session
    found = _find(s, clock, actor, subject)
    held = _held(found)
    parts = {key: part.erase(s, clock.now(), actor, subject, held) for key, part in PARTS.items()}
    parts_found = any(erased or kept for erased, kept in parts.values())
    parts_erased = any(erased for erased, _kept in parts.values())
    if not found.records and not found.appointments and not parts_found:
        raise NotFound("error.subject_not_found")
    kept: list[tuple[ReceptionRecord | Appointment, Verdict]] = [
        (r, v) for r, v in found.records if not v.erasable]
    kept += [(a, v) for a, v in found.appointments if not v.erasable]
    records = [r for r, v in found.records if v.erasable]
    appointments = [a for a, v in found.appointments if v.erasable]
    if not records and not appointments and not parts_erased:
        part_reasons = [k["explanation"][lang] for _e, kept_items in parts.values() for k in kept_items
                        if k.get("explanation")]
        raise Conflict("error.erasure_refused",
                       reasons=" ".join([_reason(found, item, v, lang) for item, v in kept] + part_reasons))
    now = clock.now()
    terms = {oid: LeadershipSettings.from_json(o.settings).records_retention_years
             for oid, o in found.offices.items()}
    kept_tickets = {r.ticket_id for r, v in found.records if not v.erasable}
    notes = set()
    for rec in records:
        anonymise_record(s, rec, now, actor, terms[rec.office_id], action="record.erase")
        notes.add(rec.ticket_id)
    for appt in appointments:
        anonymise_appointment(s, appt, now, actor, terms[appt.session.office_id], action="appointment.erase")
        notes.add(appt.ticket_id)
    for ticket in s.scalars(select(Ticket).where(Ticket.id.in_([t for t in notes - kept_tickets if t]),
                                                 Ticket.note.is_not(None))):
        ticket.note = None  # the desk's finish note may name the visitor
        audit(s, clock.now(), actor.user_id, "ticket.note_erase", "ticket", ticket.id)
    return {"erased": {"records": [r.id for r in records], "appointments": [a.id for a in appointments]}
            | {key: erased for key, (erased, _kept) in parts.items() if erased},
            "kept": [{"type": "record" if isinstance(item, ReceptionRecord) else "appointment", "id": item.id}
                     | _verdict_view(found, item, v) for item, v in kept]
            + [item for _erased, kept_items in parts.values() for item in kept_items]}

"""The reception record (decision 007): register, read, change, search — every access logged.

Roles: leader, operator and manager create and edit; the auditor reads (admin implies manager).
Which records each of them sees is ``visibility.record_visibility`` (a hidden record is 404).
Every view, list, print and change writes an ``AuditLog`` row in the same transaction as the
read or the change, so an access that is not logged does not happen: reading a record is
therefore a command too, run in the caller's unit of work (``Services.run``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

import reception.leadership.retention  # noqa: F401  (its messages)
import reception.leadership.texts  # noqa: F401  (registers the messages)
from reception.accounts.models import User, UserOffice
from reception.audit.writer import audit
from reception.kernel.bounds import MAX_REASONS, describe_errors
from reception.kernel.errors import ConcurrentChange, Conflict, Forbidden, NotFound, ValidationFailed
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.kernel.phones import normalise_phone
from reception.kernel.service_layer import Services
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import (
    deadlines,
    indexes,
    retention,  # noqa: F401  (its messages)
    texts,  # noqa: F401  (registers the messages)
)
from reception.leadership.models import Appointment, Leader, ReceptionRecord, ReceptionSession, RecordCounter
from reception.leadership.record_values import FORMS, RecordValues
from reception.leadership.settings import LeadershipSettings
from reception.leadership.topics import check_topic, topic_names
from reception.leadership.visibility import record_visibility
from reception.offices.lookups import office_by_code
from reception.offices.models import Office, PriorityCategory
from reception.offices.rules import office_day
from reception.platform.clock import Clock
from reception.platform.db import Database
from reception.platform.i18n import Text
from reception.queue.models import Ticket

KINDS = ("proposal", "application", "complaint")
OUTCOME_KIND = {"complaint_accepted": "complaint", "proposal_accepted": "proposal"}

# Fields a caller may set (besides the extension, handled on its own).
EDITABLE = (
    "reception_date", "leader_id", "received_by_name", "received_by_position", "surname", "name", "patronymic",
    "address", "phone", "email", "conceal_name", "social_status", "category", "authorship", "is_repeat", "form",
    "kind", "questions", "resolution", "resolution_author", "executor", "needs_study", "result", "answer_method",
    "removed_from_control", "topic", "is_consultation", "answered_on_spot", "executor_id",
)
PERSONAL = {"surname", "name", "patronymic", "address", "phone", "email"}


def _next_seq(s: Session, office_id: int, year: int) -> int:
    insert = postgresql.insert if s.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(RecordCounter).values(office_id=office_id, year=year, last_number=1).on_conflict_do_update(
        index_elements=[RecordCounter.office_id, RecordCounter.year],
        set_={"last_number": RecordCounter.last_number + 1},
    ).returning(RecordCounter.last_number)
    return int(s.execute(stmt).scalar_one())


def check_values(data: dict[str, Any]) -> None:
    """Types, required values and sizes (``RecordValues``), before anything is looked up or stored.

    ``data`` is normalised in place (stripped text); only the keys it has are written back.
    """
    given = {k: v for k, v in data.items() if k in RecordValues.model_fields}
    try:
        values = RecordValues.model_validate(given)
    except ValidationError as exc:
        raise ValidationFailed.because(*describe_errors(exc)) from exc
    data.update(values.model_dump(include=set(given)))


def _validate(s: Session, data: dict[str, Any]) -> None:
    """The rules beyond the schema: who the visitor is, what was asked, who received them."""
    if data.get("authorship") != "anonymous" and not (data.get("surname", "").strip() and data.get("name", "").strip()):
        raise ValidationFailed("error.record_visitor")
    questions = [q.strip() for q in data.get("questions") or [] if isinstance(q, str) and q.strip()]
    if not questions:
        raise ValidationFailed("error.record_questions")
    data["questions"] = questions
    if not str(data.get("received_by_name") or "").strip():
        raise ValidationFailed("error.field_required", field="received_by_name")
    category = data.get("category")
    if category and s.scalar(select(PriorityCategory.id).where(PriorityCategory.code == category)) is None:
        raise ValidationFailed("error.unknown_priority", priority=category)
    removed = data.get("removed_from_control")
    if removed and removed < data["reception_date"]:
        raise ValidationFailed("error.removed_before_reception")


# Who registers which forms (decision 042): the call-centre its calls and e-mails; the rest every form.
ALL_FORMS_ROLES = ("leader", "operator", "manager")
CALL_CENTRE_FORMS = ("phone", "email")


def check_form_allowed(actor: Actor, form: str) -> None:
    """The call-centre registers phone and e-mail appeals only (a personal reception is the desk's)."""
    if actor.is_admin or actor.has_any(ALL_FORMS_ROLES):
        return
    if "call_centre" in actor.effective_roles and form in CALL_CENTRE_FORMS:
        return
    raise Forbidden("error.record_form_role")


def check_appeal(s: Session, data: dict[str, Any], office_id: int, today: date,
                 changed: set[str] | None = None) -> None:
    """The journal's rules on top of the card's (decision 042); ``data`` is completed in place.

    A date of receipt in the future, a phone that is no phone, a call without a phone, an e-mail
    appeal without an address, an executor who is not of the office: refused before anything is stored.
    A consultation or an answer on the spot is closed the day it came (never on control).
    """
    def touched(key: str) -> bool:
        return changed is None or key in changed

    if touched("topic") and data.get("topic"):
        office = s.get(Office, office_id)
        assert office is not None
        check_topic(office, str(data["topic"]))
    if touched("reception_date") and data["reception_date"] > today:
        raise ValidationFailed("error.record_future_date", date=data["reception_date"])
    phone = str(data.get("phone") or "").strip()
    if phone and touched("phone"):
        normalise_phone(phone)  # raises error.bad_phone in plain words
    form = data.get("form") or "personal_reception"
    if form == "phone" and not phone and data.get("authorship") != "anonymous":
        raise ValidationFailed("error.appeal_phone_required")
    email = str(data.get("email") or "").strip()
    if email and touched("email") and not _EMAIL.match(email):
        raise ValidationFailed("error.appeal_bad_email", email=email)
    if form == "email" and not email:
        raise ValidationFailed("error.appeal_email_required")
    executor_id = data.get("executor_id")
    if executor_id is not None and touched("executor_id"):
        user = s.get(User, executor_id)
        in_office = s.scalar(select(UserOffice.user_id).where(UserOffice.user_id == executor_id,
                                                              UserOffice.office_id == office_id))
        if user is None or not user.is_active or (in_office is None and "admin" not in (user.roles or [])):
            raise ValidationFailed("error.appeal_unknown_executor")
        if not str(data.get("executor") or "").strip() or changed is not None:
            data["executor"] = user.full_name or user.username
    closed_at_once = data.get("is_consultation") or data.get("answered_on_spot")
    if closed_at_once and (touched("is_consultation") or touched("answered_on_spot")):
        data["needs_study"] = False
        if data.get("removed_from_control") is None:
            data["removed_from_control"] = data["reception_date"]


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _record(s: Session, actor: Actor, record_id: int) -> ReceptionRecord:
    """The record if ``actor`` may see it; one the rule hides is as missing as one that never was."""
    rec = s.scalar(select(ReceptionRecord).where(ReceptionRecord.id == record_id, record_visibility(actor)))
    if rec is None:
        raise NotFound("error.unknown_record")
    return rec


def _leader_for(s: Session, actor: Actor, leader_id: int | None, office_id: int) -> Leader | None:
    if leader_id is None:
        return None
    leader = s.get(Leader, leader_id)
    if leader is None or leader.office_id != office_id:
        raise NotFound("error.unknown_leader")
    return leader


def create_record(uow: UnitOfWork, clock: Clock, actor: Actor, office: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Register a record: index by the office's pattern, deadline by the law, audit entry."""
    authorize(actor, Action.RECORD_WRITE)
    data = {k: v for k, v in fields.items()
            if (k in EDITABLE or k in ("ticket_id", "appointment_id", "due_date", "repeat_of_id")) and v is not None}
    s = uow.session
    check_form_allowed(actor, str(data.get("form") or "personal_reception"))
    office_row = office_by_code(s, office)
    actor.require_office(office_row.id)
    now = clock.now()
    today = office_day(now, office_row.timezone)
    data.setdefault("reception_date", today)
    check_values(data)
    check_appeal(s, data, office_row.id, today)
    leader = _leader_for(s, actor, data.get("leader_id"), office_row.id)
    staff = s.get(User, actor.user_id) if actor.user_id else None
    if leader is not None:
        data.setdefault("received_by_name", leader.name_uk)
        data.setdefault("received_by_position", leader.position_uk)
    elif staff is not None:  # whoever records it received the visitor, unless told otherwise
        data.setdefault("received_by_name", staff.full_name or staff.username)
        data.setdefault("received_by_position", staff.position)
    for key in ("ticket_id", "appointment_id"):
        if data.get(key) is not None:
            _check_link(s, actor, key, data[key])
    _validate(s, data)
    pattern = LeadershipSettings.from_json(office_row.settings).record_index_pattern
    indexes.validate_pattern(pattern)
    seq = _next_seq(s, office_row.id, today.year)
    reg_index = indexes.format_index(pattern, seq=seq, reg_date=today, leader_name=data["received_by_name"],
                                     surname=data.get("surname", ""), authorship=data.get("authorship", "individual"),
                                     kind=data["kind"])
    needs_study = bool(data.get("needs_study", True))
    due = deadlines.base_deadline(data["reception_date"], needs_study)
    if data.get("due_date") is not None:  # an earlier deadline set by whoever registers it (never a later one)
        due = deadlines.check_set_deadline(data["reception_date"], due, data.pop("due_date"))
    rec = ReceptionRecord(office_id=office_row.id, reg_index=reg_index, reg_seq=seq, reg_date=today,
                          due_date=due,
                          created_at=now, updated_at=now, created_by=actor.user_id,
                          **{k: v for k, v in data.items() if v is not None})
    s.add(rec)
    s.flush()
    audit(s, clock.now(), actor.user_id, "record.create", "reception_record", rec.id, {"index": reg_index})
    return record_view(s, rec, office_row, today)


def _check_link(s: Session, actor: Actor, key: str, value: int) -> None:
    row: Any = s.get(Ticket, value) if key == "ticket_id" else s.get(Appointment, value)
    office_id = None if row is None else (row.office_id if key == "ticket_id" else row.session.office_id)
    if office_id is None or not actor.can_access_office(office_id):
        raise NotFound("error.unknown_ticket" if key == "ticket_id" else "error.unknown_appointment")


def get_record(uow: UnitOfWork, clock: Clock, actor: Actor, record_id: int) -> dict[str, Any]:
    """One record; the read itself is logged (``record.view``), so it is a command."""
    authorize(actor, Action.RECORD_READ)
    view, _office = _read(uow.session, clock, actor, record_id)
    audit(uow.session, clock.now(), actor.user_id, "record.view", "reception_record", record_id)
    return view


def _read(s: Session, clock: Clock, actor: Actor, record_id: int) -> tuple[dict[str, Any], Office]:
    rec = _record(s, actor, record_id)
    office = s.get(Office, rec.office_id)
    assert office is not None
    return record_view(s, rec, office, office_day(clock.now(), office.timezone)), office


def card_pdf(services: Services, actor: Actor, record_id: int) -> bytes:
    """The printable card; logged as ``record.print`` once it exists (a failed render leaves no entry).

    Rendered outside the write transaction (a long card takes seconds), then
    :func:`log_print` runs in its own unit of work before the bytes are handed out, so no
    card leaves unlogged.
    """
    from reception.leadership.card import render_card

    authorize(actor, Action.RECORD_READ)
    with services.db.read() as s:
        view, office = _read(s, services.clock, actor, record_id)
    pdf = render_card(view | {"topic_name": topic_names(office).get(view["topic"], view["topic"])}, office.name_uk)
    services.value(log_print, actor, record_id)
    return pdf


def log_print(uow: UnitOfWork, clock: Clock, actor: Actor, record_id: int) -> None:
    """``record.print`` for a card about to be handed out (the record is checked again: still visible)."""
    authorize(actor, Action.RECORD_READ)
    _record(uow.session, actor, record_id)
    audit(uow.session, clock.now(), actor.user_id, "record.print", "reception_record", record_id)


def update_record(uow: UnitOfWork, clock: Clock, actor: Actor, record_id: int, changes: dict[str, Any],
                  expected_version: int | None = None) -> dict[str, Any]:
    """Change fields and/or extend the deadline; refused as a whole if anything is wrong."""
    authorize(actor, Action.RECORD_WRITE)
    extension = {k: changes.pop(k) for k in ("extended_to", "extension_reason", "applicant_informed") if k in changes}
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed.because(*(Text.of("error.input.unknown", name=name)
                                         for name in sorted(unknown)[:MAX_REASONS]))
    s = uow.session
    try:
        rec = _record(s, actor, record_id)
        if rec.anonymised_at is not None:  # nothing left to correct, and the term is over
            raise Conflict("error.record_anonymised")
        if expected_version is not None and expected_version != rec.version_id:
            raise ConcurrentChange("error.record_changed")
        office = s.get(Office, rec.office_id)
        assert office is not None
        current = {k: getattr(rec, k) for k in EDITABLE}
        merged = current | {k: v for k, v in changes.items()}
        check_values(merged)
        if "form" in changes:
            check_form_allowed(actor, str(merged["form"]))
        if "leader_id" in changes:
            _leader_for(s, actor, changes["leader_id"], rec.office_id)
        _validate(s, merged)
        check_appeal(s, merged, rec.office_id, office_day(clock.now(), office.timezone),
                     changed=set(changes))
        changed = sorted(k for k in EDITABLE if merged[k] != current[k])
        for key in changed:
            setattr(rec, key, merged[key])
        if rec.extended_to is None and ("needs_study" in changed or "reception_date" in changed):
            rec.due_date = deadlines.base_deadline(rec.reception_date, rec.needs_study)
        if extension.get("extended_to") is not None:
            new_due = deadlines.check_extension(
                rec.reception_date, deadlines.effective_deadline(rec.due_date, rec.extended_to),
                extension["extended_to"], str(extension.get("extension_reason") or ""),
                bool(extension.get("applicant_informed")))
            rec.extended_to = new_due
            rec.extension_reason = str(extension["extension_reason"]).strip()
            rec.applicant_informed = True
            changed.append("extended_to")
        now = clock.now()
        if changed:
            rec.updated_at = now
        s.flush()
        detail: dict[str, Any] = {"fields": changed}
        detail["values"] = {k: _plain(getattr(rec, k)) for k in changed if k not in PERSONAL}
        audit(s, clock.now(), actor.user_id, "record.update", "reception_record", rec.id, detail)
        return record_view(s, rec, office, office_day(now, office.timezone))
    except StaleDataError as exc:
        raise ConcurrentChange("error.record_changed") from exc


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def search_records(uow: UnitOfWork, clock: Clock, actor: Actor, *, office: str | None = None, q: str | None = None,
                   kind: str | None = None, state: str | None = None, date_from: date | None = None,
                   date_to: date | None = None, leader_id: int | None = None, limit: int = 200,
                   form: str | None = None, overdue: bool = False, near_due_days: int | None = None,
                   mine: bool = False) -> list[dict[str, Any]]:
    """Records matching the filters, newest first; ``state`` is open | overdue | closed. Logged.

    The journal's filters (decision 042): ``form``; ``overdue`` (on control, deadline passed);
    ``near_due_days`` (on control, due within that many days, not yet overdue); ``mine`` (the caller
    is the executor). The control lists are ordered by deadline, the most urgent first."""
    authorize(actor, Action.RECORD_READ)
    s = uow.session
    query = select(ReceptionRecord).where(record_visibility(actor)).order_by(
        ReceptionRecord.reg_date.desc(), ReceptionRecord.id.desc())
    if office:
        office_row = office_by_code(s, office)
        actor.require_office(office_row.id)
        query = query.where(ReceptionRecord.office_id == office_row.id)
    elif not actor.is_admin:
        query = query.where(ReceptionRecord.office_id.in_(actor.office_ids or {-1}))
    offices = {o.id: o for o in s.scalars(select(Office))}
    tz = offices[next(iter(actor.office_ids))].timezone if actor.office_ids else "Europe/Kyiv"
    today = office_day(clock.now(), tz)
    q = (q or "").replace("\x00", "").strip()
    if q:
        like = f"%{q}%"
        query = query.where(or_(ReceptionRecord.reg_index.ilike(like), ReceptionRecord.surname.ilike(like),
                                ReceptionRecord.name.ilike(like), ReceptionRecord.phone.ilike(like),
                                ReceptionRecord.executor.ilike(like), ReceptionRecord.resolution.ilike(like)))
    if kind:
        if kind not in KINDS:
            raise ValidationFailed("error.field_choice", field="kind")
        query = query.where(ReceptionRecord.kind == kind)
    deadline = func.coalesce(ReceptionRecord.extended_to, ReceptionRecord.due_date)
    if state == "open":
        query = query.where(ReceptionRecord.removed_from_control.is_(None))
    elif state == "overdue":
        query = query.where(ReceptionRecord.removed_from_control.is_(None), deadline < today)
    elif state == "closed":
        query = query.where(ReceptionRecord.removed_from_control.is_not(None))
    elif state:
        raise ValidationFailed("error.field_choice", field="state")
    if date_from:
        query = query.where(ReceptionRecord.reception_date >= date_from)
    if date_to:
        query = query.where(ReceptionRecord.reception_date <= date_to)
    if leader_id:
        query = query.where(ReceptionRecord.leader_id == leader_id)
    query = _journal_filters(query, today, form=form, overdue=overdue, near_due_days=near_due_days,
                             mine_of=actor.user_id if mine else None)
    rows = s.scalars(query.limit(limit)).all()
    # One row per office whose records were shown (each office's log holds its own); the search text
    # is personal data (surnames, phones), so the log keeps only that there was one and the ids shown.
    shown: dict[str | None, list[int]] = {office: []} if office or not rows else {}
    for r in rows:
        shown.setdefault(offices[r.office_id].code, []).append(r.id)
    for code, ids in shown.items():
        audit(s, clock.now(), actor.user_id, "record.list", "reception_record", None,
              {"office": code, "ids": ids,
               "filters": {"searched": bool(q), "kind": kind or "", "state": state or ""}})
    return [record_view(s, r, offices[r.office_id], today, listing=True) for r in rows]


def deadline_column() -> ColumnElement[Any]:
    """A record's effective deadline (the extension, else the due date) as SQL."""
    return func.coalesce(ReceptionRecord.extended_to, ReceptionRecord.due_date)


def control_list(today: date, *, overdue: bool, near_due_days: int | None) -> tuple[ColumnElement[bool], ...]:
    """The conditions of the journal's control lists (and of the alerts on them: one path for both):
    on control (not answered, not a consultation) and ``overdue`` (the deadline passed by ``today``),
    ``near_due_days`` (due within that many days, not yet overdue) or both (everything due by then)."""
    deadline = deadline_column()
    on_control = (ReceptionRecord.removed_from_control.is_(None), ReceptionRecord.is_consultation.is_(False))
    if overdue and near_due_days is not None:
        return (*on_control, deadline <= today + timedelta(days=near_due_days))
    if overdue:
        return (*on_control, deadline < today)
    if near_due_days is not None:
        return (*on_control, deadline >= today, deadline <= today + timedelta(days=near_due_days))
    return on_control


def _journal_filters(query: Any, today: date, *, form: str | None, overdue: bool, near_due_days: int | None,
                     mine_of: int | None) -> Any:
    if form:
        if form not in FORMS:
            raise ValidationFailed("error.field_choice", field="form")
        query = query.where(ReceptionRecord.form == form)
    if overdue or near_due_days is not None:
        query = query.where(*control_list(today, overdue=overdue, near_due_days=near_due_days)).order_by(
            None).order_by(deadline_column(), ReceptionRecord.id)
    if mine_of is not None:
        query = query.where(ReceptionRecord.executor_id == mine_of)
    return query


def record_view(s: Session, rec: ReceptionRecord, office: Office, today: date, *, listing: bool = False) -> dict[str, Any]:
    """The record as the API shows it; a list masks names the visitor asked not to disclose."""
    hide = listing and rec.conceal_name
    category = None
    if rec.category:
        row = s.scalar(select(PriorityCategory).where(PriorityCategory.code == rec.category))
        category = {"code": rec.category, "name_uk": row.name_uk if row else rec.category,
                    "name_en": row.name_en if row else rec.category}
    return {
        "id": rec.id,
        "office": office.code,
        "reg_index": rec.reg_index,
        "reg_date": rec.reg_date.isoformat(),
        "reception_date": rec.reception_date.isoformat(),
        "leader_id": rec.leader_id,
        "received_by_name": rec.received_by_name,
        "received_by_position": rec.received_by_position,
        "ticket_id": rec.ticket_id,
        "appointment_id": rec.appointment_id,
        "surname": "***" if hide else rec.surname,
        "name": "***" if hide else rec.name,
        "patronymic": "" if hide else rec.patronymic,
        "address": "" if hide else rec.address,
        "phone": "" if hide else rec.phone,
        "email": "" if hide else rec.email,
        "conceal_name": rec.conceal_name,
        "social_status": rec.social_status,
        "category": category,
        "authorship": rec.authorship,
        "is_repeat": rec.is_repeat,
        "form": rec.form,
        "kind": rec.kind,
        "questions": list(rec.questions or []),
        "resolution": rec.resolution,
        "resolution_author": rec.resolution_author,
        "executor": rec.executor,
        "needs_study": rec.needs_study,
        "due_date": rec.due_date.isoformat(),
        "extended_to": rec.extended_to.isoformat() if rec.extended_to else None,
        "extension_reason": rec.extension_reason,
        "applicant_informed": rec.applicant_informed,
        "deadline": deadlines.effective_deadline(rec.due_date, rec.extended_to).isoformat(),
        "latest_extension": deadlines.latest_extension(rec.reception_date).isoformat(),
        "overdue": deadlines.is_overdue(rec.due_date, rec.extended_to, rec.removed_from_control, today),
        "days_left": deadlines.days_left(rec.due_date, rec.extended_to, today),
        "result": rec.result,
        "answer_method": rec.answer_method,
        "removed_from_control": rec.removed_from_control.isoformat() if rec.removed_from_control else None,
        "anonymised_at": rec.anonymised_at.isoformat() if rec.anonymised_at else None,
        "anonymised_on": office_day(rec.anonymised_at, office.timezone).isoformat() if rec.anonymised_at else None,
        "version": rec.version_id,
        "topic": rec.topic,
        "is_consultation": rec.is_consultation,
        "answered_on_spot": rec.answered_on_spot,
        "repeat_of_id": rec.repeat_of_id,
        "executor_id": rec.executor_id,
        "created_at": rec.created_at.isoformat(),
        "updated_at": rec.updated_at.isoformat(),
    }


def prefill_from_ticket(db: Database, actor: Actor, ticket_id: int) -> dict[str, Any]:
    """What a finished ticket already knows, to start its record: date, who, the booked visitor, topic."""
    authorize(actor, Action.RECORD_WRITE)
    with db.read() as s:
        ticket = s.get(Ticket, ticket_id)
        if ticket is None or not actor.can_access_office(ticket.office_id):
            raise NotFound("error.unknown_ticket", ticket=ticket_id)
        out: dict[str, Any] = {"office": ticket.office.code, "ticket_id": ticket.id, "reception_date": ticket.day,
                               "kind": OUTCOME_KIND.get(ticket.outcome or "", "application"), "questions": [],
                               "ticket_code": ticket.code}
        if ticket.priority and ticket.priority != "appointment":
            out["category"] = ticket.priority
        staff = s.get(User, ticket.user_id) if ticket.user_id else None
        if staff is not None:
            out["received_by_name"], out["received_by_position"] = staff.full_name or staff.username, staff.position
            leader = s.scalar(select(Leader).where(Leader.user_id == staff.id, Leader.office_id == ticket.office_id))
            if leader is not None:
                out |= {"leader_id": leader.id, "received_by_name": leader.name_uk,
                        "received_by_position": leader.position_uk}
        appt = s.get(Appointment, ticket.appointment_id) if ticket.appointment_id else None
        if appt is not None:
            session: ReceptionSession = appt.session
            out |= {"appointment_id": appt.id, "surname": appt.surname, "name": appt.name,
                    "patronymic": appt.patronymic or "", "phone": appt.phone or "", "questions": [appt.topic]}
            if appt.category:
                out["category"] = appt.category
            if "leader_id" not in out:  # the leader who received the visitor, else the session's (a stand-in)
                out |= {"leader_id": session.leader.id, "received_by_name": session.leader.name_uk,
                        "received_by_position": session.leader.position_uk}
        if ticket.note:  # the finish note sums up what was raised: a line of the summary, not a resolution
            out["questions"] = [*out["questions"], ticket.note]
        if ticket.outcome == "resolved_on_spot":
            out["needs_study"] = False
        return out

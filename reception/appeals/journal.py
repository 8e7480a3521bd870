"""The journal of appeals (decision 042): one register for every form — personal reception, phone,
e-mail, letter — kept as reception records (``leadership.records``), with what the call-centre adds:
the topic from the office's list, the caller's earlier appeals found by phone however written, the
repeat marking, the executor, and the operator's draft of the call being taken.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, false, func, or_, select
from sqlalchemy.orm import Session

from reception.accounts.models import User, UserOffice
from reception.appeals.models import AppealDraft
from reception.audit.writer import audit
from reception.kernel.errors import ValidationFailed
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.kernel.phones import display_phone, phone_for_search
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import deadlines, records
from reception.leadership.models import ReceptionRecord, phone_key
from reception.leadership.topics import check_topic, topic_names
from reception.leadership.visibility import record_visibility
from reception.offices.lookups import office_by_code
from reception.offices.models import Office
from reception.offices.rules import office_day
from reception.platform.clock import Clock

CALL_SCREEN_FORMS = ("phone", "email", "letter")  # what the call screen registers (its draft is dropped on save)
EARLIER_SHOWN = 20  # the caller's latest appeals shown on the call screen
DRAFT_MAX_CHARS = 20_000  # a draft holds one call's form, never a document
DRAFT_FIELDS = ("phone", "surname", "name", "patronymic", "email", "address", "kind", "topic", "summary", "outcome",
                "executor_id", "needs_study", "due_date", "answer", "form", "authorship")


def register(uow: UnitOfWork, clock: Clock, actor: Actor, office: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Register an appeal of any form (``POST /records``): the card's rules, the topic, the repeat marking."""
    authorize(actor, Action.RECORD_WRITE)
    records.check_form_allowed(actor, str(fields.get("form") or "personal_reception"))
    s = uow.session
    office_row = office_by_code(s, office)
    actor.require_office(office_row.id)
    topic = str(fields.get("topic") or "").strip()
    check_topic(office_row, topic)  # before the repeat is looked up by it (the card checks it again)
    earlier = find_repeat(s, office_row.id, phone=str(fields.get("phone") or ""), email=str(fields.get("email") or ""),
                          topic=topic)
    if earlier is not None:
        fields = fields | {"is_repeat": True, "repeat_of_id": earlier.id}
    view = records.create_record(uow, clock, actor, office, fields)
    if view["form"] in CALL_SCREEN_FORMS and actor.user_id is not None:
        # The call is saved: its draft goes in the same transaction (a crash cannot restore a saved call).
        s.execute(delete(AppealDraft).where(AppealDraft.user_id == actor.user_id))
    return view


def same_person(phone: str, email: str) -> ColumnElement[bool]:
    """The records of one person: the same phone (E.164, however it was written) or the same e-mail."""
    key = phone_key(phone)
    address = email.strip().lower()
    conditions = []
    if key:
        conditions.append(ReceptionRecord.phone_key == key)
    if address:
        conditions.append(func.lower(ReceptionRecord.email) == address)
    return or_(*conditions) if conditions else false()


def find_repeat(s: Session, office_id: int, *, phone: str, email: str, topic: str) -> ReceptionRecord | None:
    """The person's latest earlier appeal on the same topic (a new one on it is a repeat), or None."""
    if not topic:
        return None
    return s.scalar(select(ReceptionRecord).where(
        ReceptionRecord.office_id == office_id, ReceptionRecord.topic == topic, ReceptionRecord.anonymised_at.is_(None),
        same_person(phone, email)).order_by(ReceptionRecord.reception_date.desc(), ReceptionRecord.id.desc()).limit(1))


def status_of(rec: ReceptionRecord, today: date) -> str:
    """consultation | on_spot | answered | overdue | on_control."""
    if rec.is_consultation:
        return "consultation"
    if rec.answered_on_spot:
        return "on_spot"
    if rec.removed_from_control is not None:
        return "answered"
    return "overdue" if deadlines.is_overdue(rec.due_date, rec.extended_to, None, today) else "on_control"


def caller(uow: UnitOfWork, clock: Clock, actor: Actor, office: str, phone: str) -> dict[str, Any]:
    """The caller's earlier appeals, found by the phone however it is written (the read is logged)."""
    authorize(actor, Action.APPEAL_REGISTER)
    s = uow.session
    office_row = office_by_code(s, office)
    actor.require_office(office_row.id)
    key = phone_for_search(phone)  # a number that cannot be one: 422 in plain words
    today = office_day(clock.now(), office_row.timezone)
    rows = s.scalars(select(ReceptionRecord).where(
        ReceptionRecord.office_id == office_row.id, ReceptionRecord.phone_key == key, record_visibility(actor))
        .order_by(ReceptionRecord.reception_date.desc(), ReceptionRecord.id.desc()).limit(EARLIER_SHOWN)).all()
    names = topic_names(office_row)
    person = next(({"surname": r.surname, "name": r.name, "patronymic": r.patronymic, "email": r.email}
                   for r in rows if r.surname and not r.conceal_name), None)
    audit(s, clock.now(), actor.user_id, "record.list", "reception_record", None,
          {"office": office_row.code, "ids": [r.id for r in rows], "filters": {"caller": True}})
    return {"phone": key, "phone_text": display_phone(key), "person": person, "appeals": [{
        "id": r.id, "reg_index": r.reg_index, "reception_date": r.reception_date.isoformat(), "form": r.form,
        "kind": r.kind, "topic": r.topic, "topic_name": names.get(r.topic, r.topic),
        "summary": (r.questions or [""])[0][:300], "status": status_of(r, today), "is_repeat": r.is_repeat,
        "deadline": deadlines.effective_deadline(r.due_date, r.extended_to).isoformat(),
        "executor": r.executor} for r in rows]}


def executors(s: Session, actor: Actor, office: str) -> list[dict[str, Any]]:
    """Who may be put as an appeal's executor: the office's active staff."""
    authorize(actor, Action.APPEAL_REGISTER)
    office_row = office_by_code(s, office)
    actor.require_office(office_row.id)
    users = s.scalars(select(User).join(UserOffice, UserOffice.user_id == User.id).where(
        UserOffice.office_id == office_row.id, User.is_active.is_(True)).order_by(User.full_name, User.username))
    return [{"id": u.id, "name": u.full_name or u.username, "position": u.position} for u in users]


# --- the operator's draft: what is typed survives a dropped call and a crashed browser --------------


def get_draft(s: Session, actor: Actor) -> dict[str, Any]:
    authorize(actor, Action.APPEAL_REGISTER)
    row = s.scalar(select(AppealDraft).where(AppealDraft.user_id == actor.user_id))
    if row is None:
        return {"office": None, "data": {}, "updated_at": None}
    office = s.get(Office, row.office_id)
    return {"office": office.code if office else None, "data": row.data, "updated_at": row.updated_at.isoformat()}


def save_draft(uow: UnitOfWork, clock: Clock, actor: Actor, office: str, data: dict[str, Any]) -> dict[str, Any]:
    """Keep the operator's unsaved call (one per operator; the newest replaces the last)."""
    authorize(actor, Action.APPEAL_REGISTER)
    if actor.user_id is None:
        raise ValidationFailed("error.role")
    s = uow.session
    office_row = office_by_code(s, office)
    actor.require_office(office_row.id)
    clean = {k: v for k, v in data.items() if k in DRAFT_FIELDS and isinstance(v, str | bool | int) and v != ""}
    if len(json.dumps(clean, ensure_ascii=False)) > DRAFT_MAX_CHARS or any("\x00" in str(v) for v in clean.values()):
        raise ValidationFailed("error.appeal_draft_too_big", most=DRAFT_MAX_CHARS)
    row = s.scalar(select(AppealDraft).where(AppealDraft.user_id == actor.user_id))
    now = clock.now()
    if row is None:
        s.add(AppealDraft(user_id=actor.user_id, office_id=office_row.id, data=clean, updated_at=now))
    else:
        row.office_id, row.data, row.updated_at = office_row.id, clean, now
    return {"office": office_row.code, "data": clean, "updated_at": now.isoformat()}


def clear_draft(uow: UnitOfWork, clock: Clock, actor: Actor) -> None:
    authorize(actor, Action.APPEAL_REGISTER)
    uow.session.execute(delete(AppealDraft).where(AppealDraft.user_id == actor.user_id))


DRAFT_KEEP = timedelta(hours=24)  # an abandoned call's draft (personal data) is forgotten after this


def forget_stale_drafts(uow: UnitOfWork, clock: Clock) -> int:
    """Drop drafts nobody touched for ``DRAFT_KEEP`` (a periodic job): personal data are kept no longer
    than the call needs. Returns how many went."""
    result = uow.session.execute(delete(AppealDraft).where(AppealDraft.updated_at < clock.now() - DRAFT_KEEP))
    return int(getattr(result, "rowcount", 0) or 0)

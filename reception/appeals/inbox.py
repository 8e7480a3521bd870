"""The operator's side of the e-mail intake (decision 043): the drafts, and the one decision on each —
accept as an appeal of the journal (a record of form "email"), merge into an earlier appeal, discard.

A draft is decided once: the decision is a conditional ``UPDATE … WHERE status = 'draft'``, so of two
operators deciding at once (two processes, PostgreSQL's row lock or SQLite's writer lock) one wins and
the other gets 409 with nothing changed. Every decision, list and attachment download is audited (ids
and the decision, never the message's content).

Answers go back by e-mail from the record (``answer_by_email``): the message is requested in the
transaction that records the answer (``EmailAnswerRequested``, put into the notifications outbox by
the in-transaction handler the bootstrap registers: the outbox is a layer above this slice).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from reception.appeals.mail_models import InboundMail, MailAttachment
from reception.appeals.mail_parse import clean_text, reply_subject, sender_message_id
from reception.audit.writer import audit
from reception.kernel.errors import Conflict, NotFound, ValidationFailed
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import records
from reception.leadership.models import ReceptionRecord
from reception.leadership.visibility import record_visibility
from reception.offices.lookups import office_by_code
from reception.offices.models import Office
from reception.offices.rules import office_day
from reception.platform.clock import Clock
from reception.platform.db import rows_changed
from reception.platform.i18n import Text, t

STATUSES = ("draft", "accepted", "merged", "discarded")
LIST_LIMIT = 200
SUMMARY_FROM_BODY = 3000  # the record's question when the operator writes no summary: subject and body, cut
ANSWER_MAX = 20_000
REASON_MAX = 500


@dataclass(frozen=True)
class EmailAnswerRequested:
    """An answer to an appeal, to be sent by e-mail (an in-transaction message: the bootstrap's handler
    writes it to the outbox in the same transaction)."""

    key: str
    at: datetime
    office_id: int
    address: str
    subject: str
    body: str
    in_reply_to: str | None


def _mail(s: Session, actor: Actor, mail_id: int) -> InboundMail:
    """The draft if it belongs to one of the caller's offices; else as missing as one that never was."""
    mail = s.get(InboundMail, mail_id)
    if mail is None or not actor.can_access_office(mail.office_id):
        raise NotFound("error.unknown_mail")
    return mail


def mail_view(mail: InboundMail, office_code: str) -> dict[str, Any]:
    return {
        "id": mail.id,
        "office": office_code,
        "status": mail.status,
        "message_id": mail.message_id,
        "from_address": mail.from_address,
        "from_name": mail.from_name,
        "subject": mail.subject,
        "body": mail.body,
        "notes": list(mail.notes or []),
        "size": mail.size,
        "received_at": mail.received_at.isoformat(),
        "fetched_at": mail.fetched_at.isoformat(),
        "record_id": mail.record_id,
        "decided_at": mail.decided_at.isoformat() if mail.decided_at else None,
        "discard_reason": mail.discard_reason or None,
        "answered_at": mail.answered_at.isoformat() if mail.answered_at else None,
        "attachments": [{"id": a.id, "filename": a.filename, "content_type": a.content_type, "size": a.size,
                         "too_large": a.too_large} for a in mail.attachments],
    }


def list_mails(uow: UnitOfWork, clock: Clock, actor: Actor, *, office: str | None = None,
               status: str | None = "draft") -> list[dict[str, Any]]:
    """The office's messages (default: the undecided drafts), oldest first; the read is audited."""
    authorize(actor, Action.MAIL_READ)
    s = uow.session
    if status is not None and status not in STATUSES:
        raise ValidationFailed.because(Text.of("error.input.choice", name="status", choices=tuple(STATUSES)))
    query = select(InboundMail, Office.code).join(Office, Office.id == InboundMail.office_id)
    if office:
        office_row = office_by_code(s, office)
        actor.require_office(office_row.id)
        query = query.where(InboundMail.office_id == office_row.id)
    elif not actor.is_admin:
        query = query.where(InboundMail.office_id.in_(actor.office_ids or {-1}))
    if status is not None:
        query = query.where(InboundMail.status == status)
    order = InboundMail.received_at.asc() if status == "draft" else InboundMail.received_at.desc()
    rows = s.execute(query.order_by(order, InboundMail.id).limit(LIST_LIMIT)).all()
    audit(s, clock.now(), actor.user_id, "mail.list", "inbound_mail", None,
          {"status": status, "count": len(rows), "ids": [m.id for m, _ in rows][:50]})
    return [mail_view(mail, code) for mail, code in rows]


def get_mail(uow: UnitOfWork, clock: Clock, actor: Actor, mail_id: int) -> dict[str, Any]:
    authorize(actor, Action.MAIL_READ)
    mail = _mail(uow.session, actor, mail_id)
    office = uow.session.get(Office, mail.office_id)
    assert office is not None
    audit(uow.session, clock.now(), actor.user_id, "mail.view", "inbound_mail", mail.id)
    return mail_view(mail, office.code)


def earlier_appeals(s: Session, actor: Actor, mail_id: int, limit: int = 10) -> list[dict[str, Any]]:
    """The records of the letter's office from the same address that the caller may see, newest first: where a
    repeated letter may be merged."""
    mail = _mail(s, actor, mail_id)
    if not mail.from_address:
        return []
    rows = s.scalars(select(ReceptionRecord).where(
        ReceptionRecord.office_id == mail.office_id, ReceptionRecord.anonymised_at.is_(None),
        func.lower(ReceptionRecord.email) == mail.from_address.lower(), record_visibility(actor),
    ).order_by(ReceptionRecord.reception_date.desc(), ReceptionRecord.id.desc()).limit(limit))
    return [{"id": r.id, "reg_index": r.reg_index, "reception_date": r.reception_date.isoformat(), "kind": r.kind,
             "questions": list(r.questions or [])[:1]} for r in rows]


def _decide(s: Session, clock: Clock, actor: Actor, mail_id: int, status: str, **values: Any) -> InboundMail:
    """Claim the draft for one decision, or 409 if it has one (whoever decided first)."""
    mail = _mail(s, actor, mail_id)
    claimed = s.execute(update(InboundMail).where(InboundMail.id == mail.id, InboundMail.status == "draft")
                        .values(status=status, decided_at=clock.now(), decided_by=actor.user_id, **values)
                        .execution_options(synchronize_session=False))
    if rows_changed(claimed) != 1:
        raise Conflict("error.mail_decided")
    s.refresh(mail)
    return mail


def _reception_date(mail: InboundMail, office: Office) -> Any:
    """When the office received it: the message's date, unless that is later than its arrival or more than
    a month before it (a sender's clock is not the office's)."""
    arrived = mail.fetched_at
    sent = mail.received_at
    moment = sent if arrived - timedelta(days=31) <= sent <= arrived else arrived
    return office_day(moment, office.timezone)


def accept(uow: UnitOfWork, clock: Clock, actor: Actor, mail_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    """The draft as a record of the journal (form "email", the sender's address), through the journal's
    own create path (its rules, index, deadline and audit entry); the draft then points at it."""
    authorize(actor, Action.MAIL_DECIDE)
    s = uow.session
    mail = _decide(s, clock, actor, mail_id, "accepted")
    office = s.get(Office, mail.office_id)
    assert office is not None
    data = {k: v for k, v in fields.items() if v is not None}
    summary = str(data.pop("summary", "") or "").strip()
    if not summary:
        summary = clean_text("\n\n".join(p for p in (mail.subject, mail.body) if p)).strip()[:SUMMARY_FROM_BODY]
    if not summary:
        raise ValidationFailed("error.mail_summary_required")
    data |= {"form": "email", "questions": [summary]}
    data.setdefault("email", mail.from_address)
    data.setdefault("reception_date", _reception_date(mail, office))
    record = records.create_record(uow, clock, actor, office.code, data)
    s.execute(update(InboundMail).where(InboundMail.id == mail.id).values(record_id=record["id"])
              .execution_options(synchronize_session=False))
    s.refresh(mail)
    audit(s, clock.now(), actor.user_id, "mail.accept", "inbound_mail", mail.id, {"record_id": record["id"]})
    return {"mail": mail_view(mail, office.code), "record": record}


def merge(uow: UnitOfWork, clock: Clock, actor: Actor, mail_id: int, record_id: int) -> dict[str, Any]:
    """The draft attached to an earlier appeal of the same office (one the caller may see)."""
    authorize(actor, Action.MAIL_DECIDE)
    s = uow.session
    mail = _mail(s, actor, mail_id)
    rec = s.scalar(select(ReceptionRecord).where(ReceptionRecord.id == record_id, record_visibility(actor)))
    if rec is None or rec.office_id != mail.office_id:
        raise NotFound("error.unknown_record")
    if rec.anonymised_at is not None:
        raise Conflict("error.record_anonymised")
    mail = _decide(s, clock, actor, mail_id, "merged", record_id=rec.id)
    office = s.get(Office, mail.office_id)
    assert office is not None
    audit(s, clock.now(), actor.user_id, "mail.merge", "inbound_mail", mail.id, {"record_id": rec.id})
    return mail_view(mail, office.code)


def discard(uow: UnitOfWork, clock: Clock, actor: Actor, mail_id: int, reason: str) -> dict[str, Any]:
    """Not an appeal (spam, an empty message, a misdirected one): kept as discarded, with the reason."""
    authorize(actor, Action.MAIL_DECIDE)
    reason = " ".join(clean_text(reason or "").split())
    if not reason:
        raise ValidationFailed("error.mail_reason_required")
    if len(reason) > REASON_MAX:
        raise ValidationFailed("error.mail_reason_long", max=REASON_MAX)
    s = uow.session
    mail = _decide(s, clock, actor, mail_id, "discarded", discard_reason=reason)
    office = s.get(Office, mail.office_id)
    assert office is not None
    audit(s, clock.now(), actor.user_id, "mail.discard", "inbound_mail", mail.id)
    return mail_view(mail, office.code)


def attachment_file(uow: UnitOfWork, clock: Clock, actor: Actor, attachment_id: int,
                    folder: Path) -> tuple[Path, str, str]:
    """The stored file of an attachment (its path, the sender's filename, the content type); audited."""
    authorize(actor, Action.MAIL_READ)
    s = uow.session
    row = s.get(MailAttachment, attachment_id)
    if row is None:
        raise NotFound("error.unknown_attachment")
    mail = _mail(s, actor, row.mail_id)
    if mail.anonymised_at is not None:  # erased: its file waits for the retention run, never shown again
        raise NotFound("error.unknown_attachment")
    if row.stored_name is None:
        raise NotFound("error.attachment_too_large")
    path = folder / row.stored_name
    if not path.is_file():
        raise NotFound("error.unknown_attachment")
    audit(s, clock.now(), actor.user_id, "mail.attachment", "mail_attachment", row.id, {"mail_id": row.mail_id})
    return path, row.filename, row.content_type


def _answer_source(s: Session, record_id: int) -> InboundMail | None:
    return s.scalar(select(InboundMail).where(InboundMail.record_id == record_id,
                                              InboundMail.status.in_(("accepted", "merged")))
                    .order_by(InboundMail.received_at.desc(), InboundMail.id.desc()).limit(1))


def answer_target(s: Session, actor: Actor, record_id: int) -> dict[str, Any]:
    """Where an answer to the record would go (the answer page's header): its index, address and subject."""
    authorize(actor, Action.MAIL_ANSWER)
    rec = s.scalar(select(ReceptionRecord).where(ReceptionRecord.id == record_id, record_visibility(actor)))
    if rec is None:
        raise NotFound("error.unknown_record")
    source = _answer_source(s, rec.id)
    return {"record_id": rec.id, "reg_index": rec.reg_index,
            "address": source.from_address if source is not None and source.from_address else rec.email,
            "subject": reply_subject((source.subject if source is not None else "") or rec.reg_index),
            "answered_at": source.answered_at.isoformat() if source is not None and source.answered_at else None}


def answer_by_email(uow: UnitOfWork, clock: Clock, actor: Actor, record_id: int, body: str,
                    subject: str | None = None) -> dict[str, Any]:
    """Send the answer to the appeal's sender by e-mail and record it as answered (by e-mail, today).

    The address is that of the latest message accepted or merged into the record, else the record's
    e-mail. The same text for the same record is one message (the outbox's idempotency key).
    """
    authorize(actor, Action.MAIL_ANSWER)
    text = clean_text(body or "").strip()
    if not text:
        raise ValidationFailed("error.mail_answer_required")
    if len(text) > ANSWER_MAX:
        raise ValidationFailed("error.mail_answer_long", max=ANSWER_MAX)
    s = uow.session
    rec = s.scalar(select(ReceptionRecord).where(ReceptionRecord.id == record_id, record_visibility(actor)))
    if rec is None:
        raise NotFound("error.unknown_record")
    if rec.anonymised_at is not None:
        raise Conflict("error.record_anonymised")
    source = _answer_source(s, rec.id)
    address = source.from_address if source is not None and source.from_address else rec.email
    if not address:  # the record's state, not the request: a 409 (an address may be added to the card)
        raise Conflict("error.mail_no_address")
    office = s.get(Office, rec.office_id)
    assert office is not None
    now = clock.now()
    title = reply_subject(subject or (source.subject if source is not None else "") or rec.reg_index)
    digest = hashlib.sha256(f"{address}\n{title}\n{text}".encode()).hexdigest()[:24]
    key = f"appeal-answer:{rec.id}:{digest}"
    body_out = text
    if source is not None:  # also in words, for mail clients that do not thread by In-Reply-To
        body_out += "\n\n— " + t("mail.answer.in_reply_to", "uk", date=office_day(source.received_at,
                                   office.timezone).strftime("%d.%m.%Y"), subject=source.subject or "—")
    uow.collect(EmailAnswerRequested(key=key, at=now, office_id=rec.office_id, address=address, subject=title,
                                     body=body_out, in_reply_to=sender_message_id(source.message_id) if source is not None else None))
    today = office_day(now, office.timezone)
    changes: dict[str, Any] = {"answer_method": "email"}
    if rec.removed_from_control is None:
        changes["removed_from_control"] = today
    if not rec.result:
        changes["result"] = text[:5000]
    view = records.update_record(uow, clock, actor, rec.id, changes)
    if source is not None:
        s.execute(update(InboundMail).where(InboundMail.record_id == rec.id).values(answered_at=now)
                  .execution_options(synchronize_session=False))
    audit(s, now, actor.user_id, "mail.answer", "reception_record", rec.id, {"key": key})
    return {"record": view, "sent_to": address, "subject": title, "queued_at": now.isoformat()}

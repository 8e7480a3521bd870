"""Letters of the mail intake in the personal-data pages (find, export, erase; decisions 018 and 043).

A letter holds its sender's address and name, the text and the attachments: personal data of the person
who wrote it. It is found by the records the person's match finds (the letters accepted or merged into
them) and by the e-mail addresses those records hold (every letter from such an address). A letter goes
with its record: it is erased when its record is erased and kept, with the record's reason, while the
record is kept. A draft nobody decided yet is kept (an operator decides it first); a discarded letter
may go at once. Erasure clears what ``mail_retention`` clears after the term and stamps ``anonymised_at``;
the stored files of the attachments are removed by the next ``appeals.mail_retention`` run (a rolled
back erasure must not have lost them), and nobody can download them meanwhile.

Registered by the composition root (``reception.bootstrap``): the leadership slice sits below this one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from reception.appeals.mail_models import InboundMail
from reception.appeals.mail_retention import PERSONAL
from reception.audit.writer import audit
from reception.kernel.identity import Actor
from reception.leadership.models import ReceptionRecord
from reception.leadership.personal_data import (
    Held,
    PersonalDataPart,
    Subject,
    Verdict,
    record_verdict_view,
    register_part,
)
from reception.leadership.personal_data_doc import when_text
from reception.offices.models import Office
from reception.offices.rules import to_local
from reception.platform import i18n

MAX_ITEMS = 500
_ERASABLE = {"erasable": True, "reason": None, "erasable_from": None, "explanation": None}


def _letters(s: Session, actor: Actor, held: Held) -> list[tuple[InboundMail, dict[str, Any]]]:
    """The person's letters (into their records, or from their records' e-mail), each with its verdict."""
    records = held.records
    verdicts: dict[int, tuple[ReceptionRecord, Verdict]] = {r.id: (r, v) for r, v in records}
    addresses = sorted({r.email.strip().lower() for r, _v in records if r.email and r.email.strip()})
    if not verdicts and not addresses:
        return []
    query = select(InboundMail).where(InboundMail.anonymised_at.is_(None), or_(
        InboundMail.record_id.in_(list(verdicts) or [-1]), func.lower(InboundMail.from_address).in_(addresses or [""])))
    if not actor.is_admin:
        query = query.where(InboundMail.office_id.in_(actor.office_ids or {-1}))
    out = []
    for mail in s.scalars(query.order_by(InboundMail.id).limit(MAX_ITEMS)):
        out.append((mail, _verdict(s, mail, verdicts)))
    return out


def _verdict(s: Session, mail: InboundMail, verdicts: dict[int, tuple[ReceptionRecord, Verdict]]) -> dict[str, Any]:
    if mail.record_id is None:
        if mail.status == "draft":
            return _kept("mail.erasure.draft", subject=mail.subject)
        return dict(_ERASABLE)  # discarded: no appeal keeps it
    if mail.record_id in verdicts:  # the person's own record: the letter shares its fate
        own, v = verdicts[mail.record_id]
        return record_verdict_view(own, v)
    other = s.get(ReceptionRecord, mail.record_id)
    if other is None or other.anonymised_at is not None:
        return dict(_ERASABLE)
    return _kept("mail.erasure.other_record", index=other.reg_index)  # a record the match does not name


def _kept(reason: str, **params: Any) -> dict[str, Any]:
    return {"erasable": False, "reason": reason, "erasable_from": None,
            "explanation": {lang: i18n.t(reason, lang, **params) for lang in ("uk", "en")}}


def _view(s: Session, mail: InboundMail) -> dict[str, Any]:
    office = s.get_one(Office, mail.office_id)
    return {"id": mail.id, "office": office.code, "received_at": to_local(mail.received_at, office.timezone).isoformat(),
            "status": mail.status, "record_id": mail.record_id, "from_address": mail.from_address,
            "from_name": mail.from_name, "subject": mail.subject}


def find(s: Session, now: datetime, actor: Actor, subject: Subject, held: Held) -> list[dict[str, Any]]:
    return [_view(s, mail) | verdict for mail, verdict in _letters(s, actor, held)]


def export(s: Session, now: datetime, actor: Actor, subject: Subject, held: Held) -> list[dict[str, Any]]:
    out = []
    for mail, _ in _letters(s, actor, held):
        out.append(_view(s, mail) | {"body": mail.body, "attachments": [
            {"filename": a.filename, "content_type": a.content_type, "size": a.size} for a in mail.attachments]})
        audit(s, now, actor.user_id, "mail.export", "inbound_mail", mail.id)
    return out


def erase(s: Session, now: datetime, actor: Actor, subject: Subject, held: Held) -> tuple[list[int], list[dict[str, Any]]]:
    erased, kept = [], []
    for mail, verdict in _letters(s, actor, held):
        if not verdict["erasable"]:
            kept.append({"type": "letter", "id": mail.id} | verdict)
            continue
        cleared = [field for field in PERSONAL if getattr(mail, field)]
        for field in PERSONAL:
            setattr(mail, field, "")
        for attachment in mail.attachments:
            attachment.filename = ""  # the file itself goes with the next mail_retention run
        mail.anonymised_at = now
        audit(s, now, actor.user_id, "mail.erase", "inbound_mail", mail.id,
              {"fields": cleared, "attachments": len(mail.attachments), "record_id": mail.record_id})
        erased.append(mail.id)
    return erased, kept


def letter_rows(item: dict[str, Any], lang: str) -> list[tuple[str, Any]]:
    """One exported letter in the readable document: who wrote, when, about what, its text and files."""
    sender = " ".join(x for x in (item.get("from_name"), f"<{item['from_address']}>" if item.get("from_address")
                                  else None) if x)
    return [(i18n.t("pdd.received_at", lang), when_text(item["received_at"])), (i18n.t("pdd.sender", lang), sender),
            (i18n.t("pdd.letter_subject", lang), item.get("subject")),
            (i18n.t("pdd.status", lang), i18n.t(f"pdd.ls.{item['status']}", lang)),
            (i18n.t("pdd.letter_text", lang), item.get("body")),
            (i18n.t("pdd.attachments", lang), "\n".join(a["filename"] for a in item.get("attachments") or []
                                                    if a.get("filename")))]


def register() -> None:
    """Called once by the composition root."""
    register_part(PersonalDataPart("letters", find, export, erase, "pdd.letters", letter_rows))

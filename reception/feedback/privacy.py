"""Feedback comments are free text a visitor typed: they may carry personal data (decision 039).

The rating itself is anonymous (a ticket, a score); the comment is cleared by the anonymisation run once the
visit is past the office's storage term (the term of reception records, counted the same way: from 1 January
of the year after the visit), and with a person's data on request, where a ticket of theirs is found (the
ticket of a booking or record of theirs: walk-in tickets name nobody). Both are parts the leadership's
retention run and personal-data service call (their ``PARTS`` registries), registered by the composition root.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.feedback.models import Feedback
from reception.feedback.reads import comments_of_tickets
from reception.kernel.bounds import show_date
from reception.kernel.identity import Actor
from reception.leadership.personal_data import Held, PersonalDataPart, Subject, register_part
from reception.leadership.retention import PARTS as RETENTION_PARTS
from reception.leadership.retention import records_terms
from reception.platform.i18n import t


def clear_old_comments(s: Session, now: datetime, actor: Actor | None, office_code: str | None) -> int:
    """Clear the comments on visits past each office's records term; one audit row per office (a count)."""
    cleared = 0
    for office, before in records_terms(s, now, actor, office_code):
        due = list(s.scalars(select(Feedback.id).where(Feedback.office_id == office.id, Feedback.day < before,
                                                       Feedback.comment.is_not(None))))
        if due:
            s.execute(update(Feedback).where(Feedback.id.in_(due)).values(comment=None, anonymised_at=now))
            audit(s, now, actor.user_id if actor else None, "feedback.anonymise", "office", office.code,
                  {"comments": len(due), "visits_before": before.isoformat(), "automatic": actor is None})
            cleared += len(due)
    return cleared


def find_feedback(s: Session, now: datetime, actor: Actor, subject: Subject, held: Held) -> list[dict[str, Any]]:
    """The ratings and comments left on the person's tickets (score, comment, when)."""
    return comments_of_tickets(s, tuple(sorted(held.tickets)))


def erase_comments(s: Session, now: datetime, actor: Actor, subject: Subject,
                   held: Held) -> tuple[list[int], list[dict[str, Any]]]:
    """The person's erasure reaches the comments left on the tickets of what is erased (a kept card's stay)."""
    erased = []
    for row in s.scalars(select(Feedback).where(Feedback.ticket_id.in_(held.erasable_tickets or {-1}),
                                                Feedback.comment.is_not(None))):
        row.comment, row.anonymised_at = None, now
        audit(s, now, actor.user_id, "feedback.erase", "ticket", row.ticket_id, {"with_comment": True})
        erased.append(row.id)
    return erased, []


def feedback_rows(item: dict[str, Any], lang: str) -> list[tuple[str, Any]]:
    """One rating in the readable document."""
    return [(t("pdd.note_day", lang), show_date(item["day"])), (t("pdd.ticket", lang), item.get("ticket_code")),
            (t("pdd.feedback_score", lang), str(item["score"])), (t("pdd.feedback_comment", lang), item.get("comment"))]


def register() -> None:
    """Called once by the composition root."""
    register_part(PersonalDataPart("feedback", find_feedback, find_feedback, erase_comments, "pdd.feedback",
                                   feedback_rows))
    RETENTION_PARTS["feedback_comments"] = clear_old_comments

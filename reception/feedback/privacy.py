"""Feedback comments are free text a visitor typed: they may carry personal data (decision 039).

The rating itself is anonymous (a ticket, a score); the comment is cleared by the anonymisation run once the
visit is past the office's storage term (the term of reception records, counted the same way: from 1 January
of the year after the visit), and with a person's data on request, where a ticket of theirs is found (the
ticket of a booking or record of theirs: walk-in tickets name nobody). In-transaction handlers of the events
leadership's retention run and personal-data service collect (``reception.bootstrap.IN_TRANSACTION``).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select, update

from reception.audit.writer import audit
from reception.feedback.models import Feedback
from reception.feedback.reads import comments_of_tickets
from reception.kernel.events import PersonErased, PersonExported, RetentionDue
from reception.kernel.unit_of_work import UnitOfWork
from reception.offices.models import Office


def clear_old_comments(uow: UnitOfWork, event: RetentionDue) -> RetentionDue:
    """Clear the comments on the office's visits of days before ``event.before``; one audit row (a count)."""
    s = uow.session
    due = list(s.scalars(select(Feedback.id).where(Feedback.office_id == event.office_id, Feedback.day < event.before,
                                                   Feedback.comment.is_not(None))))
    if due:
        s.execute(update(Feedback).where(Feedback.id.in_(due)).values(comment=None, anonymised_at=event.at))
        office = s.get(Office, event.office_id)  # the audit log names an office by its code
        audit(s, event.at, event.by_user_id, "feedback.anonymise", "office", office.code if office else event.office_id,
              {"comments": len(due), "visits_before": event.before.isoformat(), "automatic": event.by_user_id is None})
    return replace(event, comments_cleared=len(due))


def erase_comments(uow: UnitOfWork, event: PersonErased) -> None:
    """The person's erasure reaches the comments left on their tickets."""
    if not event.ticket_ids:
        return
    s = uow.session
    for row in s.scalars(select(Feedback).where(Feedback.ticket_id.in_(event.ticket_ids), Feedback.comment.is_not(None))):
        row.comment, row.anonymised_at = None, event.at
        audit(s, event.at, event.by_user_id, "feedback.erase", "ticket", row.ticket_id, {"with_comment": True})


def export_feedback(uow: UnitOfWork, event: PersonExported) -> None:
    """The person's export lists the feedback left on their tickets (score, comment, when)."""
    event.document["feedback"] = comments_of_tickets(uow.session, event.ticket_ids)

"""Reads of feedback: the phone page's state, and the scores the reports and the hall view count."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.feedback import rules
from reception.feedback.models import Feedback
from reception.queue.models import Ticket, TicketEvent


@dataclass(frozen=True)
class ScoreRow:
    office_id: int
    service_id: int
    desk_id: int | None
    user_id: int | None
    day: date
    score: int


def phone_feedback(s: Session, ticket: Ticket, now: datetime, window_hours: int) -> dict[str, Any]:
    """What the phone page offers: ``{state: open|given|closed|not_finished, closes_at}``."""
    given = s.scalar(select(Feedback.id).where(Feedback.ticket_id == ticket.id)) is not None
    finished_at = s.scalar(select(TicketEvent.at).where(TicketEvent.ticket_id == ticket.id,
                                                        TicketEvent.kind == "finished")
                           .order_by(TicketEvent.id.desc()).limit(1)) or ticket.finished_at
    state = rules.phone_state(ticket.status, finished_at, now, window_hours, given)
    closes = rules.window_closes(finished_at, window_hours) if finished_at is not None else None
    return {"state": state, "closes_at": closes.isoformat(timespec="seconds") if closes else None}


def scores(s: Session, office_ids: Iterable[int], day_from: date, day_to: date) -> list[ScoreRow]:
    """Every rating of visits of the offices' days in [day_from, day_to] (the visit's day, as the reports)."""
    ids = list(office_ids)
    if not ids:
        return []
    rows = s.execute(select(Feedback.office_id, Feedback.service_id, Feedback.desk_id, Feedback.user_id,
                            Feedback.day, Feedback.score)
                     .where(Feedback.office_id.in_(ids), Feedback.day >= day_from, Feedback.day <= day_to))
    return [ScoreRow(*row) for row in rows]


def day_satisfaction(s: Session, office_id: int, day: date) -> dict[str, Any]:
    """The satisfaction of one office-day's visits (the hall view's "today")."""
    return rules.satisfaction(r.score for r in scores(s, [office_id], day, day))


def by_group(rows: Iterable[ScoreRow]) -> dict[str, Any]:
    """The report's satisfaction: the total and per service, desk, staff member and day (ids as keys)."""
    rows = list(rows)
    groups: dict[str, dict[Any, list[int]]] = {"service": {}, "desk": {}, "staff": {}, "day": {}}
    for r in rows:
        groups["service"].setdefault(r.service_id, []).append(r.score)
        if r.desk_id is not None:
            groups["desk"].setdefault(r.desk_id, []).append(r.score)
        if r.user_id is not None:
            groups["staff"].setdefault(r.user_id, []).append(r.score)
        groups["day"].setdefault(r.day.isoformat(), []).append(r.score)
    return {"total": rules.satisfaction(r.score for r in rows),
            **{name: {key: rules.satisfaction(values) for key, values in g.items()} for name, g in groups.items()}}


def comments_of_tickets(s: Session, ticket_ids: Iterable[int]) -> list[dict[str, Any]]:
    """The feedback left on these tickets (a person's data export: their bookings' and records' tickets)."""
    ids = list(ticket_ids)
    if not ids:
        return []
    rows = s.execute(select(Feedback, Ticket.code).join(Ticket, Feedback.ticket_id == Ticket.id)
                     .where(Feedback.ticket_id.in_(ids)).order_by(Feedback.id))
    return [{"ticket_id": f.ticket_id, "ticket_code": code, "day": f.day.isoformat(), "score": f.score,
             "comment": f.comment, "via": f.via, "created_at": f.created_at.isoformat(timespec="seconds")}
            for f, code in rows]

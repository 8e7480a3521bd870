"""The feedback command: a visitor rates a finished visit (through ``Services.run``).

Found by the ticket's public token (the phone page, a message's link) or, in the hall, by the code on the
slip of a visit finished today in the kiosk's office. The desk and staff member come from the ticket's
finishing event. Audited with ids, the score and whether a comment was left, never the comment's text.
Two requests at once for one ticket: the unique ticket id lets one in, the other is ``feedback_given``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.feedback import rules
from reception.feedback.models import Feedback
from reception.kernel.errors import NotFound, ValidationFailed
from reception.kernel.unit_of_work import UnitOfWork
from reception.offices.models import Office
from reception.offices.rules import office_day
from reception.platform.clock import Clock
from reception.queue.models import Ticket, TicketEvent

PUBLIC_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")  # what new_public_token() makes
CODE_MAX = 16  # Ticket.code
SLIP_CODE = re.compile(r"(\D+?)-?([0-9]+)")  # a prefix, then its number: "К-012", "К12"


@dataclass(frozen=True)
class Given:
    id: int
    ticket_id: int
    score: int
    via: str


def ticket_by_token(session: Session, public_token: object) -> Ticket:
    """The ticket behind a public token; 404 for anything else (a malformed token never reaches SQL)."""
    ticket = None
    if isinstance(public_token, str) and PUBLIC_TOKEN.fullmatch(public_token):
        ticket = session.scalar(select(Ticket).where(Ticket.public_token == public_token))
    if ticket is None:
        raise NotFound("error.unknown_ticket")
    return ticket


def normal_code(code: object) -> str:
    """A typed slip code as stored: trimmed, upper case, the ASCII look-alikes of the Cyrillic prefix
    letters read as Cyrillic ("a-12" is "А-012")."""
    if not isinstance(code, str) or not code.strip() or len(code.strip()) > CODE_MAX:
        raise ValidationFailed("error.feedback_code")
    text = code.strip().upper().replace(" ", "").replace("–", "-")
    text = text.translate(str.maketrans("ABCEHIKMOPTX", "АВСЕНІКМОРТХ"))
    parts = SLIP_CODE.fullmatch(text)  # ASCII digits only: "²" is a digit to str.isdigit, not to int()
    return f"{parts.group(1)}-{int(parts.group(2)):03d}" if parts else text


def ticket_by_code(session: Session, office_id: int, day: date, code: object) -> Ticket:
    """The office's ticket of ``day`` with this slip code, the visit's last copy (a transfer keeps the code)."""
    wanted = normal_code(code)
    tickets = list(session.scalars(select(Ticket).where(Ticket.office_id == office_id, Ticket.day == day,
                                                        Ticket.code == wanted).order_by(Ticket.id.desc())))
    if not tickets:
        raise NotFound("error.feedback_unknown_code", code=wanted)
    finished = [t for t in tickets if t.status == rules.FINISHED]
    return finished[0] if finished else tickets[0]


def give_feedback(uow: UnitOfWork, clock: Clock, ticket_id: int, score: int, comment: str | None, *,
                  via: str, window_hours: int = rules.DEFAULT_WINDOW_HOURS) -> Given:
    """Record the rating of a finished visit, once, within the window (409 with the reason otherwise)."""
    if via not in rules.VIAS:
        raise ValueError(f"unknown channel {via!r}")
    score = rules.check_score(score)
    text = rules.clean_comment(comment)
    session, now = uow.session, clock.now()
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound("error.unknown_ticket")
    given = session.scalar(select(Feedback.id).where(Feedback.ticket_id == ticket.id)) is not None
    finished = _finishing_event(session, ticket.id)
    finished_at = finished.at if finished is not None else ticket.finished_at
    why = rules.refusal(ticket.status, finished_at, now, window_hours, given)
    if why is not None:
        raise rules.FeedbackRefused(f"error.{why}", hours=window_hours)
    row = Feedback(ticket_id=ticket.id, office_id=ticket.office_id, service_id=ticket.service_id,
                   desk_id=finished.desk_id if finished else ticket.desk_id,
                   user_id=finished.actor_user_id if finished else ticket.user_id,
                   day=ticket.day, score=score, comment=text, via=via, created_at=now)
    session.add(row)
    try:
        session.flush()  # another request's rating of this ticket, committed meanwhile, stops here
    except IntegrityError:
        raise rules.FeedbackRefused(f"error.{rules.GIVEN}", hours=window_hours) from None
    audit(session, now, None, "feedback.give", "ticket", ticket.id,
          {"score": score, "via": via, "with_comment": text is not None})
    return Given(row.id, ticket.id, score, via)


def give_by_token(uow: UnitOfWork, clock: Clock, public_token: str, score: int, comment: str | None, *,
                  via: str = "phone", window_hours: int = rules.DEFAULT_WINDOW_HOURS) -> Given:
    ticket = ticket_by_token(uow.session, public_token)
    return give_feedback(uow, clock, ticket.id, score, comment, via=via, window_hours=window_hours)


def give_in_hall(uow: UnitOfWork, clock: Clock, office_id: int, code: str, score: int, comment: str | None, *,
                 window_hours: int = rules.DEFAULT_WINDOW_HOURS) -> Given:
    """The hall survey: the visitor types the code of their slip (a visit of today in this office)."""
    office = uow.session.get(Office, office_id)
    if office is None:
        raise NotFound("error.not_found")
    ticket = ticket_by_code(uow.session, office_id, office_day(clock.now(), office.timezone), code)
    return give_feedback(uow, clock, ticket.id, score, comment, via="hall", window_hours=window_hours)


def _finishing_event(session: Session, ticket_id: int) -> TicketEvent | None:
    return session.scalar(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == "finished")
                          .order_by(TicketEvent.id.desc()).limit(1))

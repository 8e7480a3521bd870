"""Loading a ticket by id, with the caller's office scope checked."""

from __future__ import annotations

from sqlalchemy.orm import Session

from reception.kernel.errors import NotFound
from reception.kernel.identity import Actor
from reception.queue.models import Ticket


def ticket_for_actor(session: Session, actor: Actor, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or not actor.can_access_office(ticket.office_id):
        # Another office's ticket is reported as missing: its existence is not the caller's business.
        raise NotFound("error.unknown_ticket", ticket=ticket_id)
    return ticket

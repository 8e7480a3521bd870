"""The phone page's "how did it go" block: whether the visit may be rated now, was rated, or is past the window."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from display.state import valid_public_token
from reception.feedback.reads import phone_feedback
from reception.platform.clock import Clock
from reception.platform.db import Database
from reception.queue.models import Ticket


def feedback_state(db: Database, clock: Clock, public_token: Any, window_hours: int) -> dict[str, Any]:
    """``{state: open|given|closed|not_finished, closes_at}`` of the ticket behind the token."""
    if not valid_public_token(public_token):
        return {"state": "not_finished", "closes_at": None}
    with db.read() as s:
        ticket = s.scalar(select(Ticket).where(Ticket.public_token == public_token))
        if ticket is None:
            return {"state": "not_finished", "closes_at": None}
        return phone_feedback(s, ticket, clock.now(), window_hours)

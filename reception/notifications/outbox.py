"""Writing to the outbox: the one way any slice asks for a message to be sent.

The row is added to the caller's session, so it commits or rolls back with the change that causes it
(a transactional outbox): a gateway that is down never blocks the command, and a command that fails
sends nothing. Delivery is the delivery job's (``reception.notifications.delivery``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.notifications.models import CHANNELS, Message


def enqueue(session: Session, *, at: datetime, key: str, channel: str, address: str, kind: str, body: str,
            office_id: int | None = None, subscription_id: int | None = None, ticket_id: int | None = None,
            appointment_id: int | None = None, user_id: int | None = None, subject: str | None = None,
            buttons: Sequence[dict[str, Any]] = (), attachments: Sequence[dict[str, Any]] = (),
            in_reply_to: str | None = None) -> Message | None:
    """Queue one message unless one with ``key`` exists (then None: the cause was seen before)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if session.scalar(select(Message.id).where(Message.idempotency_key == key)) is not None:
        return None
    message = Message(idempotency_key=key, office_id=office_id, subscription_id=subscription_id,
                      ticket_id=ticket_id, appointment_id=appointment_id, user_id=user_id, channel=channel,
                      address=address, kind=kind, subject=subject, body=body, buttons=list(buttons),
                      attachments=list(attachments), status="queued", attempts=0, next_attempt_at=at,
                      created_at=at, in_reply_to=in_reply_to if channel == "email" else None)
    session.add(message)
    session.flush()
    return message

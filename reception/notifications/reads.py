"""What staff see of the outbox: each message's state, its address masked (decision 037).

The address is personal data; staff need to tell one message from another and a phone from an
e-mail, not to read it: ``+380•••••67``, ``i•••@example.com``, ``•••001`` (a chat or Viber id).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reception.kernel.errors import ValidationFailed
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.notifications.models import MESSAGE_STATUSES, Message
from reception.offices.lookups import office_by_code
from reception.offices.models import Office
from reception.platform.i18n import Text
from reception.queue.models import Ticket

LIMIT = 500
DOT = "•"


def mask_address(channel: str, address: str | None) -> str:
    """Enough to tell addresses apart, not to use one; "" once the address is anonymised."""
    if not address:
        return ""
    if channel == "email" and "@" in address:
        local, _, domain = address.rpartition("@")
        return f"{local[:1]}{DOT * 3}@{domain}"
    if channel == "sms" and address.startswith("+") and len(address) > 8:
        return f"{address[:4]}{DOT * 5}{address[-2:]}"
    return f"{DOT * 3}{address[-3:]}" if len(address) > 4 else DOT * 3


def list_messages(session: Session, actor: Actor, *, office: str | None = None, ticket: int | None = None,
                  status: str | None = None, limit: int = LIMIT) -> list[dict[str, Any]]:
    """Newest first, within the caller's offices (an office one may not see: 403 ``other_office``)."""
    authorize(actor, Action.MESSAGES_READ)
    if status is not None and status not in MESSAGE_STATUSES:
        raise ValidationFailed.because(Text.of("error.input.choice", name="status", choices=tuple(MESSAGE_STATUSES)))
    query = (select(Message, Ticket.code, Office.code).outerjoin(Ticket, Ticket.id == Message.ticket_id)
             .outerjoin(Office, Office.id == Message.office_id))
    if office:
        wanted = office_by_code(session, office)
        actor.require_office(wanted.id)
        query = query.where(Message.office_id == wanted.id)
    elif not actor.is_admin:
        query = query.where(Message.office_id.in_(actor.office_ids or {-1}))
    if ticket is not None:
        query = query.where(Message.ticket_id == ticket)
    if status is not None:
        query = query.where(Message.status == status)
    rows = session.execute(query.order_by(Message.created_at.desc(), Message.id.desc()).limit(limit))
    return [message_view(m, ticket_code, office_code) for m, ticket_code, office_code in rows]


def message_view(m: Message, ticket_code: str | None, office_code: str | None) -> dict[str, Any]:
    return {
        "id": m.id, "office": office_code, "channel": m.channel, "kind": m.kind, "status": m.status,
        "address": mask_address(m.channel, m.address), "attempts": m.attempts,
        "created_at": m.created_at.isoformat(), "sent_at": m.sent_at.isoformat() if m.sent_at else None,
        "next_attempt_at": m.next_attempt_at.isoformat() if m.status == "queued" else None,
        "last_error": m.last_error,
        "ticket": {"id": m.ticket_id, "code": ticket_code} if m.ticket_id is not None else None,
    }


BACKLOG_OLD_S = 600  # a queued message older than this: the gateways are not keeping up (/healthz degraded)


def backlog(session: Session, now: datetime) -> dict[str, Any]:
    """The outbox's health: what waits, since when, and what failed in the last hour."""
    queued, oldest = session.execute(select(func.count(Message.id), func.min(Message.created_at))
                                     .where(Message.status == "queued")).one()
    failed = session.scalar(select(func.count(Message.id)).where(
        Message.status == "failed", Message.next_attempt_at >= now - timedelta(hours=1)))  # when it failed
    if oldest is not None and oldest.tzinfo is None:  # SQLite hands a naive UTC value back from min()
        oldest = oldest.replace(tzinfo=UTC)
    age = max(0, int((now - oldest).total_seconds())) if oldest is not None else None
    return {"status": "backlog" if age is not None and age > BACKLOG_OLD_S else "ok", "queued": int(queued or 0),
            "oldest_queued_s": age, "failed_last_hour": int(failed or 0)}

"""A ticket's history, written in one place: every command, the estimate shown and the printer's
outcome append their row through :func:`append_ticket_event`.

History is append-only and nothing reads it back as objects in the same unit of work, so a row is
one prebuilt Core INSERT rather than an ORM object flushed later (decision 026).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from reception.kernel.identity import Actor
from reception.queue.models import TicketEvent

_APPEND_EVENT = cast(Table, TicketEvent.__table__).insert()


def ticket_event(*, ticket_id: int, office_id: int, kind: str, at: datetime, actor: Actor | None = None,
                 desk_id: int | None = None, rule: str | None = None, reason: str | None = None,
                 data: dict[str, Any] | None = None) -> dict[str, Any]:
    """One row of a ticket's history, to write with :func:`append_ticket_events`."""
    return {"ticket_id": ticket_id, "office_id": office_id, "kind": kind, "at": at,
            "actor_user_id": actor.user_id if actor else None, "actor_device_id": actor.device_id if actor else None,
            "desk_id": desk_id, "rule": rule, "reason": reason, "data": data or {}}


def append_ticket_events(session: Session, rows: list[dict[str, Any]]) -> None:
    """Write rows of tickets' history now, in the session's transaction: several in one statement (a
    call that ends a visit writes both rows at once, decision 026)."""
    session.connection().execute(_APPEND_EVENT, rows[0] if len(rows) == 1 else rows)


def append_ticket_event(session: Session, **row: Any) -> None:
    """Write one row of a ticket's history now (the arguments of :func:`ticket_event`)."""
    append_ticket_events(session, [ticket_event(**row)])

"""Ticket numbers: one counter row per (service, office-local day), advanced atomically.

``INSERT … ON CONFLICT DO UPDATE … RETURNING`` is a single statement on both SQLite (>= 3.35)
and PostgreSQL: the row lock it takes lasts until the ticket insert commits in the same
transaction, so concurrent kiosks and server processes get 1, 2, 3 … with no duplicate and,
because a refused ticket rolls the counter back too, no gap.  ``SELECT max()+1`` is racy.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from reception.queue.models import TicketCounter


def _upsert(insert: Any) -> Any:
    table = TicketCounter.__table__
    return insert(table).values(service_id=bindparam("service"), day=bindparam("day"), last_number=1) \
        .on_conflict_do_update(index_elements=[table.c.service_id, table.c.day],
                               set_={"last_number": table.c.last_number + 1}) \
        .returning(table.c.last_number)


# Built once per dialect: the kiosk's hot path binds only the service and the day.
_UPSERTS = {"postgresql": _upsert(postgresql.insert), "sqlite": _upsert(sqlite.insert)}


def next_number(session: Session, service_id: int, day: date) -> int:
    conn = session.connection()
    return int(conn.execute(_UPSERTS[conn.dialect.name], {"service": service_id, "day": day}).scalar_one())

"""Ticket numbers: one counter row per (service, office-local day), advanced atomically.

``INSERT … ON CONFLICT DO UPDATE … RETURNING`` is a single statement on both SQLite (>= 3.35)
and PostgreSQL: the row lock it takes lasts until the ticket insert commits in the same
transaction, so concurrent kiosks and server processes get 1, 2, 3 … with no duplicate and,
because a refused ticket rolls the counter back too, no gap.  ``SELECT max()+1`` is racy.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..models import TicketCounter


def next_number(session: Session, service_id: int, day: date) -> int:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    upsert = insert(TicketCounter).values(service_id=service_id, day=day, last_number=1).on_conflict_do_update(
        index_elements=[TicketCounter.service_id, TicketCounter.day],
        set_={"last_number": TicketCounter.last_number + 1},
    )
    return int(session.execute(upsert.returning(TicketCounter.last_number)).scalar_one())

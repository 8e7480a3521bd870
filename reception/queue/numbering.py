"""Ticket numbers: one counter row per (service, office-local day), advanced atomically.

``INSERT … ON CONFLICT DO UPDATE … RETURNING`` is a single statement on both SQLite (>= 3.35)
and PostgreSQL: the row lock it takes lasts until the ticket insert commits in the same
transaction, so concurrent kiosks and server processes get 1, 2, 3 … with no duplicate and,
because a refused ticket rolls the counter back too, no gap.  ``SELECT max()+1`` is racy.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from reception.offices.models import Office
from reception.queue.models import TicketCounter

_COUNTERS = cast(Table, TicketCounter.__table__)
_CONFIG_VERSION = (select(Office.__table__.c.config_version).where(Office.__table__.c.id == bindparam("office"))
                   .scalar_subquery())


def _upsert(insert: Any) -> Any:
    return insert(_COUNTERS).values(service_id=bindparam("service"), day=bindparam("day"), last_number=1) \
        .on_conflict_do_update(index_elements=[_COUNTERS.c.service_id, _COUNTERS.c.day],
                               set_={"last_number": _COUNTERS.c.last_number + 1}) \
        .returning(_COUNTERS.c.last_number, _CONFIG_VERSION)


# Built once per dialect: the kiosk's hot path binds only the service, the day and the office.
_UPSERTS = {"postgresql": _upsert(postgresql.insert), "sqlite": _upsert(sqlite.insert)}
_TAKE_BACK = (update(_COUNTERS).where(_COUNTERS.c.service_id == bindparam("service"),
                                      _COUNTERS.c.day == bindparam("counter_day"))
              .values(last_number=_COUNTERS.c.last_number - 1))


def next_number(session: Session, service_id: int, day: date, office_id: int) -> tuple[int, int]:
    """The next number of the service's day, and the office's configuration version as the same statement
    read it (the kiosk ticket checks its configuration snapshot by it: one statement, decision 036)."""
    conn = session.connection()
    number, config_version = conn.execute(_UPSERTS[conn.dialect.name],
                                          {"service": service_id, "day": day, "office": office_id}).one()
    return int(number), int(config_version)


def take_back(session: Session, service_id: int, day: date) -> None:
    """Give back the number :func:`next_number` has just given in this transaction (its counter row is
    locked by it until the end): no gap, when the number turns out to be taken for a service or day that
    a newer configuration names otherwise."""
    session.connection().execute(_TAKE_BACK, {"service": service_id, "counter_day": day})

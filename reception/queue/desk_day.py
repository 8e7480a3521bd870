"""A desk's day in figures: visitors served today and their average service time.

``summarise`` is pure arithmetic; ``served_today`` is one short query.  "Today" is the office-local
day of the injected clock (it starts at local midnight, not UTC midnight), so tests, the simulator
and the console all count the same visits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.offices.models import Desk
from reception.offices.rules import office_day
from reception.queue.estimates import minutes_between
from reception.queue.models import Ticket
from reception.queue.states import Status


def day_start(now_utc: datetime, tz: str) -> datetime:
    """The moment the office-local day of ``now_utc`` began (aware, in the office's zone)."""
    return datetime.combine(office_day(now_utc, tz), time.min, tzinfo=ZoneInfo(tz))


def summarise(durations_min: Sequence[float]) -> dict[str, Any]:
    """``{served, avg_service_min}``; the average is whole minutes (at least 1), None with no visits."""
    visits = [d for d in durations_min if d >= 0]
    if not visits:
        return {"served": 0, "avg_service_min": None}
    return {"served": len(visits), "avg_service_min": max(1, round(sum(visits) / len(visits)))}


def served_today(session: Session, desk: Desk, now_utc: datetime) -> dict[str, Any]:
    """Visits this desk finished (status done) since the office-local midnight."""
    rows = session.execute(
        select(Ticket.started_at, Ticket.finished_at).where(
            Ticket.desk_id == desk.id,
            Ticket.status == Status.DONE,
            Ticket.finished_at >= day_start(now_utc, desk.office.timezone),
        )
    ).all()
    return summarise([minutes_between(start or end, end) for start, end in rows if end is not None])

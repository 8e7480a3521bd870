"""Today's leadership reception hours, for the wall display and the public schedule.

Read from the materialised reception sessions (``reception.leadership``); no visitor data.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from reception.offices.models import Office
from reception.offices.rules import office_day
from reception.platform.clock import Clock
from reception.platform.db import Database
from reception.platform.i18n import localized


def todays_reception_hours(db: Database, clock: Clock, office_code: str, lang: str) -> list[dict[str, Any]]:
    """``[{leader, position, start: "10:00", end: "13:00", room, remote: bool}]`` for today, by start time."""
    from reception.leadership.models import ReceptionSession

    with db.read() as s:
        office = s.scalar(select(Office).where(Office.code == office_code))
        if office is None:
            return []
        today = office_day(clock.now(), office.timezone)
        sessions = s.scalars(
            select(ReceptionSession)
            .where(ReceptionSession.office_id == office.id, ReceptionSession.day == today,
                   ReceptionSession.status == "scheduled")
            .order_by(ReceptionSession.starts_at, ReceptionSession.id)
        ).unique()
        return [
            {
                "leader": localized(rs.leader, "name", lang),
                "position": localized(rs.leader, "position", lang),
                "start": rs.start,
                "end": rs.end,
                "room": localized(rs.desk, "name", lang),
                "remote": rs.remote,
            }
            for rs in sessions
        ]

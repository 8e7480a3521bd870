"""Today's leadership reception hours, for the wall display and the public schedule.

Interface used by the display; the leadership reception issue fills it from the
materialised reception sessions.
"""

from __future__ import annotations

from typing import Any

from .clock import Clock
from .db import Database


def todays_reception_hours(db: Database, clock: Clock, office_code: str, lang: str) -> list[dict[str, Any]]:
    """``[{leader, position, start: "10:00", end: "13:00", room, remote: bool}]`` for today, by start time."""
    return []

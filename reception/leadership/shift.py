"""Where booked leadership visitors go after a suspension: a pure plan (issue 13, decision 023).

A slot that overlaps the pause, and any later slot of the same session the moved ones push,
moves to the earliest time that is not before the resume, not before its own time plus the
pause, and not before the end of the slot placed ahead of it — so the order is kept and no two
visits overlap.  A visit that would then run past its session's end cannot be held that day:
it is listed for rebooking (and, as times only grow, so is every later one of that session).
Each session is planned on its own: nothing spills into a leader's afternoon session.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True)
class SessionSpan:
    id: int
    starts_at: datetime
    ends_at: datetime
    slot_min: int


@dataclass(frozen=True)
class BookedSlot:
    id: int
    session_id: int
    slot_at: datetime


@dataclass(frozen=True)
class ShiftPlan:
    moves: dict[int, datetime] = field(default_factory=dict)  # appointment id -> new time
    rebook: tuple[int, ...] = ()  # appointment ids that no longer fit their session's day

    @property
    def empty(self) -> bool:
        return not self.moves and not self.rebook


def plan_shift(sessions: Iterable[SessionSpan], bookings: Iterable[BookedSlot], pause_start: datetime,
               pause_end: datetime) -> ShiftPlan:
    """The moves and rebookings that a pause ``[pause_start, pause_end)`` calls for."""
    if pause_end <= pause_start:
        return ShiftPlan()
    pause = pause_end - pause_start
    by_session: dict[int, list[BookedSlot]] = {}
    for b in bookings:
        by_session.setdefault(b.session_id, []).append(b)
    moves: dict[int, datetime] = {}
    rebook: list[int] = []
    for span in sorted(sessions, key=lambda s: (s.starts_at, s.id)):
        length = timedelta(minutes=span.slot_min)
        free_from: datetime | None = None  # end of the last visit placed after the pause
        for b in sorted(by_session.get(span.id, ()), key=lambda b: (b.slot_at, b.id)):
            hit = b.slot_at < pause_end and b.slot_at + length > pause_start
            pushed = free_from is not None and b.slot_at < free_from
            if not hit and not pushed:
                if b.slot_at >= pause_end:
                    free_from = max(free_from or b.slot_at, b.slot_at + length)
                continue
            at = max(b.slot_at + pause, pause_end) if hit else b.slot_at
            if free_from is not None:
                at = max(at, free_from)
            if at + length > span.ends_at:
                rebook.append(b.id)
                continue
            moves[b.id] = at
            free_from = at + length
    return ShiftPlan(moves, tuple(rebook))

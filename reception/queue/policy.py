"""Who is called next: a pure function of the waiting tickets, the desk and the clock.

Order, highest first (decision 001):

1. ``transfer``      tickets transferred to this very desk or to the person at it;
2. ``appointment``   checked-in appointments whose slot has come;
3. ``booked``        checked-in specialist bookings (decision 044) from ``tolerance`` before their slot: a
                     booking past its slot by the tolerance comes first; one still within it gives a walk-in
                     the next call after ``interleave`` bookings in a row (``DeskState.booked_streak``), so
                     neither the booked nor the live queue starves (the booking capacity bounds the booked);
4. ``priority``      priority categories, at most ``interleave`` in a row while regular
                     visitors wait (so nobody starves);
5. ``weighted_wait`` the desk's services by weight x time in queue;
6. ``appointment_early`` appointments whose slot has not come yet, when nobody else waits;
7. ``booked_early``  bookings checked in before their tolerance, when nobody else waits.

Ties fall to the earlier issue time, then the lower id.  The chosen rule is returned so every
call is explainable and auditable.  Standard library only.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

APPOINTMENT = "appointment"


class Candidate(NamedTuple):
    """A waiting ticket as the policy sees it. A named tuple, not a frozen dataclass: call-next and the
    estimate build one per waiting ticket per request, and a tuple is built five times faster."""

    id: int
    service_id: int
    queued_at: datetime
    issued_at: datetime
    priority: str | None = None  # None | category code | "appointment"
    appointment_at: datetime | None = None
    target_desk_id: int | None = None
    target_user_id: int | None = None
    booked_for: datetime | None = None  # a checked-in specialist booking's slot
    call_tolerance_min: int | None = None

    @property
    def is_booked(self) -> bool:
        return self.booked_for is not None and not self.is_appointment

    @property
    def is_appointment(self) -> bool:
        return self.priority == APPOINTMENT

    @property
    def is_priority(self) -> bool:
        return self.priority is not None and not self.is_appointment

    @property
    def is_targeted(self) -> bool:
        return self.target_desk_id is not None or self.target_user_id is not None


@dataclass(frozen=True)
class DeskState:
    id: int
    service_weights: Mapping[int, float]  # service id -> weight (> 0)
    user_id: int | None = None
    priority_streak: int = 0
    booked_streak: int = 0  # this desk's last calls in a row that were bookings (rule "booked")


@dataclass(frozen=True)
class Choice:
    ticket_id: int
    rule: str
    priority_streak: int  # the desk's streak after this call


def _is_for_desk(t: Candidate, desk: DeskState) -> bool:
    return t.target_desk_id == desk.id or (desk.user_id is not None and t.target_user_id == desk.user_id)


def _by_arrival(t: Candidate) -> tuple[datetime, datetime, int]:
    return (t.queued_at, t.issued_at, t.id)


def rank(
    waiting: Iterable[Candidate], desk: DeskState, now: datetime, interleave: int = 2
) -> list[Choice]:
    """All tickets this desk may call, best first, each with the rule that places it.

    ``interleave`` <= 0 means strict priority (priority visitors always first).
    The streak in each Choice assumes that ticket is the one called.
    """
    targeted: list[Candidate] = []
    due: list[Candidate] = []
    early: list[Candidate] = []
    priority: list[Candidate] = []
    regular: list[Candidate] = []
    booked_late: list[Candidate] = []
    booked_now: list[Candidate] = []
    booked_early: list[Candidate] = []
    for t in waiting:
        if t.is_targeted:
            if _is_for_desk(t, desk):
                targeted.append(t)
            continue  # reserved for another desk or person
        if t.service_id not in desk.service_weights:
            continue
        if t.is_booked and t.booked_for is not None:
            tolerance = timedelta(minutes=t.call_tolerance_min or 0)
            if now >= t.booked_for + tolerance:
                booked_late.append(t)
            elif now >= t.booked_for - tolerance:
                booked_now.append(t)
            else:
                booked_early.append(t)
        elif t.is_appointment:
            (due if t.appointment_at is None or t.appointment_at <= now else early).append(t)
        elif t.is_priority:
            priority.append(t)
        else:
            regular.append(t)

    def weighted_key(t: Candidate) -> tuple[float, datetime, int]:
        waited = max((now - t.queued_at).total_seconds(), 0.0)
        return (-desk.service_weights[t.service_id] * waited, t.issued_at, t.id)

    targeted.sort(key=_by_arrival)
    due.sort(key=lambda t: (t.appointment_at or t.queued_at, t.issued_at, t.id))
    priority.sort(key=_by_arrival)
    regular.sort(key=weighted_key)
    early.sort(key=lambda t: (t.appointment_at or t.queued_at, t.issued_at, t.id))

    def by_slot(t: Candidate) -> tuple[datetime, datetime, int]:
        return (t.booked_for or t.queued_at, t.issued_at, t.id)

    for booked in (booked_late, booked_now, booked_early):
        booked.sort(key=by_slot)

    streak = desk.priority_streak
    choices = [Choice(t.id, "transfer", streak) for t in targeted]
    choices += [Choice(t.id, "appointment", streak) for t in due]
    choices += [Choice(t.id, "booked", streak) for t in booked_late]
    prio_choices = [Choice(t.id, "priority", streak + 1) for t in priority]
    regular_choices = [Choice(t.id, "weighted_wait", 0) for t in regular]
    regular_turn = interleave > 0 and streak >= interleave and bool(regular_choices)
    if regular_turn:
        walk_ins = regular_choices[:1] + prio_choices + regular_choices[1:]
    else:
        walk_ins = prio_choices + regular_choices
    booked_choices = [Choice(t.id, "booked", streak) for t in booked_now]
    if interleave > 0 and desk.booked_streak >= interleave and walk_ins:
        choices += walk_ins[:1] + booked_choices + walk_ins[1:]  # the live queue's turn
    else:
        choices += booked_choices + walk_ins
    choices += [Choice(t.id, "appointment_early", streak) for t in early]
    choices += [Choice(t.id, "booked_early", streak) for t in booked_early]
    return choices


def for_held_sessions(waiting: Iterable[Candidate], session_of: Mapping[int, int],
                      held: Collection[int]) -> list[Candidate]:
    """In a reception room several leaders receive in turn: a booked visitor waits for the session they
    booked. Keeps every ticket but the appointments (``session_of``: ticket id -> its reception session)
    of a session other than those the caller ``held``; a ticket transferred to this very desk or person
    stays (somebody chose to send it here)."""
    return [t for t in waiting
            if not t.is_appointment or t.is_targeted or t.id not in session_of or session_of[t.id] in held]


def choose_next(
    waiting: Iterable[Candidate], desk: DeskState, now: datetime, interleave: int = 2
) -> Choice | None:
    """The single ticket the desk should call now, or None when nobody waits for it."""
    ranked = rank(waiting, desk, now, interleave)
    return ranked[0] if ranked else None

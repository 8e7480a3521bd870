"""Position in queue and expected wait: pure arithmetic over the live queue."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime

from .policy import Candidate

ROLLING_WINDOW = 20  # finished visits that make the rolling service time


def rolling_service_minutes(durations_min: Sequence[float], default_min: float) -> float:
    """Mean of the last visits' service times; the configured default until there are any."""
    recent = [d for d in durations_min[-ROLLING_WINDOW:] if d >= 0]
    return sum(recent) / len(recent) if recent else default_min


def people_ahead(ticket: Candidate, same_service_waiting: Iterable[Candidate]) -> int:
    """How many waiting visitors of the same service would be called before this one.

    Priority and due-appointment visitors go before regular ones; within a class, earlier
    queue time first.  Tickets reserved for a desk or person are not in this queue.
    """

    def klass(t: Candidate) -> int:
        return 0 if t.priority is not None else 1

    mine = (klass(ticket), ticket.queued_at, ticket.id)
    return sum(
        1
        for other in same_service_waiting
        if other.id != ticket.id and not other.is_targeted and (klass(other), other.queued_at, other.id) < mine
    )


def eta_minutes(ahead: int, service_min: float, desks: int) -> int:
    """Expected minutes until the call: the visitors ahead shared among the desks serving them."""
    return math.ceil(ahead * service_min / max(desks, 1))


def minutes_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60.0

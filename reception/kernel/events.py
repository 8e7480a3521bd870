"""Typed domain events: one frozen dataclass per fact a command records.

A command collects them in its unit of work; after the commit the bus hands them to the live
fan-out (``reception.http.realtime.wire`` turns each into the named message displays and desks
receive, unchanged on the wire) and to any other handler registered for the type.  In-transaction
handlers (:meth:`reception.kernel.messagebus.MessageBus.within`) see them as they are collected and
may complete them (the leadership shift adds the bookings it moved to :class:`Resumed`).

Moments are aware datetimes in the office's time zone, as the screens show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Suspended:
    """The office stopped issuing and calling (air-raid alert, blackout), or its suspension was
    given a scheduled end (``resume_at``, with ``minutes_left`` to say in the hall)."""

    office_code: str
    version: int
    reason: str
    since: datetime
    resume_at: datetime | None = None
    minutes_left: int | None = None


@dataclass(frozen=True)
class Resumed:
    """The office works again: the pause ``[since, resumed_at)`` is over, recorded at ``recorded_at``
    (later than ``resumed_at`` for a scheduled resume recorded by the job).

    ``by_user_id``: who resumed it (None for a scheduled resume).  ``appointments_moved`` /
    ``appointments_to_rebook``: the leadership bookings the pause shifted, filled in by the
    leadership slice in the same transaction (None where no such handler is registered).
    """

    office_code: str
    version: int
    reason: str
    since: datetime
    resumed_at: datetime
    recorded_at: datetime
    by_user_id: int | None = None
    appointments_moved: int | None = None
    appointments_to_rebook: int | None = None


# Every typed event the live fan-out publishes (``service_layer.handlers_for``).
PUBLISHED: tuple[type, ...] = (Suspended, Resumed)

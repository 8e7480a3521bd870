"""Typed domain events: one frozen dataclass per fact a command records.

A command collects them in its unit of work; after the commit the bus hands them to the live
fan-out (``reception.bootstrap.wire`` turns each into the named message displays and desks
receive, unchanged on the wire) and to any other handler registered for the type.  In-transaction
handlers (:meth:`reception.kernel.messagebus.MessageBus.within`) see them as they are collected and
may complete them (the leadership shift adds the bookings it moved to :class:`Resumed`).

Moments are aware datetimes in the office's time zone, as the screens show them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar


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


# --- the queue: a ticket's and a desk's changes ----------------------------------------------------


@dataclass(frozen=True)
class CalledAt:
    """Where and when a ticket was called: what a wall display shows and says."""

    desk: str
    desk_name_uk: str
    desk_name_en: str | None
    zone: str | None
    at: str | None  # office-local ISO time of the call


@dataclass(frozen=True)
class TicketChanged:
    """A ticket's new state. ``desk``: the desk holding it (a call and what follows it); ``waiting``: the
    office's waiting counts per service as of this version, when the command counted them."""

    name: ClassVar[str]
    office_code: str
    version: int
    code: str
    status: str
    service: str
    public_token: str | None
    desk: CalledAt | None = None
    waiting: Mapping[str, int] | None = None


@dataclass(frozen=True)
class Issued(TicketChanged):
    name = "issued"


@dataclass(frozen=True)
class Called(TicketChanged):
    name = "called"


@dataclass(frozen=True)
class Recalled(TicketChanged):
    name = "recalled"


@dataclass(frozen=True)
class Started(TicketChanged):
    name = "started"


@dataclass(frozen=True)
class Finished(TicketChanged):
    name = "finished"


@dataclass(frozen=True)
class NoShow(TicketChanged):
    name = "no_show"


@dataclass(frozen=True)
class Reactivated(TicketChanged):
    name = "reactivated"


@dataclass(frozen=True)
class Cancelled(TicketChanged):
    name = "cancelled"


@dataclass(frozen=True)
class Transferred(TicketChanged):
    name = "transferred"


@dataclass(frozen=True)
class DeskChanged:
    """A desk opened, closed, paused or resumed: the office's consoles and displays learn it."""

    name: ClassVar[str]
    office_code: str
    version: int
    desk: str
    status: str
    pause_reason: str | None
    zone: str | None


@dataclass(frozen=True)
class DeskOpened(DeskChanged):
    name = "desk_opened"


@dataclass(frozen=True)
class DeskClosed(DeskChanged):
    name = "desk_closed"


@dataclass(frozen=True)
class DeskPaused(DeskChanged):
    name = "desk_paused"


@dataclass(frozen=True)
class DeskResumed(DeskChanged):
    name = "desk_resumed"


# --- the office's setup, its devices, its people ---------------------------------------------------


@dataclass(frozen=True)
class ConfigChanged:
    """The office's setup changed (``what``: "service", "desk", "settings", "device"...): its kiosks,
    displays and desk consoles refetch it."""

    office_code: str
    version: int
    what: str


@dataclass(frozen=True)
class DeviceRevoked:
    """A paired device lost its token: its open socket hears it and the screen shows "not paired"."""

    office_code: str
    version: int
    device_id: int


@dataclass(frozen=True)
class UserSignedOut:
    """A person's rights changed (disabled, password changed, roles or offices changed): every process
    closes that user's open staff sockets, joined with the old rights."""

    user_id: int


@dataclass(frozen=True)
class PrintOutcomeRecorded:
    """A kiosk printed a committed ticket's slip (``ok``) or failed to: the hall view and desk consoles
    refresh the device's state.  ``version``: the office's, unchanged by a print."""

    office_code: str
    version: int
    device_id: int | None
    ok: bool


@dataclass(frozen=True)
class MovedBack(TicketChanged):
    """The visitor said they are running late: their ticket moved back a few places (once)."""

    name = "moved_back"


@dataclass(frozen=True)
class AppointmentChanged:
    """A leadership booking was cancelled or moved by the call-centre (``change``: cancelled | rebooked):
    the visitor's channel tells them, in the same transaction (decision 038). Not published live."""

    office_id: int
    appointment_id: int
    change: str


TICKET_EVENTS: dict[str, type[TicketChanged]] = {kind.name: kind for kind in (
    Issued, Called, Recalled, Started, Finished, NoShow, Reactivated, Cancelled, Transferred, MovedBack)}
DESK_EVENTS: dict[str, type[DeskChanged]] = {kind.name: kind for kind in (
    DeskOpened, DeskClosed, DeskPaused, DeskResumed)}

# Every typed event the live fan-out publishes (``service_layer.handlers_for``).
PUBLISHED: tuple[type, ...] = (Suspended, Resumed, *TICKET_EVENTS.values(), *DESK_EVENTS.values(), ConfigChanged,
                               DeviceRevoked, UserSignedOut, PrintOutcomeRecorded)


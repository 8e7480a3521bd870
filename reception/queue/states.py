"""Pure rules of a ticket's life: its statuses and transitions, its code."""

from __future__ import annotations

from enum import StrEnum

from reception.kernel.errors import (
    IllegalTransition,
)
from reception.offices.rules import OfficeSettings


class Status(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"


OPEN_STATUSES = frozenset({Status.WAITING, Status.CALLED, Status.SERVING})

# action -> statuses it may start from, and the status it leads to (None: keeps the status).
TRANSITIONS: dict[str, tuple[frozenset[Status], Status | None]] = {
    "call": (frozenset({Status.WAITING}), Status.CALLED),
    "recall": (frozenset({Status.CALLED}), None),
    "start": (frozenset({Status.CALLED}), Status.SERVING),
    "finish": (frozenset({Status.CALLED, Status.SERVING}), Status.DONE),
    "no_show": (frozenset({Status.CALLED}), Status.NO_SHOW),
    "reactivate": (frozenset({Status.NO_SHOW}), Status.WAITING),
    "transfer": (OPEN_STATUSES, Status.TRANSFERRED),
    "cancel": (OPEN_STATUSES, Status.CANCELLED),
}


def next_status(current: str, action: str) -> Status:
    """The status after ``action``; raises IllegalTransition and changes nothing otherwise."""
    allowed, target = TRANSITIONS[action]
    status = Status(current)
    if status not in allowed:
        raise IllegalTransition(action=action, status=status.value)
    return target or status


def recalls_missing_for_no_show(recall_count: int, settings: OfficeSettings) -> int:
    """How many more recalls the office wants before a called visitor may be marked a no-show."""
    return max(settings.recalls_before_no_show - recall_count, 0)


def format_code(prefix: str, number: int) -> str:
    """Ticket code as shown and announced: "А-017"."""
    return f"{prefix}-{number:03d}"

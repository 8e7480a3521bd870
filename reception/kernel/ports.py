"""Boundaries between the core and the outside world.

The core describes *what* must happen (a slip to print, an event to push); adapters in
``printers/`` and ``display/`` decide *how*.  Nothing here imports Flask or a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class TicketSlip:
    """Everything a printed ticket shows, already localised.

    Built by the core from a committed ticket; rendered by a printer backend
    (ESC/POS, PDF, PNG).  Holds no personal data.
    """

    office_name: str
    service_name: str
    code: str  # "А-017"
    issued_at: datetime  # office-local, aware
    people_ahead: int | None
    eta_min: int | None
    status_url: str  # payload of the QR code (the phone status page)
    lang: str = "uk"
    priority_label: str | None = None  # set for a priority ticket; printed as "Пріоритетний талон", never the category
    appointment_label: str | None = None  # e.g. "Запис на 10:30, каб. 412"
    note: str | None = None  # short footer note
    labels: dict[str, str] = field(default_factory=dict)  # localised captions ("people_ahead", ...)
    eta_text: str | None = None  # the estimate as a range in words ("15–25 хв", "скоро"), preferred to eta_min


@dataclass(frozen=True)
class PrintOutcome:
    ok: bool
    printer: str
    error: str | None = None  # short technical reason, for the event log and staff
    retryable: bool = True  # False: another attempt cannot help or could print the ticket twice


class TicketPrinter(Protocol):
    """Prints one slip, synchronously, with short timeouts. Never raises for device faults."""

    def print_slip(self, slip: TicketSlip) -> PrintOutcome: ...


@dataclass(frozen=True)
class DomainEvent:
    """A hint that something changed, published after commit.

    ``version`` is the office's monotonically increasing queue version; clients that see a
    gap refetch the snapshot.
    """

    name: str  # "issued", "called", "recalled", "started", "finished", "no_show", ...
    office_code: str
    version: int
    payload: dict[str, Any]
    zone: str | None = None
    desk_code: str | None = None
    public_token: str | None = None


# The one event about a person rather than an office: the server closes that user's open staff
# sockets (disabled, password changed, roles or offices changed).  Payload: {"user": id}.
USER_SIGNED_OUT = "user_signed_out"


class Publisher(Protocol):
    def publish(self, event: DomainEvent) -> None: ...

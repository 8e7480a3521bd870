"""Printing a committed ticket: build the slip, hand it to the printer, log the outcome.

The ticket is committed before this runs, so a jammed or absent printer can only cost a
piece of paper: the kiosk shows the code and QR on screen and staff see the fault.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update

from reception.kernel.events import PrintOutcomeRecorded
from reception.kernel.identity import Actor
from reception.kernel.ports import PrintOutcome, TicketPrinter, TicketSlip
from reception.offices.models import Office
from reception.offices.rules import to_local
from reception.platform import i18n
from reception.platform.clock import Clock
from reception.platform.db import Database
from reception.queue.history import append_ticket_event
from reception.queue.models import Ticket
from reception.queue.policy import APPOINTMENT
from reception.queue.rows import TicketRow

log = logging.getLogger(__name__)


def status_url(base_url: str, public_token: str) -> str:
    """The phone status page of a ticket (the QR code's payload)."""
    return f"{base_url.rstrip('/')}/t/{public_token}"


SLIP_LABELS = {"people_ahead": "people_ahead", "people_none": "people_none", "eta": "eta", "minutes": "minutes",
               "qr_hint": "scan", "issued_at": "issued"}


def build_slip(ticket: Ticket | TicketRow, position: int | None, eta: int | None, url: str,
               eta_text: str | None = None, room: str | None = None, served_now: bool = True) -> TicketSlip:
    """The slip of a committed ticket; ``served_now`` False (nobody serves the service now, decision 034)
    prints that instead of a wait."""
    lang = ticket.lang
    office = ticket.office
    appointment = None
    if ticket.appointment_at:
        appointment = f"{i18n.t('slip.appointment', lang)} {to_local(ticket.appointment_at, office.timezone):%H:%M}"
        appointment += f", {room}" if room else ""
    return TicketSlip(
        office_name=i18n.localized(office, "name", lang),
        service_name=i18n.localized(ticket.service, "name", lang),
        code=ticket.code,
        issued_at=to_local(ticket.issued_at, office.timezone),
        people_ahead=position,
        eta_min=eta,
        eta_text=eta_text if served_now else i18n.t("slip.eta_unserved", lang),
        status_url=url,
        lang=lang,
        priority_label=i18n.t("slip.priority", lang) if ticket.priority not in (None, APPOINTMENT) else None,
        appointment_label=appointment,
        # A booked visitor is called to a room, not a window: the board shows where.
        note=i18n.t("slip.note_room" if ticket.appointment_at else "slip.note", lang),
        # The layout's label names (printers.layout.DEFAULT_LABELS) -> the catalogue's keys.
        labels={label: i18n.t(f"slip.{key}", lang) for label, key in SLIP_LABELS.items()},
    )


@dataclass(frozen=True)
class PrintRequested:
    """A committed ticket's slip to print: handled by the bus's print handler after commit."""

    ticket_id: int
    office_id: int
    printer_url: str
    slip: TicketSlip
    device_id: int | None = None


@dataclass
class PrintHandler:
    """Prints a slip on the device's printer and records the outcome; answers ``{ok, error}``.

    Never raises: the ticket is already committed, and the kiosk shows code and QR on screen.
    """

    printer_factory: Callable[[str], TicketPrinter]
    db: Database
    clock: Clock
    # Hands the outcome back to the bus, which tells live screens (the hall view, desk consoles).
    tell: Callable[[PrintOutcomeRecorded], object] | None = None

    def __call__(self, request: PrintRequested) -> dict[str, Any]:
        try:
            outcome = self.printer_factory(request.printer_url).print_slip(request.slip)
        except Exception as exc:  # a printer fault must never lose the committed ticket
            log.exception("printing ticket %s failed", request.ticket_id)
            outcome = PrintOutcome(ok=False, printer=request.printer_url, error=str(exc)[:200])
        try:
            self._record(request, outcome)
        except Exception:
            log.exception("recording print outcome of ticket %s failed", request.ticket_id)
        return {"ok": outcome.ok, "error": outcome.error}

    def _record(self, request: PrintRequested, outcome: PrintOutcome) -> None:
        status = "printed" if outcome.ok else "failed"
        kind = "printed" if outcome.ok else "print_failed"
        with self.db.write() as s:
            s.execute(update(Ticket).where(Ticket.id == request.ticket_id).values(print_status=status)
                      .execution_options(synchronize_session=False))
            append_ticket_event(s, ticket_id=request.ticket_id, office_id=request.office_id, kind=kind,
                                at=self.clock.now(), actor=Actor(device_id=request.device_id),
                                reason=outcome.error, data={"printer": outcome.printer})
            office = s.get(Office, request.office_id)
            event = None if office is None else PrintOutcomeRecorded(
                office_code=office.code, version=office.version, device_id=request.device_id, ok=outcome.ok)
        if event is not None and self.tell is not None:
            self.tell(event)

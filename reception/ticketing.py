"""Handing a committed ticket to the visitor at the kiosk: the one pipeline behind both the
walk-in ticket and the booked visitor's check-in.

Commit (the command, through :meth:`Services.run`) -> read position and the wait estimate once,
outside the write lock -> the same figures go to the screen and onto the slip -> print through the bus.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .clock import Clock
from .estimates_read import WaitView, wait_view
from .i18n import localized
from .leadership.checkin import appointment_room
from .models import TicketEvent
from .printing import PrintRequested, build_slip, status_url
from .queue import CommandResult
from .service_layer import Services
from .unit_of_work import UnitOfWork


@dataclass(frozen=True)
class KioskDevice:
    """What the pipeline needs of the kiosk that asked (loaded once, when it authenticated)."""

    id: int
    office_code: str
    printer_url: str | None


def deliver_ticket(services: Services, kiosk: KioskDevice, public_base_url: str,
                   command: Callable[..., CommandResult], **kwargs: Any) -> dict[str, Any]:
    """Run the issuing ``command``; answer the ticket as the kiosk shows it, with ``print``."""
    result = services.value(command, **kwargs)
    ticket = result.entry
    assert result.ticket is not None and ticket is not None
    view = dict(result.ticket)
    url = status_url(public_base_url, view["public_token"])
    with services.db.read() as s:
        wait = wait_view(s, ticket, services.clock.now())
        room = appointment_room(s, ticket.appointment_id) if ticket.appointment_id else None
        if room is not None:  # a booked visitor is told their slot and room, not a queue estimate
            view |= {"appointment_room_uk": room.name_uk, "appointment_room_en": room.name_en}
        request = None
        if kiosk.printer_url:
            slip = build_slip(ticket, wait.position, wait.eta_min, url, wait.words(ticket.lang),
                              room=localized(room, "name", ticket.lang) if room else None)
            request = PrintRequested(ticket.id, ticket.office_id, kiosk.printer_url, slip, kiosk.id)
    if wait.eta_range_min is not None:
        services.value(record_shown_estimate, ticket.id, ticket.office_id, kiosk.id, wait)
    view |= {"position": wait.position, "eta_min": wait.eta_min,
             "eta_range_min": list(wait.eta_range_min) if wait.eta_range_min else None,
             "eta_text": wait.words(ticket.lang), "status_url": url, "print": None}
    if request is not None:
        view["print"] = services.bus.handle([request]).first(PrintRequested)
    return view


def record_shown_estimate(uow: UnitOfWork, clock: Clock, ticket_id: int, office_id: int, device_id: int,
                          wait: WaitView) -> None:
    """Keep what the visitor was told (an ``estimated`` event), so the hall view can measure the
    estimate against the wait that followed. Its own short write: the estimate is read after the
    ticket's commit, outside the numbering transaction (decision 020)."""
    assert wait.eta_range_min is not None
    low, high = wait.eta_range_min
    uow.session.add(TicketEvent(ticket_id=ticket_id, office_id=office_id, kind="estimated", at=clock.now(),
                                actor_device_id=device_id,
                                data={"eta_min": wait.eta_min, "low": low, "high": high, "position": wait.position}))

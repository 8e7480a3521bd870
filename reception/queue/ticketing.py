"""Handing a committed ticket to the visitor at the kiosk: the one pipeline behind both the
walk-in ticket and the booked visitor's check-in.

Commit (the command, through :meth:`Services.run`) -> read position and the wait estimate once,
outside the write lock -> the same figures go to the screen and onto the slip -> print through the bus.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..devices.printing import PrintRequested, build_slip, status_url
from ..errors import Conflict
from ..leadership.checkin import appointment_room
from ..models import Ticket, TicketEvent
from ..platform.clock import Clock
from ..platform.i18n import localized
from ..service_layer import Services
from ..unit_of_work import UnitOfWork
from .commands import CommandResult
from .estimates_read import WaitView, wait_view
from .reads import ticket_view


@dataclass(frozen=True)
class KioskDevice:
    """What the pipeline needs of the kiosk that asked (loaded once, when it authenticated)."""

    id: int
    office_code: str
    printer_url: str | None


def deliver_ticket(services: Services, kiosk: KioskDevice, public_base_url: str,
                   command: Callable[..., CommandResult], *, idempotency_key: str | None = None,
                   **kwargs: Any) -> dict[str, Any]:
    """Run the issuing ``command``; answer the ticket as the kiosk shows it, with ``print``.

    With an ``idempotency_key`` (one per tap, made by the kiosk) a retried request — its first
    answer was lost to a crash or a network cut — gets the ticket the first one made, never a
    second one; ``replayed`` says so. Two racing requests with one key meet at the unique index:
    the loser's transaction rolls back (its number with it) and it replays the winner's ticket.
    The slip is printed again only if the first attempt did not print it.
    """
    earlier = _issued_with_key(services, kiosk, idempotency_key, kwargs)
    if earlier is None:
        key_kwargs = {"idempotency_key": idempotency_key} if idempotency_key else {}
        try:
            result = services.value(command, **kwargs, **key_kwargs)
        except IntegrityError:
            earlier = _issued_with_key(services, kiosk, idempotency_key, kwargs)
            if earlier is None:
                raise
    printed_before = earlier is not None and earlier[1].print_status == "printed"
    if earlier is not None:
        view, ticket = earlier
    else:
        assert result.ticket is not None and result.entry is not None
        view, ticket = dict(result.ticket), result.entry
    url = status_url(public_base_url, view["public_token"])
    with services.db.read() as s:
        wait = wait_view(s, ticket, services.clock.now())
        room = appointment_room(s, ticket.appointment_id) if ticket.appointment_id else None
        if room is not None:  # a booked visitor is told their slot and room, not a queue estimate
            view |= {"appointment_room_uk": room.name_uk, "appointment_room_en": room.name_en}
        request = None
        if kiosk.printer_url and not printed_before:
            slip = build_slip(ticket, wait.position, wait.eta_min, url, wait.words(ticket.lang),
                              room=localized(room, "name", ticket.lang) if room else None)
            request = PrintRequested(ticket.id, ticket.office_id, kiosk.printer_url, slip, kiosk.id)
    if wait.eta_range_min is not None and earlier is None:  # a replay was told nothing new
        services.value(record_shown_estimate, ticket.id, ticket.office_id, kiosk.id, wait)
    view |= {"position": wait.position, "eta_min": wait.eta_min,
             "eta_range_min": list(wait.eta_range_min) if wait.eta_range_min else None,
             "eta_text": wait.words(ticket.lang), "status_url": url, "replayed": earlier is not None,
             "print": {"ok": True, "error": None} if printed_before else None}
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


def _issued_with_key(services: Services, kiosk: KioskDevice, key: str | None,
                     asked: dict[str, Any]) -> tuple[dict[str, Any], Ticket] | None:
    """The ticket this kiosk already made for ``key`` (its view and row), if any.

    A key reused for another service or priority is a client fault, refused rather than answered
    with somebody else's ticket.
    """
    if not key:
        return None
    with services.db.read() as s:
        ticket = s.scalar(select(Ticket).where(Ticket.issued_by_device_id == kiosk.id,
                                               Ticket.idempotency_key == key))
        if ticket is None:
            return None
        if ticket.service.code != asked.get("service_code") or ticket.priority != (asked.get("priority") or None):
            raise Conflict("error.idempotency_key_reused")
        return ticket_view(s, ticket), ticket

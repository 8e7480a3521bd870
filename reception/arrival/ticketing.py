"""Handing a committed ticket to the visitor at the kiosk: the one pipeline behind both the
walk-in ticket and the booked visitor's check-in.

One unit of work (through :meth:`Services.run`): the command, the position and wait estimate read
in its transaction, the ``estimated`` event and the slip to print (``PrintRequested``, collected) ->
commit -> the bus prints -> the same figures and the print handler's answer go to the screen
(decision 026).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reception.accounts.credentials import PairedDevice
from reception.arrival.checkin import appointment_room
from reception.arrival.checkin import check_in as check_in_booking
from reception.devices.printing import PrintRequested, build_slip, status_url
from reception.kernel.errors import Conflict
from reception.kernel.identity import Actor
from reception.kernel.service_layer import Executed, Services
from reception.kernel.unit_of_work import UnitOfWork
from reception.offices.models import Desk
from reception.platform.clock import Clock
from reception.platform.i18n import localized
from reception.queue.commands import CommandResult, issue_ticket
from reception.queue.estimates_read import WaitView, wait_view
from reception.queue.history import append_ticket_events, ticket_event
from reception.queue.models import Ticket
from reception.queue.reads import ticket_view
from reception.queue.rows import TicketRow


@dataclass(frozen=True)
class WalkIn:
    """A visitor's tap on a service at the kiosk; ``idempotency_key`` is made once per tap."""

    service_code: str
    priority: str | None = None
    lang: str = "uk"
    idempotency_key: str | None = None


@dataclass(frozen=True)
class CheckIn:
    """A booked visitor's code typed at the kiosk."""

    booking_code: str
    lang: str = "uk"


def walk_in(services: Services, kiosk: PairedDevice, public_base_url: str, tap: WalkIn) -> dict[str, Any]:
    """A walk-in ticket, as the kiosk shows it, with ``print``.

    A retried tap (its first answer was lost to a crash or a network cut) gets the ticket the first
    one made, never a second one; ``replayed`` says so. Two racing requests with one key meet at the
    unique index: the loser's transaction rolls back (its number with it) and it replays the winner's
    ticket. The slip is printed again only if the first attempt did not print it.
    """
    def issue(uow: UnitOfWork, clock: Clock, history: list[dict[str, Any]]) -> CommandResult:
        return issue_ticket(uow, clock, office_code=kiosk.office_code, service_code=tap.service_code,
                            priority=tap.priority, lang=tap.lang, actor=kiosk.actor,
                            idempotency_key=tap.idempotency_key, history=history)

    earlier = _issued_with_key(services, kiosk, tap)
    if earlier is None:
        try:
            return _answer(services.run(_issue_and_tell, issue, kiosk, public_base_url), public_base_url)
        except IntegrityError:
            earlier = _issued_with_key(services, kiosk, tap)
            if earlier is None:
                raise
    view, ticket = earlier
    printed_before = ticket.print_status == "printed"
    told = services.run(_tell_again, view, ticket.id, kiosk, public_base_url, print_slip=not printed_before)
    return _answer(told, public_base_url, printed_before=printed_before)


def check_in(services: Services, kiosk: PairedDevice, public_base_url: str, arrival: CheckIn) -> dict[str, Any]:
    """A booked visitor's ticket (the appointment claimed and the ticket issued in one unit of work)."""
    def issue(uow: UnitOfWork, clock: Clock, _history: list[dict[str, Any]]) -> CommandResult:
        return check_in_booking(uow, clock, actor=kiosk.actor, booking_code=arrival.booking_code, lang=arrival.lang)

    return _answer(services.run(_issue_and_tell, issue, kiosk, public_base_url), public_base_url)


def _answer(told: Executed[_Told], public_base_url: str, *, printed_before: bool | None = None) -> dict[str, Any]:
    """The ticket as the kiosk shows it (``printed_before`` is None for a new ticket, else a replay's),
    with the print handler's answer when the slip was printed after the commit (None: no printer)."""
    view, ticket, wait, room = dict(told.value.view), told.value.ticket, told.value.wait, told.value.room
    if room is not None:  # a booked visitor is told their slot and room, not a queue estimate
        view |= {"appointment_room_uk": room.name_uk, "appointment_room_en": room.name_en}
    printed = {"ok": True, "error": None} if printed_before else told.replies.first(PrintRequested)
    return view | {"position": wait.position, "eta_min": wait.eta_min,
                   "eta_range_min": list(wait.eta_range_min) if wait.eta_range_min else None,
                   "eta_text": wait.words(ticket.lang), "served_now": wait.served_now,
                   "status_url": status_url(public_base_url, view["public_token"]),
                   "replayed": printed_before is not None, "print": printed}


@dataclass(frozen=True)
class _Told:
    """What one issuing transaction produced: the ticket, what the visitor is told, the room if booked."""

    view: dict[str, Any]
    ticket: Ticket | TicketRow  # the row as issued; a replay's, as loaded
    wait: WaitView
    room: Desk | None  # detached, its names loaded


def _issue_and_tell(uow: UnitOfWork, clock: Clock,
                    issue: Callable[[UnitOfWork, Clock, list[dict[str, Any]]], CommandResult],
                    kiosk: PairedDevice, public_base_url: str) -> _Told:
    """Issue, read the position and estimate, and record what is shown, in one unit of work
    (decision 026): the reads see the new ticket in its own transaction, and the ``estimated``
    event commits with it instead of in a second write. ``issue`` may leave history rows for this
    function to write (the walk-in's ``issued`` row): they go with the ``estimated`` row, one statement."""
    history: list[dict[str, Any]] = []
    result = issue(uow, clock, history)
    ticket = result.entry
    assert result.ticket is not None and ticket is not None
    wait = wait_view(uow.session, ticket, clock.now(), result.issued_at)
    room = _room(uow.session, ticket)
    if wait.eta_range_min is not None:
        history.append(shown_estimate(clock, ticket.id, ticket.office_id, kiosk.id, wait))
    if history:
        append_ticket_events(uow.session, history)
    _request_slip(uow, kiosk, status_url(public_base_url, result.ticket["public_token"]), ticket, wait, room)
    return _Told(result.ticket, ticket, wait, room)


def _tell_again(uow: UnitOfWork, clock: Clock, view: dict[str, Any], ticket_id: int, kiosk: PairedDevice,
                public_base_url: str, *, print_slip: bool) -> _Told:
    """A replayed tap (rare): the ticket's wait as of now, and its slip again if it is not out yet;
    nothing new is recorded."""
    ticket = uow.session.get_one(Ticket, ticket_id)
    wait, room = wait_view(uow.session, ticket, clock.now()), _room(uow.session, ticket)
    if print_slip:
        _request_slip(uow, kiosk, status_url(public_base_url, view["public_token"]), ticket, wait, room)
    return _Told(view, ticket, wait, room)


def _request_slip(uow: UnitOfWork, kiosk: PairedDevice, url: str, ticket: Ticket | TicketRow, wait: WaitView,
                  room: Desk | None) -> None:
    """Collect the slip to print after the commit (the bus's print handler), when the kiosk has a printer."""
    if kiosk.printer_url:
        slip = build_slip(ticket, wait.position, wait.eta_min, url, wait.words(ticket.lang),
                          room=localized(room, "name", ticket.lang) if room else None, served_now=wait.served_now)
        uow.collect(PrintRequested(ticket.id, ticket.office_id, kiosk.printer_url, slip, kiosk.id))


def _room(session: Session, ticket: Ticket | TicketRow) -> Desk | None:
    return appointment_room(session, ticket.appointment_id) if ticket.appointment_id else None


def shown_estimate(clock: Clock, ticket_id: int, office_id: int, device_id: int, wait: WaitView) -> dict[str, Any]:
    """The history row that keeps what the visitor was told (an ``estimated`` event), so the hall view can
    measure the estimate against the wait that followed (decision 020); written in the issuing unit of
    work (decision 026)."""
    assert wait.eta_range_min is not None
    low, high = wait.eta_range_min
    return ticket_event(ticket_id=ticket_id, office_id=office_id, kind="estimated", at=clock.now(),
                        actor=Actor(device_id=device_id),
                        data={"eta_min": wait.eta_min, "low": low, "high": high, "position": wait.position})


def _issued_with_key(services: Services, kiosk: PairedDevice, tap: WalkIn) -> tuple[dict[str, Any], Ticket] | None:
    """The ticket this kiosk already made for ``key`` (its view and row), if any.

    A key reused for another service or priority is a client fault, refused rather than answered
    with somebody else's ticket.
    """
    if not tap.idempotency_key:
        return None
    with services.db.read() as s:
        ticket = s.scalar(select(Ticket).where(Ticket.issued_by_device_id == kiosk.id,
                                               Ticket.idempotency_key == tap.idempotency_key))
        if ticket is None:
            return None
        if ticket.service.code != tap.service_code or ticket.priority != (tap.priority or None):
            raise Conflict("error.idempotency_key_reused")
        return ticket_view(s, ticket), ticket

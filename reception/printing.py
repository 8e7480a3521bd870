"""Printing a committed ticket: build the slip, hand it to the printer, log the outcome.

The ticket is committed before this runs, so a jammed or absent printer can only cost a
piece of paper: the kiosk shows the code and QR on screen and staff see the fault.
"""

from __future__ import annotations

import logging
from typing import Any

from . import i18n
from .auth import Actor
from .domain import local_now
from .models import Ticket, TicketEvent
from .ports import PrintOutcome, TicketSlip
from .security import public_base_url

log = logging.getLogger(__name__)

i18n.register(
    {
        "slip.people_ahead": {"uk": "Перед вами", "en": "People ahead"},
        "slip.eta": {"uk": "Орієнтовне очікування", "en": "Expected wait"},
        "slip.minutes": {"uk": "хв", "en": "min"},
        "slip.scan": {"uk": "Скануйте, щоб стежити за чергою з телефона", "en": "Scan to follow the queue on your phone"},
        "slip.note": {
            "uk": "Слідкуйте за екраном і звуковим оголошенням. Талон дійсний сьогодні.",
            "en": "Watch the screen and listen for your number. Valid today only.",
        },
        "slip.priority": {"uk": "Пріоритет", "en": "Priority"},
        "slip.appointment": {"uk": "Запис на", "en": "Appointment at"},
        "slip.issued": {"uk": "Видано", "en": "Issued"},
    }
)


def status_url(public_token: str) -> str:
    return f"{public_base_url()}/t/{public_token}"  # configuration only: a forged Host header cannot move it


def build_slip(ticket: Ticket, position: int | None, eta: int | None, url: str, priority_name: str | None) -> TicketSlip:
    lang = ticket.lang
    office = ticket.office
    appointment = None
    if ticket.appointment_at:
        appointment = f"{i18n.t('slip.appointment', lang)} {local_now(ticket.appointment_at, office.timezone):%H:%M}"
    return TicketSlip(
        office_name=i18n.localized(office, "name", lang),
        service_name=i18n.localized(ticket.service, "name", lang),
        code=ticket.code,
        issued_at=local_now(ticket.issued_at, office.timezone),
        people_ahead=position,
        eta_min=eta,
        status_url=url,
        lang=lang,
        priority_label=f"{i18n.t('slip.priority', lang)}: {priority_name}" if priority_name else None,
        appointment_label=appointment,
        note=i18n.t("slip.note", lang),
        labels={k: i18n.t(f"slip.{k}", lang) for k in ("people_ahead", "eta", "minutes", "scan", "issued")},
    )


def slip_for(wiring: Any, ticket_id: int) -> TicketSlip:
    from sqlalchemy import select

    from .models import PriorityCategory
    from .readmodels import position_and_eta

    with wiring.db.read() as s:
        ticket = s.get(Ticket, ticket_id)
        assert ticket is not None
        position, eta = position_and_eta(s, ticket)
        priority_name = None
        if ticket.priority and ticket.priority != "appointment":
            category = s.scalar(select(PriorityCategory).where(PriorityCategory.code == ticket.priority))
            priority_name = i18n.localized(category, "name", ticket.lang) if category else ticket.priority
        return build_slip(ticket, position, eta, status_url(ticket.public_token or ""), priority_name)


def record_print(wiring: Any, ticket_id: int, outcome: PrintOutcome, actor: Actor | None) -> None:
    with wiring.db.write() as s:
        ticket = s.get(Ticket, ticket_id)
        if ticket is None:
            return
        ticket.print_status = "printed" if outcome.ok else "failed"
        s.add(TicketEvent(ticket_id=ticket.id, office_id=ticket.office_id, kind="printed" if outcome.ok else "print_failed",
                          at=wiring.clock.now(), actor_device_id=actor.device_id if actor else None,
                          reason=outcome.error, data={"printer": outcome.printer}))


def print_ticket(wiring: Any, ticket_id: int | None, printer_url: str, actor: Actor | None) -> dict[str, Any]:
    """Print and report ``{ok, error}`` for the kiosk screen; never raises."""
    if ticket_id is None:
        return {"ok": False, "error": "no ticket"}
    try:
        slip = slip_for(wiring, ticket_id)
        if wiring.printer_factory is None:
            outcome = PrintOutcome(ok=False, printer=printer_url, error="printing is not configured")
        else:
            outcome = wiring.printer_factory(printer_url).print_slip(slip)
    except Exception as exc:  # a printer fault must never lose the committed ticket
        log.exception("printing ticket %s failed", ticket_id)
        outcome = PrintOutcome(ok=False, printer=printer_url, error=str(exc)[:200])
    try:
        record_print(wiring, ticket_id, outcome, actor)
    except Exception:
        log.exception("recording print outcome of ticket %s failed", ticket_id)
    return {"ok": outcome.ok, "error": outcome.error}

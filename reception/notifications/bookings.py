"""A leadership booking with the visitor's consent to messages: the call-centre's booking, the
subscriptions (SMS to the booking's phone, e-mail to the address given) and the confirmation (code,
date, time, room, what to bring), all in one unit of work (decision 038). Without consent nothing is
stored for messages and nothing is sent."""

from __future__ import annotations

from typing import Any

from reception.kernel.errors import ValidationFailed
from reception.kernel.identity import Actor
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import booking
from reception.leadership.models import Appointment
from reception.notifications.config import NotifyConfig
from reception.notifications.subscriptions import clean_address, subscribe_appointment
from reception.notifications.triggers import booking_confirmed
from reception.platform.clock import Clock


def book_with_consent(uow: UnitOfWork, clock: Clock, actor: Actor, session_id: int, *, consent: bool,
                      sms: bool, email: str | None, config: NotifyConfig, **visit: Any) -> dict[str, Any]:
    """Book as :func:`reception.leadership.booking.book` does; with ``consent``, subscribe the booking by
    SMS (to the booking's phone) and/or e-mail and send the confirmation. Bad addresses refuse the whole."""
    wanted: list[tuple[str, str | None]] = []
    if sms and visit.get("phone"):  # to the booking's phone (the booking checks it); none given, no SMS
        wanted.append(("sms", visit["phone"]))
    if email:
        wanted.append(("email", email))
    if wanted and not consent:
        raise ValidationFailed("error.consent_required")
    for channel, address in wanted:
        clean_address(channel, address)  # refused before any place is claimed
    result = booking.book(uow, clock, actor, session_id, **visit)
    if not wanted:
        return result
    session = uow.session
    appt = session.get(Appointment, result["id"])
    assert appt is not None
    office = appt.session.office
    for channel, address in wanted:
        sub = subscribe_appointment(uow, clock, appt.id, channel, address, config, office.id, appt.lang)
        booking_confirmed(session, clock.now(), sub, appt, office)
    return result

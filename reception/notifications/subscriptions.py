"""Subscriptions: a visitor's consent to messages about one ticket or one booking, on one channel.

Commands (``(uow, clock, ...)``): subscribe from the phone page, unsubscribe with one tap, bind a
Telegram chat or a Viber user by the deep link's payload, subscribe a booking at booking time with
consent. The personal data they hold (a phone, an e-mail address, a chat id) are found, exported,
erased and cleared a day after the visit by ``reception.notifications.personal_data`` (decision 037).
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.kernel.bounds import SPACE
from reception.kernel.errors import Conflict, NotFound, ValidationFailed
from reception.kernel.phones import normalise_phone
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership.models import Appointment
from reception.notifications.config import NotifyConfig
from reception.notifications.models import CHANNELS, Subscription
from reception.notifications.outbox import enqueue
from reception.notifications.texts import buttons, lang_of, say
from reception.platform.clock import Clock
from reception.platform.i18n import Text
from reception.queue.models import Ticket
from reception.queue.states import OPEN_STATUSES

MESSENGERS = ("telegram", "viber")
# Plain enough to refuse typos, loose enough for every real address (the provider has the last word).
# Whitespace spelled out (kernel.bounds.SPACE): the OpenAPI document states this pattern, and ECMA's ``\s``
# is not Python's.
EMAIL = re.compile(rf"^[^@{SPACE}<>()\[\],;:\"]{{1,64}}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{{2,63}}$")
EMAIL_MAX = 254


class BadAddress(ValidationFailed):
    """A phone or e-mail address that cannot be (400: bad input, nothing stored)."""

    status = 400


def clean_address(channel: str, raw: str | None) -> str | None:
    """The address to store for ``channel``: E.164 for SMS, a checked e-mail, None for a messenger."""
    if channel in MESSENGERS:
        return None
    text = (raw or "").strip()
    if not text:
        raise BadAddress("error.subscription_address")
    if channel == "sms":
        try:
            return normalise_phone(text)
        except ValidationFailed as exc:
            raise BadAddress("error.bad_phone", **exc.params) from exc
    if len(text) > EMAIL_MAX or EMAIL.fullmatch(text) is None:
        raise BadAddress("error.bad_email", email=text[:80])
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def ticket_by_token(session: Session, public_token: str) -> Ticket:
    ticket = session.scalar(select(Ticket).where(Ticket.public_token == public_token)) if public_token else None
    if ticket is None:
        raise NotFound("error.unknown_ticket")
    return ticket


def live(session: Session, **where: Any) -> list[Subscription]:
    """Live (not revoked) subscriptions matching ``where`` (column = value)."""
    query = select(Subscription).where(Subscription.revoked_at.is_(None))
    for name, value in where.items():
        query = query.where(getattr(Subscription, name) == value)
    return list(session.scalars(query.order_by(Subscription.id)))


def subscription_view(sub: Subscription, config: NotifyConfig) -> dict[str, Any]:
    view: dict[str, Any] = {"id": sub.id, "channel": sub.channel, "bound": sub.bound_at is not None}
    if sub.channel in MESSENGERS and sub.bind_token and sub.bound_at is None:
        view["link"] = config.deep_link(sub.channel, sub.bind_token)
    return view


def subscribe(uow: UnitOfWork, clock: Clock, public_token: str, channel: str, address: str | None,
              config: NotifyConfig) -> tuple[dict[str, Any], bool]:
    """Subscribe the ticket behind ``public_token`` (the view, and whether it was made now: a second
    subscription of the ticket to the same channel answers the first, unchanged)."""
    if channel not in CHANNELS:
        raise ValidationFailed.because(Text.of("error.input.choice", name="channel", choices=tuple(CHANNELS)))
    session = uow.session
    ticket = ticket_by_token(session, public_token)
    if ticket.status not in OPEN_STATUSES:
        raise Conflict("error.subscription_closed")
    if channel in MESSENGERS and config.deep_link(channel, "x") is None:
        raise Conflict("error.channel_off", channel=channel.capitalize())
    clean = clean_address(channel, address)
    existing = live(session, ticket_id=ticket.id, channel=channel)
    if existing:
        return subscription_view(existing[0], config), False
    now = clock.now()
    sub = Subscription(office_id=ticket.office_id, channel=channel, address=clean, ticket_id=ticket.id,
                       topic="visit", lang=lang_of(ticket.lang), created_at=now, data={},
                       bind_token=secrets.token_urlsafe(24) if channel in MESSENGERS else None,
                       bound_at=None if channel in MESSENGERS else now)
    session.add(sub)
    session.flush()
    audit(session, now, None, "subscription.create", "subscription", sub.id,
          {"channel": channel, "ticket": ticket.id, "office": ticket.office_id})
    if sub.bound_at is not None:
        confirm(session, now, sub, config, ticket=ticket)
    return subscription_view(sub, config), True


def confirm(session: Session, now: datetime, sub: Subscription, config: NotifyConfig, *,
            ticket: Ticket | None = None, appointment: Appointment | None = None) -> None:
    """The first message of a bound subscription: what it is for, and how to stop it."""
    assert sub.address is not None
    if ticket is not None:
        body = say("notify.subscribed", sub.lang, code=ticket.code)
        page = config.page_url(ticket.public_token) if ticket.public_token else None
        subject = say("notify.subject.ticket", sub.lang, code=ticket.code)
        found = buttons(sub.lang, page_url=page, late=False, cancel=False)
    else:
        assert appointment is not None
        from reception.leadership import codes

        code = codes.display(appointment.booking_code)
        body = say("notify.subscribed_booking", sub.lang, code=code)
        subject = say("notify.subject.booking", sub.lang, code=code)
        found = []
    enqueue(session, at=now, key=f"subscribed:{sub.id}", channel=sub.channel, address=sub.address,
            kind="subscribed", body=body, office_id=sub.office_id, subscription_id=sub.id, ticket_id=sub.ticket_id,
            appointment_id=sub.appointment_id, subject=subject if sub.channel == "email" else None,
            buttons=with_data(found, sub.id))


def with_data(found: list[dict[str, Any]], sub_id: int) -> list[dict[str, Any]]:
    """Each button's reply data, as a callback carries it back ("late:42"): the subscription it is about."""
    return [{**b, "data": f"{b['action']}:{sub_id}"} for b in found]


def unsubscribe(uow: UnitOfWork, clock: Clock, subscription_id: int, public_token: str) -> None:
    """One tap: the subscription of the ticket behind ``public_token`` is revoked and its address
    forgotten; any other token (or none) finds nothing."""
    session = uow.session
    sub = session.scalar(select(Subscription).join(Ticket, Ticket.id == Subscription.ticket_id)
                         .where(Subscription.id == subscription_id, Ticket.public_token == public_token,
                                Subscription.revoked_at.is_(None))) if public_token else None
    if sub is None:
        raise NotFound("error.unknown_subscription")
    revoke(session, clock.now(), sub, via="web")


def revoke(session: Session, now: datetime, sub: Subscription, *, via: str) -> None:
    sub.revoked_at, sub.address, sub.bind_token = now, None, None
    audit(session, now, None, "subscription.revoke", "subscription", sub.id, {"via": via})


def bind(session: Session, now: datetime, channel: str, payload: str, address: str) -> Subscription | None:
    """The deep link's ``payload`` opened in ``channel`` by chat/user ``address``: that subscription is
    bound to it (None: no such live link, or it is bound to another chat already)."""
    if not payload or len(payload) > 64:
        return None
    sub = session.scalar(select(Subscription).where(Subscription.bind_token == payload,
                                                    Subscription.channel == channel,
                                                    Subscription.revoked_at.is_(None)))
    if sub is None or (sub.address is not None and sub.address != address):
        return None
    if sub.bound_at is None:
        sub.address, sub.bound_at = address, now
        audit(session, now, None, "subscription.bind", "subscription", sub.id, {"via": channel})
    return sub


def subscribe_appointment(uow: UnitOfWork, clock: Clock, appointment_id: int, channel: str, address: str | None,
                          config: NotifyConfig, office_id: int, lang: str = "uk") -> Subscription:
    """A booking's subscription, taken with the visitor's consent at booking time (SMS or e-mail)."""
    if channel not in ("sms", "email"):
        raise ValidationFailed.because(Text.of("error.input.choice", name="channel", choices=("sms", "email")))
    clean = clean_address(channel, address)
    session = uow.session
    now = clock.now()
    sub = Subscription(office_id=office_id, channel=channel, address=clean, appointment_id=appointment_id,
                       topic="visit", lang=lang_of(lang), created_at=now, bound_at=now, data={})
    session.add(sub)
    session.flush()
    audit(session, now, None, "subscription.create", "subscription", sub.id,
          {"channel": channel, "appointment": appointment_id, "office": office_id})
    return sub


def ticket_subscriptions(session: Session, ticket: Ticket, config: NotifyConfig) -> list[dict[str, Any]]:
    return [subscription_view(s, config) for s in live(session, ticket_id=ticket.id)]


# --- personal data: find, export, erase, retention ------------------------------------------------

"""The visitor's replies — "I'm running late", "cancel", "stop" — by inline button (Telegram, Viber),
by reply word (SMS) or from the phone page (where the e-mail's links lead), and the webhooks' binding.

Each reply is a command through the same rules as the desk's (``queue.commands.move_back`` and
``visitor_cancel``, ``leadership.booking.cancel_by_visitor``), audited with no actor and the channel it
came by, and answered with a message in the same transaction (decision 038). A refusal (late twice, a
ticket no longer waiting) is answered in words, not by an error to the provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.kernel.errors import Conflict, DomainError
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import codes
from reception.leadership.booking import cancel_by_visitor
from reception.leadership.models import Appointment
from reception.leadership.settings import LeadershipSettings
from reception.notifications.config import NotifyConfig
from reception.notifications.hook_models import HookUpdate, VisitorReply
from reception.notifications.hooks import IGNORE, Inbound
from reception.notifications.models import Subscription
from reception.notifications.outbox import enqueue
from reception.notifications.subscriptions import bind, confirm, revoke, ticket_by_token
from reception.notifications.texts import lang_of, say
from reception.offices.rules import OfficeSettings
from reception.platform import i18n
from reception.platform.clock import Clock
from reception.queue import commands as queue
from reception.queue.models import Ticket
from reception.queue.states import OPEN_STATUSES


@dataclass(frozen=True)
class Answer:
    """What a reply did: ``ok`` (acted) or refused, and the words the visitor was (or is) told."""

    ok: bool
    text: str


def _refusal(error: DomainError, lang: str) -> str:
    return i18n.t(error.message_key, lang_of(lang), **error.params)


def _record(session: Session, kind: str, via: str, now: Any, *, ticket_id: int | None = None,
            appointment_id: int | None = None) -> None:
    session.add(VisitorReply(kind=kind, via=via, ticket_id=ticket_id, appointment_id=appointment_id, at=now))
    session.flush()


def late_places(ticket: Ticket) -> int:
    """How far "late" moves a ticket: the office's ``late_move_places`` setting (administration, 1–50)."""
    return OfficeSettings.from_json(ticket.office.settings).late_move_places


def act_on_ticket(uow: UnitOfWork, clock: Clock, ticket: Ticket, action: str, via: str,
                  config: NotifyConfig, *, refuse: bool = False) -> Answer:
    """Late or cancel for a ticket; the answer's words (refusals included, nothing changed then; with
    ``refuse`` a refusal is raised instead, as the desk's commands do)."""
    lang = ticket.lang
    try:
        if action == "late":
            moved = queue.move_back(uow, clock, ticket.id, late_places(ticket), via=via)
            _record(uow.session, "late", via, clock.now(), ticket_id=ticket.id)
            if moved.moved == 0:
                return Answer(True, say("notify.late_last", lang, code=moved.code))
            return Answer(True, say("notify.late_done", lang, code=moved.code, ahead=moved.ahead))
        if action == "cancel":
            queue.visitor_cancel(uow, clock, ticket.id, via=via)
            _record(uow.session, "cancel", via, clock.now(), ticket_id=ticket.id)
            return Answer(True, say("notify.cancel_done", lang, code=ticket.code))
    except DomainError as refused:
        if refuse:
            raise
        return Answer(False, _refusal(refused, lang))
    raise ValueError(action)


def act_on_appointment(uow: UnitOfWork, clock: Clock, appt: Appointment, action: str, via: str) -> Answer:
    """Late (within the check-in's lateness rule, once) or cancel for a booking."""
    session = uow.session
    lang = appt.lang
    code = codes.display(appt.booking_code)
    office = appt.session.office
    try:
        if action == "late":
            if appt.status != "booked":
                raise Conflict("error.cancel_booking_not_open", code=code)
            if session.scalar(select(VisitorReply.id).where(VisitorReply.appointment_id == appt.id,
                                                            VisitorReply.kind == "late")) is not None:
                raise Conflict("error.late_again", code=code)
            late_min = LeadershipSettings.from_json(office.settings).checkin_late_min
            closes = min(appt.slot_at + timedelta(minutes=late_min), appt.session.ends_at)
            until = i18n_time(closes, office.timezone)
            now = clock.now()
            if now > closes:
                raise Conflict("error.late_booking_closed", until=until)
            _record(session, "late", via, now, appointment_id=appt.id)
            audit(session, now, None, "appointment.late", "appointment", appt.id, {"via": via})
            return Answer(True, say("notify.late_booking", lang, code=code, until=until))
        if action == "cancel":
            cancel_by_visitor(uow, clock, appt.id, via=via)
            _record(session, "cancel", via, clock.now(), appointment_id=appt.id)
            return Answer(True, say("notify.cancel_booking_done", lang, code=code))
    except DomainError as refused:
        return Answer(False, _refusal(refused, lang))
    raise ValueError(action)


def i18n_time(moment: Any, tz: str) -> str:
    from zoneinfo import ZoneInfo

    return str(moment.astimezone(ZoneInfo(tz)).strftime("%H:%M"))


def reply_from_page(uow: UnitOfWork, clock: Clock, public_token: str, action: str,
                    config: NotifyConfig) -> Answer:
    """The phone page's "Запізнююсь" / "Скасувати" (and the e-mail's links, which lead there)."""
    ticket = ticket_by_token(uow.session, public_token)
    answer = act_on_ticket(uow, clock, ticket, action, "web", config, refuse=True)
    if answer.ok:
        audit(uow.session, clock.now(), None, f"ticket.visitor_{action}", "ticket", ticket.id, {"via": "web"})
    return answer


# --- webhooks --------------------------------------------------------------------------------------


def _seen(session: Session, inbound: Inbound, now: Any) -> bool:
    """Whether this update was processed before; marks it processed otherwise (in this transaction)."""
    if inbound.update_id is None:
        return False
    key = inbound.update_id
    if session.scalar(select(HookUpdate.id).where(HookUpdate.channel == inbound.channel,
                                                  HookUpdate.update_id == key)) is not None:
        return True
    try:
        with session.begin_nested():
            session.add(HookUpdate(channel=inbound.channel, update_id=key, at=now))
    except IntegrityError:  # processed meanwhile by another worker
        return True
    return False


def _subscription_for(session: Session, inbound: Inbound) -> Subscription | None:
    """The live subscription a reply is about: the one its button names (if it is this chat's), else
    this address's newest whose ticket is open or booking is active."""
    if inbound.address is None:
        return None
    if inbound.subscription_id is not None:
        sub = session.get(Subscription, inbound.subscription_id)
        if sub is not None and sub.revoked_at is None and sub.channel == inbound.channel \
                and sub.address == inbound.address:
            return sub
    candidates = session.scalars(
        select(Subscription).where(Subscription.channel == inbound.channel, Subscription.address == inbound.address,
                                   Subscription.revoked_at.is_(None)).order_by(Subscription.id.desc()).limit(20)).all()
    for sub in candidates:
        if sub.ticket_id is not None:
            ticket = session.get(Ticket, sub.ticket_id)
            if ticket is not None and ticket.status in OPEN_STATUSES:
                return sub
        elif sub.appointment_id is not None:
            appt = session.get(Appointment, sub.appointment_id)
            if appt is not None and appt.status == "booked":
                return sub
    return candidates[0] if candidates else None


def _answer(session: Session, now: Any, inbound: Inbound, text: str, *, sub: Subscription | None,
            kind: str) -> None:
    address = sub.address if sub is not None and sub.address else inbound.address
    if not address:
        return
    key = f"hook:{inbound.channel}:{inbound.update_id}" if inbound.update_id else \
        f"hook:{inbound.channel}:{kind}:{sub.id if sub else address}:{now.isoformat()}"
    enqueue(session, at=now, key=key[:128], channel=inbound.channel, address=address, kind=kind, body=text,
            office_id=sub.office_id if sub else None, subscription_id=sub.id if sub else None,
            ticket_id=sub.ticket_id if sub else None, appointment_id=sub.appointment_id if sub else None,
            subject=None)


@dataclass(frozen=True)
class Handled:
    """What an update did (``outcome``, for the log and the tests) and, for Viber's conversation_started,
    the welcome message the webhook's answer carries (Viber lets a bot write first only that way)."""

    outcome: str
    welcome: str | None = None


def handle_inbound(uow: UnitOfWork, clock: Clock, inbound: Inbound, config: NotifyConfig) -> Handled:
    """Act on one verified update. Outcomes: ``ignored``, ``replayed``, ``bound``, ``unknown_link``,
    ``welcome``, ``replied``, ``refused``, ``stopped``, ``unknown_reply``, ``acknowledged``."""
    if inbound.kind == IGNORE:
        return Handled("ignored")
    session = uow.session
    now = clock.now()
    if _seen(session, inbound, now):
        return Handled("replayed")
    lang = inbound.lang or "uk"
    viber_first = inbound.channel == "viber" and inbound.kind in ("welcome", "bind")
    if inbound.kind == "welcome":
        if viber_first:
            return Handled("welcome", say("notify.welcome", lang))
        _answer(session, now, inbound, say("notify.welcome", lang), sub=None, kind="welcome")
        return Handled("welcome")
    if inbound.kind == "bind":
        assert inbound.address is not None and inbound.payload is not None
        sub = bind(session, now, inbound.channel, inbound.payload, inbound.address)
        if sub is None:
            if viber_first:
                return Handled("unknown_link", say("notify.unknown_link", lang))
            _answer(session, now, inbound, say("notify.unknown_link", lang), sub=None, kind="unknown_link")
            return Handled("unknown_link")
        ticket = session.get(Ticket, sub.ticket_id) if sub.ticket_id else None
        appt = session.get(Appointment, sub.appointment_id) if sub.appointment_id else None
        if viber_first:
            code = ticket.code if ticket else codes.display(appt.booking_code) if appt else ""
            key = "notify.subscribed" if ticket else "notify.subscribed_booking"
            return Handled("bound", say(key, sub.lang, code=code))
        confirm(session, now, sub, config, ticket=ticket, appointment=appt)
        return Handled("bound")
    if inbound.kind == "unsubscribed":
        for sub in session.scalars(select(Subscription).where(Subscription.channel == inbound.channel,
                                                              Subscription.address == inbound.address,
                                                              Subscription.revoked_at.is_(None))).all():
            revoke(session, now, sub, via=inbound.channel)
        return Handled("stopped")
    sub = _subscription_for(session, inbound)
    if sub is None:
        return Handled("ignored")  # nobody we know: never message a stranger
    lang = sub.lang
    if inbound.action == "ack":
        return Handled("acknowledged")
    if inbound.action is None:
        _answer(session, now, inbound, say("notify.unknown_reply", lang), sub=sub, kind="reply_answer")
        return Handled("unknown_reply")
    if inbound.action == "stop":
        _answer(session, now, inbound, say("notify.stopped", lang), sub=sub, kind="reply_answer")
        revoke(session, now, sub, via=inbound.channel)
        return Handled("stopped")
    if sub.ticket_id is not None:
        ticket = session.get(Ticket, sub.ticket_id)
        assert ticket is not None
        answer = act_on_ticket(uow, clock, ticket, inbound.action, inbound.channel, config)
        target: tuple[str, int] = ("ticket", ticket.id)
    else:
        appt = session.get(Appointment, sub.appointment_id)
        assert appt is not None
        answer = act_on_appointment(uow, clock, appt, inbound.action, inbound.channel)
        target = ("appointment", appt.id)
    if answer.ok:
        audit(session, now, None, f"{target[0]}.visitor_{inbound.action}", target[0], target[1],
              {"via": inbound.channel})
    _answer(session, now, inbound, answer.text, sub=sub, kind="reply_answer")
    return Handled("replied" if answer.ok else "refused")

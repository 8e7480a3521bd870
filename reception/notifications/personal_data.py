"""The personal data of the notifications slice: the address of a message and of a subscription
(a phone, an e-mail, a chat id). Decisions 018 and 037.

- **The storage run** (``anonymise_notifications``, run by the server's daily job after the records'
  run): an address is kept only while it can still be used. A message's address is blanked once the
  message is sent or failed and ``NOTIFY_KEEP_DAYS`` have passed since it was written, or at once when
  its booking was anonymised; a visitor's subscription's a day after the visit (its ticket closed, its
  booking's time or cancellation, its revocation), or at once when its booking was anonymised. The row stays (channel, kind, state and times
  count in statistics); the audit log gets one line per run with the numbers, never an address.
- **One person's data on request**: the leadership's find, export and erase, with the messages and
  subscriptions of the same visits (the person's bookings and the tickets of their records and
  bookings) and the SMS sent to the person's phone. Erasure blanks them, except those of a booking or
  card the law keeps (they go with it); a queued message is stopped (failed, "erased on request").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.kernel.errors import Conflict, NotFound
from reception.kernel.identity import Actor
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import personal_data as leadership
from reception.leadership.models import Appointment
from reception.notifications.models import Message, Subscription
from reception.notifications.reads import mask_address
from reception.platform.clock import Clock
from reception.platform.db import rows_changed
from reception.queue.models import Ticket
from reception.queue.states import OPEN_STATUSES

KEEP_DAYS = 30
SUBSCRIPTION_KEEP = timedelta(days=1)  # a visitor's subscription's address, after the visit
ERASED = "erased on request"


@dataclass(frozen=True)
class NotificationsAnonymised:
    messages: int = 0
    subscriptions: int = 0


def anonymise_notifications(uow: UnitOfWork, clock: Clock, keep_days: int = KEEP_DAYS) -> NotificationsAnonymised:
    """The storage run's part for messages and subscriptions (see the module's text)."""
    s = uow.session
    now = clock.now()
    cutoff = now - timedelta(days=keep_days)
    anonymised_appointments = select(Appointment.id).where(Appointment.anonymised_at.is_not(None))
    messages = rows_changed(s.execute(update(Message).where(
        Message.address != "", Message.status.in_(("sent", "failed")),
        or_(Message.created_at < cutoff, Message.appointment_id.in_(anonymised_appointments)),
    ).values(address="").execution_options(synchronize_session=False)))
    # A visitor's subscription is of use only until the visit: its address goes a day after it.
    visit_over = now - SUBSCRIPTION_KEEP
    closed_tickets = select(Ticket.id).where(Ticket.status.not_in(list(OPEN_STATUSES)), Ticket.finished_at < visit_over)
    past_appointments = select(Appointment.id).where(or_(Appointment.slot_at < visit_over,
                                                         Appointment.cancelled_at < visit_over))
    subscriptions = rows_changed(s.execute(update(Subscription).where(
        Subscription.address.is_not(None), Subscription.user_id.is_(None),
        or_(Subscription.revoked_at < visit_over, Subscription.ticket_id.in_(closed_tickets),
            Subscription.appointment_id.in_(past_appointments),
            Subscription.appointment_id.in_(anonymised_appointments)),
    ).values(address=None, bind_token=None, revoked_at=func.coalesce(Subscription.revoked_at, now))
        .execution_options(synchronize_session=False)))
    if messages or subscriptions:
        audit(s, now, None, "notifications.anonymise", "messages", None,
              {"messages": messages, "subscriptions": subscriptions, "keep_days": keep_days, "automatic": True})
    return NotificationsAnonymised(messages, subscriptions)


# --- one person's data on request ----------------------------------------------------------------

def _matching(model: type[Message] | type[Subscription], phone: str | None, appointments: frozenset[int],
              tickets: frozenset[int]) -> Any:
    clauses: list[Any] = [model.appointment_id.in_(appointments or {-1}), model.ticket_id.in_(tickets or {-1})]
    if phone:
        clauses.append((model.channel == "sms") & (model.address == phone))
    return or_(*clauses)


def _held(s: Session, subject: leadership.Subject, ids: leadership.HeldIds) -> tuple[list[Message], list[Subscription]]:
    appointments = ids.erasable_appointments | ids.kept_appointments
    tickets = ids.erasable_tickets | ids.kept_tickets
    messages = list(s.scalars(select(Message).where(
        _matching(Message, subject.phone, appointments, tickets), Message.address != "").order_by(Message.id)))
    subscriptions = list(s.scalars(select(Subscription).where(
        _matching(Subscription, subject.phone, appointments, tickets), Subscription.address.is_not(None),
        Subscription.user_id.is_(None)).order_by(Subscription.id)))
    return messages, subscriptions


def _kept(item: Message | Subscription, ids: leadership.HeldIds) -> bool:
    return item.appointment_id in ids.kept_appointments or item.ticket_id in ids.kept_tickets


def find_person(uow: UnitOfWork, clock: Clock, actor: Actor, subject: leadership.Subject) -> dict[str, Any]:
    """The leadership's find, with the person's messages and subscriptions (addresses masked)."""
    found = leadership.find_person(uow, clock, actor, subject)
    ids = leadership.held_ids(uow.session, clock, actor, subject)
    messages, subscriptions = _held(uow.session, subject, ids)
    return found | {
        "messages": [{"id": m.id, "channel": m.channel, "kind": m.kind, "status": m.status,
                      "address": mask_address(m.channel, m.address), "created_at": m.created_at.isoformat(),
                      "erasable": not _kept(m, ids)} for m in messages],
        "subscriptions": [{"id": sub.id, "channel": sub.channel, "address": mask_address(sub.channel, sub.address),
                           "created_at": sub.created_at.isoformat(), "revoked": sub.revoked_at is not None,
                           "erasable": not _kept(sub, ids)} for sub in subscriptions],
    }


def export_person(uow: UnitOfWork, clock: Clock, actor: Actor, subject: leadership.Subject) -> dict[str, Any]:
    """The leadership's export, with the messages (address and text) and subscriptions; logged per item."""
    s = uow.session
    ids = leadership.held_ids(s, clock, actor, subject)
    messages, subscriptions = _held(s, subject, ids)
    try:
        out = leadership.export_person(uow, clock, actor, subject)
    except NotFound:
        if not messages and not subscriptions:
            raise
        out = {"generated_at": clock.now().isoformat(), "subject": subject.as_dict(), "records": [],
               "appointments": [], "notes": [], "offices": {}}
    out["messages"] = [{"id": m.id, "channel": m.channel, "address": m.address, "kind": m.kind, "subject": m.subject,
                        "body": m.body, "status": m.status, "created_at": m.created_at.isoformat(),
                        "sent_at": m.sent_at.isoformat() if m.sent_at else None} for m in messages]
    out["subscriptions"] = [{"id": sub.id, "channel": sub.channel, "address": sub.address, "lang": sub.lang,
                             "created_at": sub.created_at.isoformat(),
                             "revoked_at": sub.revoked_at.isoformat() if sub.revoked_at else None}
                            for sub in subscriptions]
    for m in messages:
        audit(s, clock.now(), actor.user_id, "message.export", "message", m.id)
    for sub in subscriptions:
        audit(s, clock.now(), actor.user_id, "subscription.export", "subscription", sub.id)
    return out


def erase_person(uow: UnitOfWork, clock: Clock, actor: Actor, subject: leadership.Subject,
                 lang: str = "uk") -> dict[str, Any]:
    """The leadership's erasure, then the messages and subscriptions of what went (and the SMS to the
    person's phone); those of a kept booking or card stay with it."""
    s = uow.session
    ids = leadership.held_ids(s, clock, actor, subject)
    messages, subscriptions = _held(s, subject, ids)
    messages = [m for m in messages if not _kept(m, ids)]
    subscriptions = [sub for sub in subscriptions if not _kept(sub, ids)]
    try:
        out = leadership.erase_person(uow, clock, actor, subject, lang)
    except (NotFound, Conflict):
        if not messages and not subscriptions:
            raise
        out = {"erased": {"records": [], "appointments": []}, "kept": []}
    now = clock.now()
    for m in messages:
        m.address = ""
        if m.status == "queued":
            m.status, m.last_error, m.next_attempt_at = "failed", ERASED, now
        audit(s, now, actor.user_id, "message.erase", "message", m.id)
    for sub in subscriptions:
        sub.address = None
        sub.revoked_at = sub.revoked_at or now
        audit(s, now, actor.user_id, "subscription.erase", "subscription", sub.id)
    if messages or subscriptions:  # named only when there were some (the answer is the leadership's otherwise)
        out["erased"] |= {"messages": [m.id for m in messages], "subscriptions": [sub.id for sub in subscriptions]}
    return out

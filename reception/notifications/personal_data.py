"""The personal data of the notifications slice: the address of a message and of a subscription
(a phone, an e-mail, a chat id). Decisions 018 and 037.

- **The storage run** (``anonymise_notifications``, run by the server's daily job after the records'
  run): an address is kept only while it can still be used. A message's address is blanked once the
  message is sent or failed and ``NOTIFY_KEEP_DAYS`` have passed since it was written, or at once when
  its booking was anonymised; a visitor's subscription's a day after the visit (its ticket closed, its
  booking's time or cancellation, its revocation), or at once when its booking was anonymised. The row stays (channel, kind, state and times
  count in statistics); the audit log gets one line per run with the numbers, never an address.
- **One person's data on request**: two parts of the leadership's find, export and erase (its
  ``PARTS`` registry): the messages and subscriptions of the same visits (the person's bookings and
  the tickets of their records and bookings) and the SMS sent to the person's phone. Erasure blanks
  them, except those of a booking or card the law keeps (they go with it); a queued message is
  stopped (failed, "erased on request").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.kernel.identity import Actor
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import personal_data as leadership
from reception.leadership.models import Appointment
from reception.leadership.personal_data_doc import when_text
from reception.notifications.models import Message, Subscription
from reception.notifications.reads import mask_address
from reception.platform.clock import Clock
from reception.platform.db import rows_changed
from reception.platform.i18n import t
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

def _matching(model: type[Message] | type[Subscription], phone: str | None, held: leadership.Held) -> Any:
    """The same visits' rows (the person's appointments and tickets), and the SMS to the person's phone."""
    appointments = held.erasable_appointments | held.kept_appointments
    clauses: list[Any] = [model.appointment_id.in_(appointments or {-1}), model.ticket_id.in_(held.tickets or {-1})]
    if phone:
        clauses.append((model.channel == "sms") & (model.address == phone))
    return or_(*clauses)


def _messages(s: Session, subject: leadership.Subject, held: leadership.Held) -> list[Message]:
    return list(s.scalars(select(Message).where(_matching(Message, subject.phone, held), Message.address != "")
                          .order_by(Message.id)))


def _subscriptions(s: Session, subject: leadership.Subject, held: leadership.Held) -> list[Subscription]:
    return list(s.scalars(select(Subscription).where(
        _matching(Subscription, subject.phone, held), Subscription.address.is_not(None),
        Subscription.user_id.is_(None)).order_by(Subscription.id)))


Row = TypeVar("Row", Message, Subscription)


def _kept(item: Message | Subscription, held: leadership.Held) -> bool:
    """A kept booking's or card's messages stay with it."""
    return item.appointment_id in held.kept_appointments or item.ticket_id in held.kept_tickets


def _exported(s: Session, now: datetime, actor: Actor, what: str, items: Sequence[Row],
              view: Callable[[Row], dict[str, Any]]) -> list[dict[str, Any]]:
    """Each item in full (the person's own data), each export audited by id."""
    for item in items:
        audit(s, now, actor.user_id, f"{what}.export", what, item.id)
    return [view(item) for item in items]


def _erased(s: Session, now: datetime, actor: Actor, what: str, items: Sequence[Row], held: leadership.Held,
            blank: Callable[[Row], None]) -> tuple[list[int], list[dict[str, Any]]]:
    """Blank the address of each item not kept with a booking or card; each erasure audited by id."""
    gone = [item for item in items if not _kept(item, held)]
    for item in gone:
        blank(item)
        audit(s, now, actor.user_id, f"{what}.erase", what, item.id)
    return [item.id for item in gone], []


def find_messages(s: Session, now: datetime, actor: Actor, subject: leadership.Subject,
                  held: leadership.Held) -> list[dict[str, Any]]:
    return [{"id": m.id, "channel": m.channel, "kind": m.kind, "status": m.status,
             "address": mask_address(m.channel, m.address), "created_at": m.created_at.isoformat(),
             "erasable": not _kept(m, held)} for m in _messages(s, subject, held)]


def export_messages(s: Session, now: datetime, actor: Actor, subject: leadership.Subject,
                    held: leadership.Held) -> list[dict[str, Any]]:
    return _exported(s, now, actor, "message", _messages(s, subject, held), lambda m: {
        "id": m.id, "channel": m.channel, "address": m.address, "kind": m.kind, "subject": m.subject,
        "body": m.body, "status": m.status, "created_at": m.created_at.isoformat(),
        "sent_at": m.sent_at.isoformat() if m.sent_at else None})


def erase_messages(s: Session, now: datetime, actor: Actor, subject: leadership.Subject,
                   held: leadership.Held) -> tuple[list[int], list[dict[str, Any]]]:
    """The address goes (a queued message is stopped: failed, "erased on request")."""
    def blank(m: Message) -> None:
        m.address = ""
        if m.status == "queued":
            m.status, m.last_error, m.next_attempt_at = "failed", ERASED, now

    return _erased(s, now, actor, "message", _messages(s, subject, held), held, blank)


def find_subscriptions(s: Session, now: datetime, actor: Actor, subject: leadership.Subject,
                       held: leadership.Held) -> list[dict[str, Any]]:
    return [{"id": sub.id, "channel": sub.channel, "address": mask_address(sub.channel, sub.address),
             "created_at": sub.created_at.isoformat(), "revoked": sub.revoked_at is not None,
             "erasable": not _kept(sub, held)} for sub in _subscriptions(s, subject, held)]


def export_subscriptions(s: Session, now: datetime, actor: Actor, subject: leadership.Subject,
                         held: leadership.Held) -> list[dict[str, Any]]:
    return _exported(s, now, actor, "subscription", _subscriptions(s, subject, held), lambda sub: {
        "id": sub.id, "channel": sub.channel, "address": sub.address, "lang": sub.lang,
        "created_at": sub.created_at.isoformat(), "revoked_at": sub.revoked_at.isoformat() if sub.revoked_at else None})


def erase_subscriptions(s: Session, now: datetime, actor: Actor, subject: leadership.Subject,
                        held: leadership.Held) -> tuple[list[int], list[dict[str, Any]]]:
    def blank(sub: Subscription) -> None:
        sub.address = None
        sub.revoked_at = sub.revoked_at or now

    return _erased(s, now, actor, "subscription", _subscriptions(s, subject, held), held, blank)


def message_rows(item: dict[str, Any], lang: str) -> list[tuple[str, Any]]:
    """One message sent to the person, in the readable document."""
    return [(t("pdd.sent_at", lang), when_text(item.get("sent_at") or item["created_at"])),
            (t("pdd.channel", lang), t(f"pdd.ch.{item['channel']}", lang)), (t("pdd.address", lang), item["address"]),
            (t("pdd.letter_text", lang), item["body"])]


def subscription_rows(item: dict[str, Any], lang: str) -> list[tuple[str, Any]]:
    """One subscription of the person's, in the readable document."""
    return [(t("pdd.subscribed_at", lang), when_text(item["created_at"])),
            (t("pdd.channel", lang), t(f"pdd.ch.{item['channel']}", lang)), (t("pdd.address", lang), item["address"]),
            (t("pdd.revoked_at", lang), when_text(item.get("revoked_at")))]


def register() -> None:
    """Called once by the composition root: the person's messages and subscriptions in the personal-data
    pages (find, export, erase), beside the leadership's own items."""
    leadership.register_part(leadership.PersonalDataPart("messages", find_messages, export_messages, erase_messages,
                                                         "pdd.messages", message_rows))
    leadership.register_part(leadership.PersonalDataPart("subscriptions", find_subscriptions, export_subscriptions,
                                                         erase_subscriptions, "pdd.subscriptions", subscription_rows))

"""Which events send which messages: in-transaction handlers of the kernel's bus (decision 010), so each
message row commits (or rolls back) with the change that causes it (a transactional outbox).

Only for a ticket or a booking with a bound, live subscription: nothing is sent without consent. Each
message's idempotency key names its cause (``called:<ticket>:<version>``), so a cause sends once.

- called (desk or room X); after each call, "your turn is near" to the subscribed waiting visitors of
  the office with at most N ahead or an estimate of at most M minutes (once per ticket);
- the office suspended (air-raid: go to the shelter, your place is kept) and resumed; the bookings the
  resume moved or could not keep;
- a booking cancelled or moved by the call-centre; the reminder the day before (:func:`remind_tomorrow`);
- the visit finished: "how did it go", with the phone page's feedback link;
- a transfer moves the ticket's subscriptions to its new entry (the phone page moves with it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, or_, select, update
from sqlalchemy.orm import Session

from reception.kernel.events import (
    AppointmentChanged,
    Called,
    Finished,
    Resumed,
    Suspended,
    TicketChanged,
    Transferred,
)
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import codes
from reception.leadership.models import Appointment, ReceptionSession
from reception.notifications.config import NotifyConfig
from reception.notifications.models import Message, Subscription
from reception.notifications.outbox import enqueue
from reception.notifications.subscriptions import with_data
from reception.notifications.texts import buttons, date_time, say
from reception.offices.lookups import office_by_code
from reception.offices.models import Office
from reception.platform import i18n
from reception.platform.clock import Clock
from reception.queue.estimates_read import wait_view
from reception.queue.models import Ticket
from reception.queue.states import OPEN_STATUSES, Status

InTransaction = Callable[[UnitOfWork, Any], Any]


def _bound(session: Session, **where: Any) -> list[Subscription]:
    query = select(Subscription).where(Subscription.revoked_at.is_(None), Subscription.bound_at.is_not(None),
                                       Subscription.address.is_not(None))
    for name, value in where.items():
        query = query.where(getattr(Subscription, name) == value)
    return list(session.scalars(query.order_by(Subscription.id)))


def _send(session: Session, now: datetime, sub: Subscription, key: str, kind: str, body: str, *,
          subject: str | None = None, found: list[dict[str, Any]] | None = None) -> None:
    assert sub.address is not None
    enqueue(session, at=now, key=f"{key}:{sub.id}"[:128], channel=sub.channel, address=sub.address, kind=kind,
            body=body, office_id=sub.office_id, subscription_id=sub.id, ticket_id=sub.ticket_id,
            appointment_id=sub.appointment_id, subject=subject if sub.channel == "email" else None,
            buttons=with_data(found or [], sub.id))


def _ticket_message(session: Session, now: datetime, config: NotifyConfig, ticket: Ticket, key: str, kind: str,
                    text_key: str, *, replies: bool = True, **params: Any) -> None:
    for sub in _bound(session, ticket_id=ticket.id):
        page = config.page_url(ticket.public_token) if ticket.public_token else None
        _send(session, now, sub, key, kind, say(text_key, sub.lang, code=ticket.code, **params),
              subject=say("notify.subject.ticket", sub.lang, code=ticket.code),
              found=buttons(sub.lang, page_url=page, late=replies, cancel=replies))


def _ticket_of(session: Session, event: TicketChanged) -> Ticket | None:
    if not event.public_token:
        return None
    return session.scalar(select(Ticket).where(Ticket.public_token == event.public_token))


def _subscribed_ticket(session: Session, now: datetime, event: TicketChanged) -> Ticket | None:
    """The event's ticket when somebody subscribed to it; else None, without a query of its own."""
    if not event.public_token or event.public_token not in _subscribed(session, now, event.office_code):
        return None
    return _ticket_of(session, event)


_SUBSCRIBED = "notifications.subscribed"  # the key of the memo in ``Session.info``
# Built once (call-next's hot path binds only the values, decision 026).
_T, _SUB, _OFF = (cast(Table, m.__table__).c for m in (Ticket, Subscription, Office))
_SUBSCRIBED_TOKENS = (
    # From the office's subscriptions (few) to their tickets: from the tickets, every call-next read all
    # of the office's tickets of the day to find none subscribed.
    select(_T.public_token).select_from(cast(Table, Subscription.__table__)
                                        .join(cast(Table, Office.__table__), _OFF.id == _SUB.office_id)
                                        .join(cast(Table, Ticket.__table__), _T.id == _SUB.ticket_id))
    .where(_OFF.code == bindparam("office"), _T.public_token.is_not(None),
           or_(_T.day >= bindparam("since"), *(_T.status == status for status in OPEN_STATUSES)),
           _SUB.revoked_at.is_(None), _SUB.bound_at.is_not(None), _SUB.address.is_not(None)))


def _subscribed(session: Session, now: datetime, office_code: str) -> frozenset[str]:
    """The public tokens of the office's open or recent tickets that have a live subscription: read once
    per unit of work (the memo lives in its session), so a call-next in an office nobody subscribed in
    pays one short query for all its triggers. Recent: issued since yesterday (UTC), which covers the
    office's today in every time zone, so the ticket a call just finished is still in it."""
    memo: dict[str, frozenset[str]] = session.info.setdefault(_SUBSCRIBED, {})
    if office_code not in memo:
        session.flush()  # a Core read: this transaction's own subscriptions count
        since = (now.astimezone(UTC) - timedelta(days=1)).date()
        memo[office_code] = frozenset(session.connection().execute(
            _SUBSCRIBED_TOKENS, {"office": office_code, "since": since}).scalars())
    return memo[office_code]


class Triggers:
    """The handlers, bound to the clock and the configuration by the composition root."""

    def __init__(self, clock: Clock, config: NotifyConfig) -> None:
        self.clock, self.config = clock, config

    def handlers(self) -> dict[type, list[InTransaction]]:
        return {Called: [self.called], Finished: [self.finished], Transferred: [self.transferred],
                Suspended: [self.suspended], Resumed: [self.resumed], AppointmentChanged: [self.appointment]}

    # --- the queue -----------------------------------------------------------------------------

    def called(self, uow: UnitOfWork, event: Called) -> None:
        session, now = uow.session, self.clock.now()
        ticket = _subscribed_ticket(session, now, event)
        if ticket is not None and event.desk is not None:
            for sub in _bound(session, ticket_id=ticket.id):
                place = (event.desk.desk_name_en if sub.lang == "en" and event.desk.desk_name_en
                         else event.desk.desk_name_uk)
                _send(session, now, sub, f"called:{ticket.id}:{event.version}", "called",
                      say("notify.called", sub.lang, code=ticket.code, place=place),
                      subject=say("notify.subject.ticket", sub.lang, code=ticket.code))
        if _subscribed(session, now, event.office_code):
            self.turn_near(session, now, event.office_code)

    def turn_near(self, session: Session, now: datetime, office_code: str) -> None:
        """One query for the office's subscribed waiting tickets; the estimate only for those not yet told."""
        rows = session.execute(
            select(Ticket, Subscription).join(Subscription, Subscription.ticket_id == Ticket.id)
            .join(Office, Office.id == Ticket.office_id)
            .where(Office.code == office_code, Ticket.status == Status.WAITING, Subscription.revoked_at.is_(None),
                   Subscription.bound_at.is_not(None), Subscription.address.is_not(None))).all()
        if not rows:
            return
        keys = {f"near:{t.id}:{s.id}" for t, s in rows}
        told = set(session.scalars(select(Message.idempotency_key).where(Message.idempotency_key.in_(keys))))
        seen: dict[int, int | None] = {}  # ticket -> how many are ahead, when its turn is near
        for ticket, sub in rows:
            if f"near:{ticket.id}:{sub.id}" in told:
                continue
            if ticket.id not in seen:
                wait = wait_view(session, ticket, now)
                near = wait.position is not None and (
                    wait.position <= self.config.notify_ahead
                    or (wait.eta_min is not None and wait.eta_min <= self.config.notify_within_min))
                seen[ticket.id] = wait.position if near else None
            ahead = seen[ticket.id]
            if ahead is not None:
                page = self.config.page_url(ticket.public_token) if ticket.public_token else None
                _send(session, now, sub, f"near:{ticket.id}", "turn_near",
                      say("notify.turn_near", sub.lang, code=ticket.code, ahead=ahead),
                      subject=say("notify.subject.ticket", sub.lang, code=ticket.code),
                      found=buttons(sub.lang, page_url=page))

    def finished(self, uow: UnitOfWork, event: Finished) -> None:
        session, now = uow.session, self.clock.now()
        ticket = _subscribed_ticket(session, now, event)
        if ticket is None or ticket.public_token is None:
            return
        url = self.config.page_url(ticket.public_token) + "#feedback"
        _ticket_message(session, now, self.config, ticket, f"finished:{ticket.id}", "feedback_ask",
                        "notify.finished", replies=False, url=url)

    def transferred(self, uow: UnitOfWork, event: Transferred) -> None:
        """The phone page moved to the new entry: so do its subscriptions."""
        session = uow.session
        new = _ticket_of(session, event)
        if new is not None and new.transferred_from_id is not None:
            session.execute(update(Subscription).where(Subscription.ticket_id == new.transferred_from_id)
                            .values(ticket_id=new.id).execution_options(synchronize_session=False))
            session.info.pop(_SUBSCRIBED, None)  # the new entry holds them now

    # --- the office: suspension --------------------------------------------------------------

    def _open_ticket_subs(self, session: Session, office_id: int) -> list[tuple[Ticket, Subscription]]:
        return [(t, s) for t, s in session.execute(
            select(Ticket, Subscription).join(Subscription, Subscription.ticket_id == Ticket.id)
            .where(Ticket.office_id == office_id, Ticket.status.in_(list(OPEN_STATUSES)),
                   Subscription.revoked_at.is_(None), Subscription.bound_at.is_not(None),
                   Subscription.address.is_not(None))).all()]

    def suspended(self, uow: UnitOfWork, event: Suspended) -> None:
        session, now = uow.session, self.clock.now()
        office = office_by_code(session, event.office_code)
        text_key = "notify.suspended.air_raid" if event.reason == "air_raid" else "notify.suspended.other"
        for ticket, sub in self._open_ticket_subs(session, office.id):  # one message per suspension, not per update
            _send(session, now, sub, f"suspended:{ticket.id}:{event.since.isoformat()}", "suspended",
                  say(text_key, sub.lang, code=ticket.code))

    def resumed(self, uow: UnitOfWork, event: Resumed) -> None:
        session, now = uow.session, self.clock.now()
        office = office_by_code(session, event.office_code)
        for ticket, sub in self._open_ticket_subs(session, office.id):
            _send(session, now, sub, f"resumed:{ticket.id}:{event.since.isoformat()}", "resumed",
                  say("notify.resumed", sub.lang, code=ticket.code))
        if not (event.appointments_moved or event.appointments_to_rebook):
            return
        rows = session.execute(
            select(Appointment, Subscription).join(Subscription, Subscription.appointment_id == Appointment.id)
            .join(ReceptionSession, ReceptionSession.id == Appointment.session_id)
            .where(ReceptionSession.office_id == office.id, Appointment.status == "booked",
                   (Appointment.shifted_from.is_not(None)) | Appointment.needs_rebooking.is_(True),
                   Subscription.revoked_at.is_(None), Subscription.address.is_not(None))).all()
        for appt, sub in rows:
            when = date_time(appt.slot_at, office.timezone)
            code = codes.display(appt.booking_code)
            if appt.needs_rebooking:
                _send(session, now, sub, f"rebook:{appt.id}", "booking_moved",
                      say("notify.booking_rebook", sub.lang, code=code, date=when["date"]),
                      subject=say("notify.subject.booking", sub.lang, code=code))
            else:
                _send(session, now, sub, f"moved:{appt.id}:{appt.slot_at.isoformat()}", "booking_moved",
                      say("notify.booking_moved", sub.lang, code=code, **when),
                      subject=say("notify.subject.booking", sub.lang, code=code))

    # --- leadership bookings ------------------------------------------------------------------

    def appointment(self, uow: UnitOfWork, event: AppointmentChanged) -> None:
        session, now = uow.session, self.clock.now()
        appt = session.get(Appointment, event.appointment_id)
        if appt is None:
            return
        office = appt.session.office
        if event.change == "cancelled":
            when = date_time(appt.shifted_from or appt.slot_at, office.timezone)
            for sub in _bound(session, appointment_id=appt.id):
                code = codes.display(appt.booking_code)
                _send(session, now, sub, f"booking_cancelled:{appt.id}", "booking_cancelled",
                      say("notify.booking_cancelled", sub.lang, code=code, **when),
                      subject=say("notify.subject.booking", sub.lang, code=code))
        elif event.change == "rebooked":
            for sub in _bound(session, appointment_id=appt.id):
                booking_confirmed(session, now, sub, appt, office, key=f"rebooked:{appt.id}:{appt.slot_at.isoformat()}")


def _place(appt: Appointment, lang: str) -> str:
    rs = appt.session
    if rs.remote:
        return say("notify.place.remote", lang)
    return str(i18n.localized(rs.desk, "name", lang))


def booking_confirmed(session: Session, now: datetime, sub: Subscription, appt: Appointment, office: Office, *,
                      key: str | None = None) -> None:
    """Code, date (dd.mm.yyyy), time, room, what to bring."""
    code = codes.display(appt.booking_code)
    _send(session, now, sub, key or f"booking_confirmed:{appt.id}", "booking_confirmed",
          say("notify.booking_confirmed", sub.lang, code=code, place=_place(appt, sub.lang),
              **date_time(appt.slot_at, office.timezone)),
          subject=say("notify.subject.booking", sub.lang, code=code),
          found=buttons(sub.lang, page_url=None, late=False, cancel=True, stop=True))


def remind_tomorrow(uow: UnitOfWork, clock: Clock) -> int:
    """The reminder the day before: every active booking of tomorrow (office-local) with a subscription.
    A daily job; its key (``reminder:<booking>:<day>``) makes a second run the same day send nothing."""
    session, now = uow.session, clock.now()
    sent = 0
    rows = session.execute(
        select(Appointment, Subscription, Office)
        .join(Subscription, Subscription.appointment_id == Appointment.id)
        .join(ReceptionSession, ReceptionSession.id == Appointment.session_id)
        .join(Office, Office.id == ReceptionSession.office_id)
        .where(Appointment.status == "booked", Appointment.needs_rebooking.is_(False),
               ReceptionSession.status == "scheduled",
               ReceptionSession.day >= (now - timedelta(days=1)).date(),
               ReceptionSession.day <= (now + timedelta(days=2)).date(),
               Subscription.revoked_at.is_(None), Subscription.address.is_not(None))).all()
    for appt, sub, office in rows:
        tomorrow: date = now.astimezone(_zone(office.timezone)).date() + timedelta(days=1)
        if appt.session.day != tomorrow:
            continue
        code = codes.display(appt.booking_code)
        _send(session, now, sub, f"reminder:{appt.id}:{tomorrow.isoformat()}", "booking_reminder",
              say("notify.booking_reminder", sub.lang, code=code, place=_place(appt, sub.lang),
                  **date_time(appt.slot_at, office.timezone)),
              subject=say("notify.subject.booking", sub.lang, code=code),
              found=buttons(sub.lang, page_url=None, late=False, cancel=True, stop=True))
        sent += 1
    return sent


def _zone(tz: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(tz)


def visitor_handlers(clock: Clock, config: NotifyConfig) -> dict[type, list[InTransaction]]:
    """The in-transaction handlers the bootstrap adds to the bus."""
    return Triggers(clock, config).handlers()

"""The core without a web server: database, clock, unit of work, message bus and its handlers.

The app (``reception.app``), the console (``reception.ops.cli``), the simulator and the benchmarks
build the core here and nowhere else. What a handler needs is bound once, at construction: to count
or record what passes (metrics, tests), hand in a wrapped publisher or printer factory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from reception.appeals.inbox import EmailAnswerRequested
from reception.appeals.personal_data import register as register_letters_personal_data
from reception.audit.writer import audit
from reception.booking.pause import shift_self_bookings
from reception.booking.personal_data import register as register_booking_personal_data
from reception.devices.printing import PrintHandler, PrintRequested
from reception.feedback.privacy import register as register_feedback_personal_data
from reception.kernel.events import (
    PUBLISHED,
    ConfigChanged,
    DeskChanged,
    DeviceRevoked,
    PrintOutcomeRecorded,
    Resumed,
    Suspended,
    TicketChanged,
    UserSignedOut,
)
from reception.kernel.messagebus import Handler, MessageBus
from reception.kernel.ports import USER_SIGNED_OUT, DomainEvent, Publisher, TicketPrinter
from reception.kernel.service_layer import Services
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership.pause import shift_bookings
from reception.notifications.config import NotifyConfig
from reception.notifications.personal_data import register as register_notifications_personal_data
from reception.notifications.triggers import visitor_handlers
from reception.platform.clock import Clock, SystemClock
from reception.platform.db import Database

PrinterFactory = Callable[[str], TicketPrinter]

# In-transaction handlers: rules of another slice that commit with the command that collects the
# event (decision 023: a resume shifts the day's bookings, once).
IN_TRANSACTION: dict[type, list[Callable[[Any, Any], Any]]] = {Resumed: [shift_bookings]}
# ... and the self-service bookings of specialist services too (decision 044).
IN_TRANSACTION[Resumed].append(shift_self_bookings)


def with_visitor_messages(clock: Clock, notify: NotifyConfig | None) -> dict[type, list[Callable[[Any, Any], Any]]]:
    """:data:`IN_TRANSACTION` and, after those, the visitor's messages (decision 038): each message row
    commits with its cause (after the bookings' shift, so a resume's message knows what moved)."""
    notify = notify or NotifyConfig.from_env()
    merged = {kind: list(handlers) for kind, handlers in IN_TRANSACTION.items()}
    merged[Resumed] = [partial(h, book_url=f"{notify.public_base_url}/book") if h is shift_self_bookings else h
                       for h in merged[Resumed]]  # the rebooking link, absolute where the base is known
    for kind, handlers in visitor_handlers(clock, notify).items():
        merged.setdefault(kind, []).extend(handlers)
    return merged


def enqueue_email_answer(uow: Any, message: EmailAnswerRequested) -> None:
    """An appeal's answer into the notifications outbox, in the transaction that records it (decision 043)."""
    from reception.notifications.outbox import enqueue

    enqueue(uow.session, at=message.at, key=message.key, channel="email", address=message.address,
            kind="appeal_answer", body=message.body, office_id=message.office_id, subject=message.subject,
            in_reply_to=message.in_reply_to)


IN_TRANSACTION[EmailAnswerRequested] = [enqueue_email_answer]

# Bookings in the personal-data pages and the retention run, which live in a slice below them (decision 044).
register_booking_personal_data()
# Letters of the mail intake in the personal-data pages, beside the records they became (decision 043).
register_letters_personal_data()
# The visitor's messages and subscriptions (decision 037) and feedback (decision 039) of the same visits.
register_notifications_personal_data()
register_feedback_personal_data()


@dataclass(frozen=True)
class Core:
    db: Database
    clock: Clock
    services: Services
    publisher: Publisher | None
    printer_factory: PrinterFactory | None


def bootstrap(db: Database, clock: Clock | None = None, *, publisher: Publisher | None = None,
              printer_factory: PrinterFactory | None = None,
              uow_factory: Callable[[], UnitOfWork] | None = None, notify: NotifyConfig | None = None) -> Core:
    """The core on ``db``: without a publisher nobody hears the live events, without a printer
    factory nothing prints (the simulator, most tests; a kiosk's ticket then answers no print outcome)."""
    the_clock = clock or SystemClock()
    handlers: dict[type, list[Handler]] = {}
    if publisher is not None:
        def publish_wired(event: object) -> None:
            publisher.publish(wire(event))

        handlers |= {kind: [publish_wired] for kind in (DomainEvent, *PUBLISHED)}
    bus = MessageBus(handlers, in_transaction=with_visitor_messages(the_clock, notify))
    if printer_factory is not None:  # its outcome, recorded in its own transaction, goes back to the bus
        bus.subscribe(PrintRequested, PrintHandler(printer_factory, db, the_clock, lambda event: bus.handle([event])))
    services = Services(db, the_clock, bus, audit, uow_factory=uow_factory)
    return Core(db, the_clock, services, publisher, printer_factory)


def wire(event: object) -> DomainEvent:
    """The named message a typed event goes out as (a :class:`DomainEvent` passes unchanged); the bus's
    publishing handler sends this, so every publisher and the fan-out see one shape."""
    if isinstance(event, TicketChanged):
        payload: dict[str, Any] = {"version": event.version, "code": event.code, "status": event.status,
                                   "service": event.service}
        desk = event.desk
        if desk is not None:
            payload |= {"code": event.code, "desk": desk.desk, "desk_name_uk": desk.desk_name_uk,
                        "desk_name_en": desk.desk_name_en, "zone": desk.zone, "at": desk.at}
        if event.waiting is not None:
            payload["waiting"] = dict(event.waiting)
        return DomainEvent(name=event.name, office_code=event.office_code, version=event.version, payload=payload,
                           zone=desk.zone if desk else None, desk_code=desk.desk if desk else None,
                           public_token=event.public_token)
    if isinstance(event, DeskChanged):
        return DomainEvent(name=event.name, office_code=event.office_code, version=event.version,
                           payload={"version": event.version, "desk": event.desk, "status": event.status,
                                    "pause_reason": event.pause_reason},
                           zone=event.zone, desk_code=None)
    if isinstance(event, Suspended):
        from reception.offices.suspension import announcement, notice_words

        payload = {"version": event.version, "office": event.office_code}
        payload |= notice_words(event.reason, event.since, event.resume_at) | announcement(event.reason,
                                                                                           event.minutes_left)
        return DomainEvent(name="suspended", office_code=event.office_code, version=event.version, payload=payload)
    if isinstance(event, Resumed):
        from reception.platform import i18n

        payload = {"version": event.version, "office": event.office_code, "reason": event.reason,
                   "resumed_at": event.resumed_at.isoformat(timespec="seconds")}
        if event.appointments_moved is not None:  # the leader's page and the call-centre refetch on these
            payload |= {"appointments_moved": event.appointments_moved,
                        "appointments_to_rebook": event.appointments_to_rebook}
        payload |= {f"announce_{lang}": i18n.t("suspension.say.resumed", lang) for lang in i18n.LANGS}
        return DomainEvent(name="resumed", office_code=event.office_code, version=event.version, payload=payload)
    if isinstance(event, ConfigChanged):
        return DomainEvent(name="config_changed", office_code=event.office_code, version=event.version,
                           payload={"version": event.version, "what": event.what})
    if isinstance(event, DeviceRevoked):
        return DomainEvent(name="device_revoked", office_code=event.office_code, version=event.version,
                           payload={"version": event.version, "device": event.device_id})
    if isinstance(event, UserSignedOut):  # about a person, not an office
        return DomainEvent(name=USER_SIGNED_OUT, office_code="", version=0, payload={"user": event.user_id})
    if isinstance(event, PrintOutcomeRecorded):
        return DomainEvent(name="printed" if event.ok else "print_failed", office_code=event.office_code,
                           version=event.version, payload={"version": event.version, "device": event.device_id})
    if isinstance(event, DomainEvent):
        return event
    raise TypeError(f"no wire form for {type(event).__name__}")

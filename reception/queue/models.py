"""Tables of the queue: tickets, their history, the per-day counters and desk events."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reception.offices.models import Desk, Office, Service
from reception.platform.orm import Base, UTCDateTime, aware_dt, intpk


class TicketCounter(Base):
    """One row per (service, office-local day): advanced by a single upsert ... RETURNING."""

    __tablename__ = "ticket_counters"

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


OPEN_SQL = "status IN ('waiting', 'called', 'serving')"  # reception.queue.states.OPEN_STATUSES, as SQL


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        # Backstop for the counter: an issued number exists once. Transfer copies share it.
        Index(
            "uq_tickets_service_day_number",
            "service_id",
            "day",
            "number",
            unique=True,
            sqlite_where=text("transferred_from_id IS NULL"),
            postgresql_where=text("transferred_from_id IS NULL"),
        ),
        Index("ix_tickets_office_status", "office_id", "status"),
        # The wait estimate reads the newest few calls and visits of a day, and of a service over days
        # (queue/estimates_read.py): each from the end of an index, not by sorting all the day's tickets
        # (or all the service's, ever). Their prefixes serve what (office, day) and (service, status) did:
        # reports read an office's period.
        Index("ix_tickets_service_status_finished", "service_id", "status", "finished_at", "id"),
        Index("ix_tickets_office_day_called", "office_id", "day", "called_at", "id"),
        Index("ix_tickets_office_day_finished", "office_id", "day", "finished_at", "id"),
        # The few tickets still open, by day: which days a report may not take from a roll-up.
        Index("ix_tickets_open_office_day", "office_id", "day", sqlite_where=text(OPEN_SQL),
              postgresql_where=text(OPEN_SQL)),
        # A kiosk's retried request (its answer was lost) finds the ticket it already made, even
        # when the two requests race on two processes: the second insert fails here (decision 021).
        Index("uq_tickets_device_idempotency_key", "issued_by_device_id", "idempotency_key", unique=True,
              sqlite_where=text("idempotency_key IS NOT NULL"), postgresql_where=text("idempotency_key IS NOT NULL")),
    )

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    day: Mapped[date] = mapped_column(Date)
    number: Mapped[int]
    code: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str | None] = mapped_column(String(32))  # None | category code | "appointment"
    appointment_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appointment_id: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    issued_at: Mapped[aware_dt]
    queued_at: Mapped[aware_dt]  # entered the current queue (issue, transfer keeps it, reactivation resets)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desks.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    target_desk_id: Mapped[int | None] = mapped_column(ForeignKey("desks.id"))
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    public_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    lang: Mapped[str] = mapped_column(String(2), default="uk")
    recall_count: Mapped[int] = mapped_column(default=0)
    transferred_from_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    issued_by_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(64))  # the kiosk's key of the tap that asked
    call_rule: Mapped[str | None] = mapped_column(String(32))
    outcome: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    print_status: Mapped[str | None] = mapped_column(String(16))  # printed | failed | None (not printed)
    version_id: Mapped[int] = mapped_column(default=1)
    # A booked visitor's slot (a specialist booking checked in) and how soon after it they are to be called:
    # the policy orders them with the live queue (reception.queue.policy, decision 044).
    booked_for: Mapped[datetime | None] = mapped_column(UTCDateTime)
    call_tolerance_min: Mapped[int | None]

    service: Mapped[Service] = relationship(lazy="joined")
    office: Mapped[Office] = relationship()
    desk: Mapped[Desk | None] = relationship(foreign_keys=[desk_id])

    __mapper_args__ = {"version_id_col": version_id}


class TicketEvent(Base):
    """Append-only history of every ticket change: statistics and audit read from here."""

    __tablename__ = "ticket_events"
    __table_args__ = (Index("ix_ticket_events_office_at", "office_id", "at"),)

    id: Mapped[intpk]
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    kind: Mapped[str] = mapped_column(String(24))
    at: Mapped[aware_dt]
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desks.id"))
    rule: Mapped[str | None] = mapped_column(String(32))  # which call rule chose the ticket
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class DeskEvent(Base):
    """Append-only history of a desk's state: opened, paused (with the reason), resumed, closed.

    Reports read paused time from here and the hall view how long a desk has been in its state,
    so neither depends on the ``desks`` row, which only knows the present.
    """

    __tablename__ = "desk_events"
    __table_args__ = (Index("ix_desk_events_office_at", "office_id", "at"),)

    id: Mapped[intpk]
    desk_id: Mapped[int] = mapped_column(ForeignKey("desks.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    kind: Mapped[str] = mapped_column(String(16))  # opened | paused | resumed | closed
    at: Mapped[aware_dt]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(String(200))

"""Tables of the booking slice: capacity, rules, bookings, the per-slot claims and the code requests.

A booking is personal data (surname, name, phone, e-mail): the personal-data pages and the retention
run cover it (``reception.booking.personal_data``). A verification request carries the visitor's data
only until it is used or expires (its ``payload`` is emptied then).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from reception.platform.orm import Base, UTCDateTime, aware_dt, intpk


class BookingCapacity(Base):
    """When a service takes bookings: weekdays, from-to, slot length and places per slot, at which desks.

    Outside these hours the desks serve the live queue only (the walk-in share)."""

    __tablename__ = "booking_capacities"

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    desks: Mapped[list[Any]] = mapped_column(default=list)  # desk codes that take the bookings
    weekdays: Mapped[list[Any]] = mapped_column(default=list)  # ISO weekdays, 1 = Monday
    start: Mapped[str] = mapped_column(String(5))  # "10:00", office-local
    end: Mapped[str] = mapped_column(String(5))  # "13:00"
    slot_min: Mapped[int] = mapped_column(default=15)
    per_slot: Mapped[int] = mapped_column(default=1)


class BookingRule(Base):
    """An office's booking rules (``service_id`` NULL) or a service's own (it overrides the office's)."""

    __tablename__ = "booking_rules"
    __table_args__ = (UniqueConstraint("office_id", "service_id"),)

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    # Every field below: see reception.booking.rules.BookingRules for meaning and defaults.
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)


class BookingSlot(Base):
    """Places taken of one slot of one service: the claim every confirmation makes (a conditional
    UPDATE ``taken = taken + 1 WHERE taken < capacity``), so the last place goes to one visitor only."""

    __tablename__ = "booking_slots"

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    taken: Mapped[int] = mapped_column(default=0)


class Booking(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_service_at", "service_id", "slot_at"),
        Index("ix_bookings_phone", "phone"),
        Index("ix_bookings_email", "email"),
    )

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    slot_at: Mapped[aware_dt]
    status: Mapped[str] = mapped_column(String(16), default="booked")  # booked|checked_in|cancelled|no_show|lapsed|needs_rebooking
    booking_code: Mapped[str] = mapped_column(String(8), unique=True)
    cancel_token_hash: Mapped[str] = mapped_column(String(64))
    surname: Mapped[str | None] = mapped_column(String(100))  # personal data: None once anonymised
    name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164
    email: Mapped[str | None] = mapped_column(String(320))
    lang: Mapped[str] = mapped_column(String(2), default="uk")
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[aware_dt]
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the call-centre, or None
    cap_overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BookingRequest(Base):
    """A booking (or remote place) asked for and waiting for its one-time code.

    The code is stored hashed; five wrong tries or ten minutes and the request is dead."""

    __tablename__ = "booking_requests"
    __table_args__ = (Index("ix_booking_requests_open", "expires_at", sqlite_where=text("used_at IS NULL"),
                            postgresql_where=text("used_at IS NULL")),)

    id: Mapped[intpk]
    request_id: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="booking")  # booking | remote
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[aware_dt]
    expires_at: Mapped[aware_dt]
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)  # what to book, and for whom (until used)


class RemotePlace(Base):
    """A place in a service's live queue taken from a phone (decision 044): the visitor's time of joining
    is their place; the ticket is issued at check-in with that time (held back once, then lapsed, if the
    queue passed them meanwhile)."""

    __tablename__ = "remote_places"
    __table_args__ = (Index("ix_remote_places_service_joined", "service_id", "joined_at"),)

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    code: Mapped[str] = mapped_column(String(8), unique=True)  # typed or scanned at the kiosk
    public_token: Mapped[str] = mapped_column(String(64), unique=True)  # the phone page's
    status: Mapped[str] = mapped_column(String(16), default="waiting")  # waiting|checked_in|lapsed|cancelled
    joined_at: Mapped[aware_dt]
    phone: Mapped[str | None] = mapped_column(String(20), index=True)  # personal data
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    lang: Mapped[str] = mapped_column(String(2), default="uk")
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LeadershipBooking(Base):
    """A leadership appointment booked from the public page (decision 044): the link the cancel token and
    the caps need. The appointment itself (the leadership slice's) holds the visitor; here only keyed
    digests of the phone and e-mail, so the caps count it without a second copy of personal data."""

    __tablename__ = "leadership_bookings"

    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    phone_key: Mapped[str | None] = mapped_column(String(64), index=True)
    email_key: Mapped[str | None] = mapped_column(String(64), index=True)
    cancel_token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[aware_dt]

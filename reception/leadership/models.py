"""Tables of leadership reception: leaders, rules, exceptions, dated sessions, appointments, records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from reception.kernel.errors import ValidationFailed
from reception.kernel.phones import normalise_phone
from reception.leadership.lookup_keys import fold_name
from reception.offices.models import Desk, Office
from reception.platform.orm import Base, UTCDateTime, aware_dt, intpk, name_str

# A leader's name and position: ``name_str`` columns, refused beyond this (never cut).
LEADER_TEXT_MAX = 200
# Appointment statuses that hold a slot (a cancelled one frees it).
ACTIVE_APPOINTMENT = ("booked", "checked_in")


class Leader(Base):
    """A person who receives citizens (minister, deputy, head of department)."""

    __tablename__ = "leaders"

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    name_uk: Mapped[name_str]
    name_en: Mapped[name_str]
    position_uk: Mapped[name_str]
    position_en: Mapped[name_str]
    # The staff account the leader signs in with (their "today" page); optional.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    office: Mapped[Office] = relationship()


class ReceptionRule(Base):
    """A recurring reception: "every first Thursday 10:00-13:00 in room 412"."""

    __tablename__ = "reception_rules"

    id: Mapped[intpk]
    leader_id: Mapped[int] = mapped_column(ForeignKey("leaders.id"), index=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desks.id"))
    weekday: Mapped[int]  # ISO, Monday = 1
    nth: Mapped[int | None]  # None: every week; 1..5: n-th of the month; -1: last of the month
    start: Mapped[str] = mapped_column(String(5))  # office-local wall clock "HH:MM"
    end: Mapped[str] = mapped_column(String(5))
    slot_min: Mapped[int]
    capacity: Mapped[int | None]  # None: one visitor per slot
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    remote: Mapped[bool] = mapped_column(Boolean, default=False)
    video_url: Mapped[str | None] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Sessions exist up to this office-local date; lets readers top up the horizon cheaply.
    materialised_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[aware_dt]

    leader: Mapped[Leader] = relationship()
    desk: Mapped[Desk] = relationship()


class ReceptionException(Base):
    """One date of a rule cancelled, or moved to another date and/or time."""

    __tablename__ = "reception_exceptions"
    __table_args__ = (UniqueConstraint("rule_id", "rule_date"),)

    id: Mapped[intpk]
    rule_id: Mapped[int] = mapped_column(ForeignKey("reception_rules.id"))
    rule_date: Mapped[date] = mapped_column(Date)  # the rule's own date this exception replaces
    action: Mapped[str] = mapped_column(String(8))  # cancel | move
    new_date: Mapped[date | None] = mapped_column(Date)
    new_start: Mapped[str | None] = mapped_column(String(5))
    new_end: Mapped[str | None] = mapped_column(String(5))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[aware_dt]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ReceptionSession(Base):
    """A dated reception with its slots; ``booked`` is advanced only by a conditional UPDATE."""

    __tablename__ = "reception_sessions"
    __table_args__ = (
        # One session per rule occurrence: materialising again never duplicates.
        UniqueConstraint("rule_id", "origin_date"),
        Index("ix_reception_sessions_office_day", "office_id", "day"),
    )

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    leader_id: Mapped[int] = mapped_column(ForeignKey("leaders.id"))
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("reception_rules.id"))
    origin_date: Mapped[date] = mapped_column(Date)  # the rule's date (differs from ``day`` when moved)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desks.id"))
    day: Mapped[date] = mapped_column(Date)  # office-local date it is held on
    starts_at: Mapped[aware_dt]
    ends_at: Mapped[aware_dt]
    start: Mapped[str] = mapped_column(String(5))  # office-local "HH:MM", as published
    end: Mapped[str] = mapped_column(String(5))
    slot_min: Mapped[int]
    capacity: Mapped[int]
    booked: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")  # scheduled | cancelled
    note: Mapped[str | None] = mapped_column(String(32))  # holiday_eve | moved
    remote: Mapped[bool] = mapped_column(Boolean, default=False)
    video_url: Mapped[str | None] = mapped_column(String(500))

    leader: Mapped[Leader] = relationship(lazy="joined")
    desk: Mapped[Desk] = relationship(lazy="joined")
    office: Mapped[Office] = relationship()


class Appointment(Base):
    """A visitor booked into one slot of a session (by the call-centre)."""

    __tablename__ = "appointments"
    __table_args__ = (
        # Backstop for the counter: a slot holds one active booking.
        Index(
            "uq_appointments_session_slot",
            "session_id",
            "slot_index",
            unique=True,
            sqlite_where=text("status IN ('booked', 'checked_in')"),
            postgresql_where=text("status IN ('booked', 'checked_in')"),
        ),
    )

    id: Mapped[intpk]
    session_id: Mapped[int] = mapped_column(ForeignKey("reception_sessions.id"), index=True)
    slot_index: Mapped[int]
    slot_at: Mapped[aware_dt]
    booking_code: Mapped[str] = mapped_column(String(16), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="booked")  # booked | checked_in | cancelled
    surname: Mapped[name_str]
    # ``surname`` folded (``lookup_keys.fold_name``), kept in step by ``_fold_surname``: the prefix
    # search compares folded to folded, as SQLite cannot fold Cyrillic case itself.
    surname_folded: Mapped[str] = mapped_column(String(200), default="", index=True)
    name: Mapped[name_str]
    patronymic: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32), index=True)  # E.164 (``kernel.phones.normalise_phone``)
    category: Mapped[str | None] = mapped_column(String(32))  # PriorityCategory.code claimed
    topic: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(2), default="uk")
    created_at: Mapped[aware_dt]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    # Set when the visitor's data were removed after the storage term (``retention``).
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A suspension moved the slot (``leadership.pause``): the time first booked, kept to tell the visitor.
    shifted_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A suspension left no room that day: the call-centre is to phone and rebook (cleared by a rebooking).
    needs_rebooking: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))

    session: Mapped[ReceptionSession] = relationship(lazy="joined")

    @validates("surname")
    def _fold_surname(self, _key: str, value: str) -> str:
        self.surname_folded = fold_name(value)
        return value


class RecordCounter(Base):
    """Registration numbers of records: one row per (office, year), advanced by an upsert."""

    __tablename__ = "record_counters"

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class ReceptionRecord(Base):
    """Картка особистого прийому (реєстраційно-контрольна картка), CMU Resolution No. 348 (decision 007)."""

    __tablename__ = "reception_records"
    __table_args__ = (
        UniqueConstraint("office_id", "reg_index"),
        Index("ix_reception_records_office_due", "office_id", "due_date"),
    )

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    reg_index: Mapped[str] = mapped_column(String(64))
    reg_seq: Mapped[int]
    reg_date: Mapped[date] = mapped_column(Date)
    reception_date: Mapped[date] = mapped_column(Date)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("leaders.id"))
    received_by_name: Mapped[name_str]
    received_by_position: Mapped[str] = mapped_column(String(200), default="")
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
    # The visitor (empty for an anonymous appeal).
    surname: Mapped[str] = mapped_column(String(200), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    patronymic: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    conceal_name: Mapped[bool] = mapped_column(Boolean, default=False)  # asked that the name not be disclosed
    social_status: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str | None] = mapped_column(String(32))  # PriorityCategory.code (classifier)
    authorship: Mapped[str] = mapped_column(String(16), default="individual")  # individual|collective|anonymous
    is_repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    form: Mapped[str] = mapped_column(String(32), default="personal_reception")
    kind: Mapped[str] = mapped_column(String(16))  # proposal | application | complaint
    questions: Mapped[list[Any]] = mapped_column(default=list)  # summary of each question
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolution_author: Mapped[str] = mapped_column(String(200), default="")
    executor: Mapped[str] = mapped_column(String(200), default="")
    needs_study: Mapped[bool] = mapped_column(Boolean, default=True)
    due_date: Mapped[date] = mapped_column(Date)
    extended_to: Mapped[date | None] = mapped_column(Date)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    applicant_informed: Mapped[bool] = mapped_column(Boolean, default=False)
    result: Mapped[str] = mapped_column(Text, default="")
    answer_method: Mapped[str] = mapped_column(String(32), default="")
    removed_from_control: Mapped[date | None] = mapped_column(Date)
    # Set when the personal data were removed after the storage term (``retention``); read-only since.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[aware_dt]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[aware_dt]
    version_id: Mapped[int] = mapped_column(default=1)
    # --- the journal of appeals of every form (decision 042) ---
    # The phone in E.164 (``kernel.phones``) whatever way it was written, "" when none or unreadable:
    # the caller's earlier appeals are found by it.
    phone_key: Mapped[str] = mapped_column(String(32), default="", server_default="", index=True)
    topic: Mapped[str] = mapped_column(String(64), default="", server_default="")  # a code of the office's topic list
    # A call-centre consultation: counted, needs no answer, never on control.
    is_consultation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # Answered on the spot (at the call or the reception): closed the day it came.
    answered_on_spot: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # The same person's earlier appeal on the same topic this one repeats.
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("reception_records.id"))
    # The staff member who is to answer (``executor`` keeps the name as written on the card).
    executor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    __mapper_args__ = {"version_id_col": version_id}

    @validates("phone")
    def _phone_key(self, _key: str, value: str) -> str:
        self.phone_key = phone_key(value)
        return value


def phone_key(raw: str | None) -> str:
    """The phone as the journal finds it (E.164), "" when none or not a whole number."""
    try:
        return normalise_phone(raw) or ""
    except ValidationFailed:
        return ""

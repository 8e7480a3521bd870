"""Tables of the core, typed SQLAlchemy 2 declarative models.

Statuses and roles are plain strings checked by the domain (``reception.domain``) so that a
new status never needs an ALTER TYPE on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out — on SQLite too, which drops the offset."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
code_str = Annotated[str, mapped_column(String(32))]
name_str = Annotated[str, mapped_column(String(200))]
aware_dt = Annotated[datetime, mapped_column(UTCDateTime)]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Office(Base):
    __tablename__ = "offices"

    id: Mapped[intpk]
    code: Mapped[code_str] = mapped_column(unique=True)
    name_uk: Mapped[name_str]
    name_en: Mapped[name_str]
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Kyiv")
    # {"1": [["09:00", "18:00"]], ...}; ISO weekday -> open intervals. Empty dict = always open.
    opening_hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Queue behaviour knobs (see reception.domain.OfficeSettings for keys and defaults).
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Monotonic version of the live queue state; every queue change bumps it in its transaction.
    version: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    services: Mapped[list[Service]] = relationship(back_populates="office", order_by="Service.sort_order")
    desks: Mapped[list[Desk]] = relationship(back_populates="office", order_by="Desk.code")


class ServiceCategory(Base):
    """A node of the kiosk menu tree (e.g. "Консультації" -> services)."""

    __tablename__ = "service_categories"
    __table_args__ = (UniqueConstraint("office_id", "code"),)

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("service_categories.id"))
    code: Mapped[code_str]
    name_uk: Mapped[name_str]
    name_en: Mapped[name_str]
    sort_order: Mapped[int] = mapped_column(default=0)


class Service(Base):
    __tablename__ = "services"
    __table_args__ = (UniqueConstraint("office_id", "code"), UniqueConstraint("office_id", "prefix"))

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("service_categories.id"))
    code: Mapped[code_str]
    prefix: Mapped[str] = mapped_column(String(4))
    name_uk: Mapped[name_str]
    name_en: Mapped[name_str]
    description_uk: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16), default="specialist")  # specialist | leadership
    target_wait_min: Mapped[int] = mapped_column(default=15)
    default_service_min: Mapped[float] = mapped_column(Float, default=10.0)
    daily_limit: Mapped[int | None]
    walk_ins: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # leadership only
    active_hours: Mapped[dict[str, Any]] = mapped_column(default=dict)  # same shape as opening_hours
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(default=0)

    office: Mapped[Office] = relationship(back_populates="services")


class Desk(Base):
    """A window, cabinet or leadership reception room."""

    __tablename__ = "desks"
    __table_args__ = (UniqueConstraint("office_id", "code"),)

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    code: Mapped[code_str]
    name_uk: Mapped[name_str]
    name_en: Mapped[name_str]
    kind: Mapped[str] = mapped_column(String(16), default="window")  # window | cabinet | room
    zone: Mapped[str] = mapped_column(String(32), default="main")
    status: Mapped[str] = mapped_column(String(16), default="closed")  # closed | open | paused
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pause_reason: Mapped[str | None] = mapped_column(String(200))
    # Consecutive priority calls at this desk; bounds the interleave so regular visitors never starve.
    priority_streak: Mapped[int] = mapped_column(default=0)
    allow_call_specific: Mapped[bool] = mapped_column(Boolean, default=False)

    office: Mapped[Office] = relationship(back_populates="desks")
    services: Mapped[list[DeskService]] = relationship(cascade="all, delete-orphan")


class DeskService(Base):
    __tablename__ = "desk_services"

    desk_id: Mapped[int] = mapped_column(ForeignKey("desks.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    weight: Mapped[float] = mapped_column(Float, default=1.0)

    service: Mapped[Service] = relationship()


class User(Base):
    __tablename__ = "users"

    id: Mapped[intpk]
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[str] = mapped_column(String(200), default="")
    roles: Mapped[list[Any]] = mapped_column(default=list)
    lang: Mapped[str] = mapped_column(String(2), default="uk")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A password an administrator chose (create, reset): the user must replace it before anything else.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Signed into every API token; moved when the account is disabled or its password changes, so
    # tokens issued before do not come back with a re-enable (``accounts.service.end_sessions``).
    token_generation: Mapped[int] = mapped_column(default=0, server_default=text("0"))

    offices: Mapped[list[Office]] = relationship(secondary="user_offices")


class LoginThrottle(Base):
    """Failed sign-ins per (username as typed, client address): the lockout's counter.

    Keyed by the typed name, not the user id, so unknown names are counted and locked exactly
    like real ones (nothing tells them apart); keyed by address too, so a stranger's guesses
    never lock the owner out at another computer.
    """

    __tablename__ = "login_throttles"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[aware_dt]


class StaffSession(Base):
    """A signed-in browser: the cookie holds a random key, only its SHA-256 is stored here.

    Deleting the row signs that browser out at once (sign-out, password change), whatever
    copy of the cookie is around.
    """

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[aware_dt]
    expires_at: Mapped[aware_dt]


class UserOffice(Base):
    __tablename__ = "user_offices"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)


class Device(Base):
    """A kiosk or wall display, paired by a token whose SHA-256 alone is stored."""

    __tablename__ = "devices"

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    kind: Mapped[str] = mapped_column(String(16))  # kiosk | display
    name: Mapped[str] = mapped_column(String(100), default="")
    zone: Mapped[str | None] = mapped_column(String(32))
    printer_url: Mapped[str | None] = mapped_column(String(500))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[aware_dt]
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    office: Mapped[Office] = relationship()


class PriorityCategory(Base):
    """Who may be served first (configurable data, seeded by ``reception.seed``)."""

    __tablename__ = "priority_categories"

    id: Mapped[intpk]
    code: Mapped[code_str] = mapped_column(unique=True)
    name_uk: Mapped[name_str]
    name_en: Mapped[name_str]
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(default=0)


class Outcome(Base):
    """What a finished visit resulted in; the list is kept per service kind."""

    __tablename__ = "outcomes"
    __table_args__ = (UniqueConstraint("service_kind", "code"),)

    id: Mapped[intpk]
    service_kind: Mapped[str] = mapped_column(String(16))
    code: Mapped[code_str]
    name_uk: Mapped[name_str]
    name_en: Mapped[name_str]
    opens_record: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(default=0)


class TicketCounter(Base):
    """One row per (service, office-local day): advanced by a single upsert ... RETURNING."""

    __tablename__ = "ticket_counters"

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


OPEN_SQL = "status IN ('waiting', 'called', 'serving')"  # reception.domain.OPEN_STATUSES, as SQL


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
        Index("ix_tickets_service_status", "service_id", "status"),
        Index("ix_tickets_office_day", "office_id", "day"),  # reports read an office's period
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


class AuditLog(Base):
    """Who did what to which record (records, users, configuration); never updated."""

    __tablename__ = "audit_log"

    id: Mapped[intpk]
    at: Mapped[aware_dt]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Suspension(Base):
    """An office's suspension (air-raid alert, blackout): the state while open, the record after.

    Open while ``ended_at`` is NULL; a scheduled resume sets ``resume_at`` and the suspension
    is over from then on (``reception.suspension`` records ``ended_at`` at the next write).
    At most one open suspension per office (the partial unique index backs the office lock).
    """

    __tablename__ = "suspensions"
    __table_args__ = (
        Index("uq_suspensions_office_open", "office_id", unique=True,
              sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL")),
        Index("ix_suspensions_office_since", "office_id", "since"),
    )

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    reason: Mapped[str] = mapped_column(String(16))  # air_raid | blackout | other
    note: Mapped[str | None] = mapped_column(Text)
    since: Mapped[aware_dt]
    resume_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class DevicePairing(Base):
    """A one-time code a manager hands to a new kiosk or display (short, expiring; SHA-256 stored)."""

    __tablename__ = "device_pairings"

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    kind: Mapped[str] = mapped_column(String(16))  # kiosk | display
    name: Mapped[str] = mapped_column(String(100), default="")
    zone: Mapped[str | None] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[aware_dt]
    expires_at: Mapped[aware_dt]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))  # set when redeemed


class JobLease(Base):
    """One row per daily job of the server (``platform.scheduler``): who holds it, until when, last run."""

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

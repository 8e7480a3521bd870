"""Tables of the offices slice: offices, services and their categories, desks, reference lists, suspensions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reception.platform.orm import Base, UTCDateTime, aware_dt, code_str, intpk, name_str


class Office(Base):
    __tablename__ = "offices"

    id: Mapped[intpk]
    code: Mapped[code_str] = mapped_column(unique=True)
    name_uk: Mapped[name_str]
    name_en: Mapped[name_str]
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Kyiv")
    # {"1": [["09:00", "18:00"]], ...}; ISO weekday -> open intervals. Empty dict = always open.
    opening_hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Queue behaviour knobs (see reception.offices.rules.OfficeSettings for keys and defaults).
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Monotonic version of the live queue state; every queue change bumps it in its transaction.
    version: Mapped[int] = mapped_column(default=0)
    # Version of the office's configuration: moved by the database's triggers on every change of it
    # (reception.offices.config_version), never by the code; per-process snapshots compare it (decision 036).
    config_version: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The air-raid feed's location uid of the office's oblast or hromada (alerts.in.ua); None: not followed.
    alert_region: Mapped[str | None] = mapped_column(String(16))

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


class PriorityCategory(Base):
    """Who may be served first (configurable data, seeded by ``reception.schema.seed``)."""

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


class Suspension(Base):
    """An office's suspension (air-raid alert, blackout): the state while open, the record after.

    Open while ``ended_at`` is NULL; a scheduled resume sets ``resume_at`` and the suspension
    is over from then on (``reception.offices.suspension`` records ``ended_at`` by its periodic job).
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
    # Who suspended: "manager" (by hand) or "feed" (the air-raid feed); the feed never resumes a manager's.
    source: Mapped[str] = mapped_column(String(8), default="manager", server_default="manager")

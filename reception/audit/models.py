"""The audit log's table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ForeignKey,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from reception.platform.orm import Base, aware_dt, intpk


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

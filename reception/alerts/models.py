"""Tables of the alerts slice: the alerts raised for an office, and the air-raid feed's state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from reception.platform.orm import Base, UTCDateTime, aware_dt, intpk

SEVERITIES = ("warning", "critical")


class Alert(Base):
    """One alert condition of one office: open while ``cleared_at`` is NULL, the record after.

    ``subject`` names what it is about within its kind (a service code, a device id, a session id,
    ``""`` for the office as a whole); at most one open alert per (office, kind, subject), so a
    condition that holds at every evaluation is raised once.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        Index("uq_alerts_open", "office_id", "kind", "subject", unique=True,
              sqlite_where=text("cleared_at IS NULL"), postgresql_where=text("cleared_at IS NULL")),
        Index("ix_alerts_office_since", "office_id", "since"),
    )

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    kind: Mapped[str] = mapped_column(String(32))  # one of reception.alerts.rules.KINDS
    subject: Mapped[str] = mapped_column(String(64), default="")
    severity: Mapped[str] = mapped_column(String(16))  # warning | critical
    since: Mapped[aware_dt]
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)  # ids, codes, figures: never personal data
    last_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AlertFeedState(Base):
    """The air-raid feed as the poller last saw it (one row, ``id`` 1), so any server process that
    takes the job over goes on where the last one stopped: the conditional request, the back-off,
    which regions were under an air-raid alert (a start or an end is a change of this set)."""

    __tablename__ = "alert_feed_state"

    id: Mapped[intpk]
    last_modified: Mapped[str | None] = mapped_column(String(64))  # the feed's Last-Modified, sent back as is
    retry_after: Mapped[datetime | None] = mapped_column(UTCDateTime)  # after a 429: no request before this
    backoff_s: Mapped[int] = mapped_column(default=0)
    active: Mapped[dict[str, Any]] = mapped_column(default=dict)  # region uid -> the alert's started_at
    ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the last good answer (200 or 304)
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(300))

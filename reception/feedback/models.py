"""The feedback table: one rating (and an optional comment) per finished visit."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from reception.platform.orm import Base, UTCDateTime, aware_dt, intpk


class Feedback(Base):
    """How one visit went, as its visitor said: on the phone page, in the hall or by a message's link.

    Who served and where are copied from the ticket's finishing event when the rating is given, so the
    reports group it by the desk and the staff member of that visit. ``day`` is the visit's (the ticket's
    office-local issue day), as the reports attribute everything else. The comment is free text the
    visitor typed and may carry personal data: the retention run clears it (``anonymised_at``).
    """

    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
        Index("ix_feedback_office_day", "office_id", "day"),
    )

    id: Mapped[intpk]
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)  # once per ticket
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desks.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the staff member who finished the visit
    day: Mapped[date] = mapped_column(Date)
    score: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(String(1000))
    via: Mapped[str] = mapped_column(String(8))  # phone | hall | message
    created_at: Mapped[aware_dt]
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

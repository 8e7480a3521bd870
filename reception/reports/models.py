"""The roll-up table: pre-aggregated report tallies of closed office-local days and months.

A roll-up is a cache of ``figures.Tally`` for one office and one final period (see
``service.final_days``); it is rebuilt whenever its stored arithmetic version differs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from reception.platform.orm import Base, aware_dt


class ReportRollup(Base):
    __tablename__ = "report_rollups"

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(8), primary_key=True)  # day | month
    start: Mapped[date] = mapped_column(Date, primary_key=True)
    data: Mapped[dict[str, Any]]
    built_at: Mapped[aware_dt]

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"ReportRollup({self.office_id}, {self.period}, {self.start})"




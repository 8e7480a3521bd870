"""Tables of the appeals journal (decision 042): the call-centre operator's unsaved call.

The appeals themselves are reception records (``leadership.models.ReceptionRecord``, with their
``form``); this slice keeps only what the call screen needs beside them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from reception.platform.orm import Base, aware_dt, intpk


class AppealDraft(Base):
    """The call being written down, one per operator: kept on every pause in typing, so a dropped call
    or a crashed browser loses nothing; removed when the appeal is saved or the form cleared."""

    __tablename__ = "appeal_drafts"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)  # personal data: erased with the person's
    updated_at: Mapped[aware_dt]

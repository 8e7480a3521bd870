"""An office's suspension: suspend, resume, and the office's state."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from reception.http.api.schemas.common import Strict
from reception.offices.suspension import MAX_AFTER_MIN, MAX_NOTE


class SuspendIn(Strict):
    reason: Literal["air_raid", "blackout", "other"]
    note: str | None = Field(default=None, max_length=MAX_NOTE)


class ResumeIn(Strict):
    # Minutes from now until the office reopens (0 or absent: now).
    after_min: int | None = Field(default=None, ge=0, le=MAX_AFTER_MIN)
    # The all-clear was given: reopen by the offices' rule (10 min; 30 after an alert past opening time).
    all_clear: bool = False


class OfficeState(BaseModel):
    code: str
    suspended: dict[str, object] | None

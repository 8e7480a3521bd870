"""The staffing plan: Erlang C for explicit inputs, and an office's day from its own history."""

from __future__ import annotations

from pydantic import BaseModel, Field

from reception.http.api.schemas.common import Strict
from reception.staffing import erlang


class PlanIn(Strict):
    arrivals_per_hour: float = Field(ge=0, le=erlang.MAX_ARRIVALS_PER_HOUR)  # visitors per hour (Poisson)
    service_min: float = Field(gt=0, le=erlang.MAX_SERVICE_MIN)  # mean visit, minutes (exponential)
    target_wait_min: float = Field(ge=0, le=erlang.MAX_TARGET_WAIT_MIN)
    target_pct: float = Field(ge=erlang.MIN_TARGET_PCT, le=erlang.MAX_TARGET_PCT)  # share called within the target


class PlanOut(BaseModel):
    """The fewest desks meeting the target (0 when nobody comes), with that plan's figures (Erlang C, M/M/c)."""

    desks: int
    expected_wait_min: float  # mean wait over all visitors
    within_target_pct: float


class StaffingServiceHour(BaseModel):
    service: str
    arrivals_expected: float
    desks_needed: int
    expected_wait_min: float
    within_target_pct: float


class StaffingHour(BaseModel):
    hour: int  # office-local
    arrivals_expected: float
    desks_needed: int  # summed over the services (each its own Erlang C line)
    desks_planned: int  # desks serving these services while the office is open
    expected_wait_min: float  # with desks_needed, arrivals-weighted over the services
    desks_open: float | None  # desk-hours actually open and not paused (today and past days; else null)
    by_service: list[StaffingServiceHour]


class StaffingService(BaseModel):
    service: str
    name_uk: str
    name_en: str
    service_min: float
    from_history: bool
    target_wait_min: float


class StaffingHistory(BaseModel):
    weeks: int
    days: int  # same weekdays in the window on which the office issued tickets


class StaffingOut(BaseModel):
    office: str
    date: str
    weekday: int
    target_pct: float
    history: StaffingHistory
    services: list[StaffingService]
    by_hour: list[StaffingHour]

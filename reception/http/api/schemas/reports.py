"""Response shapes of ``GET /reports/summary`` for the OpenAPI document."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from reception.http.api.schemas.appeals import ReportAppeals


class ReportSatisfaction(BaseModel):
    """Visitors' ratings (1–5) of the visits of the period: ``mean`` null without responses."""

    responses: int
    mean: float | None
    by_score: dict[Literal["1", "2", "3", "4", "5"], int]


class ReportTotals(BaseModel):
    issued: int
    served: int
    no_show: int
    cancelled: int
    transferred: int


class ReportDistribution(BaseModel):
    """Minutes; null when the period has no sample."""

    mean: float | None
    median: float | None
    p90: float | None
    max: float | None


class ReportServiceRow(ReportTotals):
    office: str
    service: str
    name_uk: str
    name_en: str
    wait_min: float | None  # mean
    service_min: float | None  # mean
    within_target_pct: float | None
    satisfaction: ReportSatisfaction


class ReportDeskRow(BaseModel):
    office: str
    desk: str
    name_uk: str
    name_en: str
    served: int
    service_min: float | None
    paused_min: float | None  # from the desk event log (pause -> resume, close or reopen)
    satisfaction: ReportSatisfaction


class ReportStaffRow(BaseModel):
    user: str
    name: str
    served: int
    service_min: float | None
    satisfaction: ReportSatisfaction


class ReportHourRow(BaseModel):
    hour: int
    issued: int
    served: int


class ReportDayRow(ReportTotals):
    date: str
    wait_min: float | None
    service_min: float | None
    within_target_pct: float | None
    satisfaction: ReportSatisfaction


class ReportLeadership(BaseModel):
    booked: int
    checked_in: int
    no_show: int
    records: int
    overdue: int


class ReportOffice(BaseModel):
    code: str
    name_uk: str
    name_en: str
    timezone: str


class ReportUtilisationRow(BaseModel):
    """A staff member's time at the desks in the period, minutes (reception.reports.extras)."""

    user: str
    name: str
    open_min: float
    serving_min: float
    idle_min: float  # open, not serving
    paused_min: float
    paused_by_reason: dict[str, float]  # "" for a pause given no reason
    utilisation_pct: float | None  # serving / open


class ReportPriorityRow(ReportTotals):
    priority: str  # none | appointment | a priority category's code
    name_uk: str
    name_en: str
    wait_min: float | None
    service_min: float | None
    within_target_pct: float | None


class ReportDelta(BaseModel):
    issued: int
    served: int
    no_show: int
    cancelled: int
    transferred: int
    wait_mean_min: float | None
    service_mean_min: float | None
    within_target_pct: float | None


class ReportPrevious(ReportDelta):
    """The period compared with: the same month a year before, else the same length just before."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    delta: ReportDelta  # this period minus the previous one (null where either has no figure)


class ReportOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    office: str | None
    offices: list[ReportOffice]
    from_: str = Field(alias="from")
    to: str
    totals: ReportTotals
    wait_min: ReportDistribution
    service_min: ReportDistribution
    within_target_pct: float | None
    suspended_min: float | None
    by_service: list[ReportServiceRow]
    by_desk: list[ReportDeskRow]
    by_staff: list[ReportStaffRow]
    by_hour: list[ReportHourRow]
    by_day: list[ReportDayRow]
    outcomes: dict[str, int]
    leadership: ReportLeadership
    satisfaction: ReportSatisfaction
    appeals: ReportAppeals | None = None  # the journal of appeals (decision 042)
    utilisation: list[ReportUtilisationRow] | None = None  # null for periods over 92 days
    by_priority: list[ReportPriorityRow] | None = None  # null for periods over 92 days
    previous: ReportPrevious | None = None

"""Offices, services and desks: created, changed and read (administration and reference lists)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from reception.http.api.schemas.common import Strict, optional
from reception.kernel.bounds import SPACE, trimmed_text
from reception.offices.administration import ALERT_THRESHOLD_RANGES, SETTING_RANGES

Code = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.\-]+$")
Name = Field(min_length=1, max_length=200)
# The rules the administration and account services apply, stated for clients: the services keep
# checking them (one check, with its message in the user's language), the document says them.
ZONE = r"^[A-Za-z0-9_\-]+$"
PREFIX = rf"^[^{SPACE}\-\x00]+$"
HHMM_OR_24 = r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$"
HourMinute = Annotated[str, Field(json_schema_extra={"pattern": HHMM_OR_24})]
Hours = dict[Literal["1", "2", "3", "4", "5", "6", "7"], list[tuple[HourMinute, HourMinute]]]
Weight = Annotated[float, Field(json_schema_extra={"exclusiveMinimum": 0, "maximum": 100})]
# Weights name listed services only: with weights, the services come too.
WEIGHTS_NEED_SERVICES: dict[str, Any] = {"dependentRequired": {"weights": ["services"]}}


def _setting(name: str) -> Any:
    low, high = SETTING_RANGES[name]
    return optional(schema={"minimum": low, "maximum": high})


class OfficeIn(Strict):
    code: str = Code
    name_uk: str = Name
    name_en: str = Name
    timezone: str = Field(default="Europe/Kyiv", max_length=64)
    opening_hours: Hours | None = None


class OfficeOut(BaseModel):
    code: str
    name_uk: str
    name_en: str
    timezone: str
    opening_hours: dict[str, list[list[str]]]


class ServiceIn(Strict):
    code: str = Code
    prefix: str = Field(min_length=1, max_length=4, pattern=PREFIX)
    name_uk: str = Name
    name_en: str = Name
    kind: Literal["specialist", "leadership"] = "specialist"
    target_wait_min: int = Field(default=15, ge=1, le=600)
    description_uk: str = Field(default="", max_length=1000)
    description_en: str = Field(default="", max_length=1000)
    default_service_min: float = Field(default=10, gt=0, le=600)
    daily_limit: int | None = Field(default=None, ge=1, le=100000)
    category: str | None = Field(default=None, max_length=32)


class ServiceOut(BaseModel):
    code: str
    prefix: str
    name_uk: str
    name_en: str
    kind: str
    target_wait_min: int
    description_uk: str
    description_en: str
    default_service_min: float
    daily_limit: int | None
    is_active: bool


class DeskIn(Strict):
    model_config = ConfigDict(json_schema_extra=WEIGHTS_NEED_SERVICES)

    code: str = Code
    name_uk: str = Name
    name_en: str = Name
    zone: str = Field(default="main", min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_\-]+$")
    kind: Literal["window", "cabinet", "room"] = "window"
    services: list[str] = Field(default_factory=list, max_length=100)
    weights: dict[str, Weight] | None = None


class DeskOut(BaseModel):
    code: str
    name_uk: str
    name_en: str
    zone: str
    kind: str
    status: str
    services: list[str]


# A field left out stays as it is; ``null`` is stated only where it means something (clear a value).
OptName = optional(max_length=200, schema={"minLength": 1, "pattern": trimmed_text(1, 200)})


class OfficeSettingsPatch(Strict):
    priority_interleave: int | None = _setting("priority_interleave")
    recalls_before_no_show: int | None = _setting("recalls_before_no_show")
    reactivation_window_min: int | None = _setting("reactivation_window_min")
    double_call_window_s: int | None = _setting("double_call_window_s")
    late_move_places: int | None = _setting("late_move_places")
    allow_call_specific: bool | None = optional()
    observe_public_holidays: bool | None = optional()
    announce_en: bool | None = optional()
    outcome_required: bool | None = optional()
    refuse_unserved: bool | None = optional(description="true: the kiosk refuses a ticket for a service nobody "
                                                         "serves now (409 nobody_serves); false (default): "
                                                         "issues it and says so")


def _threshold(name: str) -> Any:
    low, high = ALERT_THRESHOLD_RANGES[name]
    return optional(schema={"minimum": low, "maximum": high})


class AlertThresholdsPatch(Strict):
    """The office's alert thresholds (decision 040); a field left out keeps its value (or the default)."""

    device_offline_min: int | None = _threshold("device_offline_min")
    printer_failures: int | None = _threshold("printer_failures")
    printer_failures_window_min: int | None = _threshold("printer_failures_window_min")
    suspended_long_min: int | None = _threshold("suspended_long_min")
    leader_absent_min: int | None = _threshold("leader_absent_min")
    wait_critical_factor: int | None = _threshold("wait_critical_factor")
    appeals_overdue_critical_days: int | None = _threshold("appeals_overdue_critical_days")
    appeals_near_due_days: int | None = _threshold("appeals_near_due_days")


class OfficePatch(Strict):
    name_uk: str | None = OptName
    name_en: str | None = OptName
    timezone: str | None = optional(max_length=64, schema={"minLength": 1})
    opening_hours: Hours | None = optional()
    settings: OfficeSettingsPatch | None = None
    privacy_contact: str | None = Field(default=None, max_length=500)
    contact_phone: str | None = Field(default=None, max_length=32)  # any written form; stored E.164, "" clears
    # The air-raid feed's location uid (alerts.in.ua) of the office's oblast or hromada; "" or null: none.
    alert_region: str | None = optional(nullable=True, max_length=12, schema={"pattern": r"^[0-9]{0,12}$"})
    alert_thresholds: AlertThresholdsPatch | None = None


class OfficeAdminOut(OfficeOut):
    settings: dict[str, object]
    privacy_contact: str
    contact_phone: str  # E.164, "" when none
    is_active: bool
    alert_region: str = ""  # the air-raid feed's location uid, "" when the office follows none
    alert_thresholds: dict[str, int] = {}  # the thresholds set for the office (the rest: the defaults)


class ServicePatch(Strict):
    prefix: str | None = optional(max_length=4, schema={"minLength": 1, "maxLength": 4, "pattern": PREFIX})
    name_uk: str | None = OptName
    name_en: str | None = OptName
    description_uk: str | None = Field(default=None, max_length=1000)
    description_en: str | None = Field(default=None, max_length=1000)
    kind: Literal["specialist", "leadership"] | None = optional()
    daily_limit: int | None = optional(nullable=True, schema={"minimum": 1, "maximum": 100000})  # null: no limit
    target_wait_min: int | None = optional(schema={"minimum": 1, "maximum": 600})
    default_service_min: float | None = optional(schema={"exclusiveMinimum": 0, "maximum": 600})
    walk_ins: bool | None = optional()
    is_active: bool | None = optional()


class ServiceAdminOut(ServiceOut):
    walk_ins: bool


class DeskPatch(Strict):
    model_config = ConfigDict(json_schema_extra=WEIGHTS_NEED_SERVICES)

    name_uk: str | None = OptName
    name_en: str | None = OptName
    zone: str | None = optional(max_length=32, schema={"minLength": 1, "maxLength": 32, "pattern": ZONE})
    kind: Literal["window", "cabinet", "room"] | None = optional()
    services: list[str] | None = optional(max_length=100)
    weights: dict[str, Weight] | None = None  # null: every service weighs 1
    allow_call_specific: bool | None = optional()


class DeskAdminOut(DeskOut):
    weights: dict[str, float]
    allow_call_specific: bool


class OutcomeOut(BaseModel):
    code: str
    kind: str
    name: str  # in the caller's language
    name_uk: str
    name_en: str
    opens_record: bool


class PriorityCategoryOut(BaseModel):
    code: str
    name: str  # in the caller's language

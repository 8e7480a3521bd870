"""Request bodies and response shapes of the contract, as pydantic models (the OpenAPI document is built from them).

Request models validate input; response models exist to describe the answers in the
OpenAPI document.  Field names are the contract's: keep them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from reception.accounts.service import MIN_PASSWORD_LEN
from reception.kernel.bounds import NOT_BLANK, Id, trimmed_text
from reception.kernel.identity import ROLES
from reception.leadership.api_schemas import AppointmentOut, ReceptionSessionOut
from reception.offices.administration import SETTING_RANGES

Code = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.\-]+$")
Name = Field(min_length=1, max_length=200)
# The rules the administration and account services apply, stated for clients: the services keep
# checking them (one check, with its message in the user's language), the document says them.
ZONE = r"^[A-Za-z0-9_\-]+$"
PREFIX = r"^[^\s\-\x00]+$"
HHMM_OR_24 = r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$"
Role = Annotated[str, Field(json_schema_extra={"enum": list(ROLES)})]
# Trimmed like every field here (Strict), then MIN_PASSWORD_LEN to 512 characters (the account service).
Password = Field(min_length=1, max_length=512,
                 json_schema_extra={"minLength": MIN_PASSWORD_LEN, "pattern": trimmed_text(MIN_PASSWORD_LEN, 512)})
HourMinute = Annotated[str, Field(json_schema_extra={"pattern": HHMM_OR_24})]
Hours = dict[Literal["1", "2", "3", "4", "5", "6", "7"], list[tuple[HourMinute, HourMinute]]]
Weight = Annotated[float, Field(json_schema_extra={"exclusiveMinimum": 0, "maximum": 100})]
# Weights name listed services only: with weights, the services come too.
WEIGHTS_NEED_SERVICES: dict[str, Any] = {"dependentRequired": {"weights": ["services"]}}


def stated(nullable: bool = False, **schema: Any) -> Callable[[dict[str, Any]], None]:
    """A field's JSON Schema as the service reads it: ``schema`` added and, unless ``nullable``, ``null``
    taken out of its type (a PATCH field left out is unchanged; sent as null it is refused)."""

    def state(json_schema: dict[str, Any]) -> None:
        if not nullable:
            branches = [b for b in json_schema.pop("anyOf", ()) if b.get("type") != "null"]
            if len(branches) == 1:
                json_schema.update(branches[0])
            elif branches:
                json_schema["anyOf"] = branches
            json_schema.pop("default", None)
        json_schema.update(schema)

    return state


def optional(nullable: bool = False, *, schema: dict[str, Any] | None = None, **field: Any) -> Any:
    """A PATCH field (``None``: left out) that ``stated`` describes; ``field``: pydantic's own limits."""
    return Field(default=None, json_schema_extra=stated(nullable, **(schema or {})), **field)


def _setting(name: str) -> Any:
    low, high = SETTING_RANGES[name]
    return optional(schema={"minimum": low, "maximum": high})


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TokenIn(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=512)


class TokenOut(BaseModel):
    token: str
    expires_at: str


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


class KioskTicketIn(Strict):
    service: str = Field(min_length=1, max_length=32)
    priority: str | None = Field(default=None, max_length=32)
    lang: Literal["uk", "en"] = "uk"
    # One per tap, made by the kiosk: a retry with the same key answers the same ticket.
    idempotency_key: str | None = Field(default=None, min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class FinishIn(Strict):
    outcome: str | None = Field(default=None, max_length=32)
    note: str | None = Field(default=None, max_length=2000)


class TransferIn(Strict):
    """Where to: a service, a desk (it must not be closed: 409 ``desk_closed``), or both."""
    # To another service or desk (commands.transfer): one of them is named.
    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"required": [name], "properties": {name: {"type": "string", "pattern": NOT_BLANK}}} for name in ("service", "desk")]})

    service: str | None = Field(default=None, max_length=32)
    desk: str | None = Field(default=None, max_length=32)
    note: str | None = Field(default=None, max_length=2000)


class ReasonIn(Strict):
    reason: str | None = Field(default=None, max_length=500)


class PauseIn(Strict):
    """A break starts only with nobody called or served at the desk (409 ``break_visitor_at_desk``)."""

    reason: str = Field(min_length=1, max_length=200)


class CallSpecificIn(Strict):
    ticket_id: Id
    reason: str = Field(min_length=1, max_length=500)


class Ticket(BaseModel):
    id: int
    code: str
    number: int
    service: str
    office: str
    status: Literal["waiting", "called", "serving", "done", "no_show", "transferred", "cancelled"]
    priority: str | None
    issued_at: str
    called_at: str | None = None
    desk: str | None = None
    position: int | None = None
    eta_min: int | None = None
    public_token: str | None


class KioskTicketOut(Ticket):
    """The ticket as the kiosk shows it. While nobody serves the service ``served_now`` is false and
    there is no estimate; an office that refuses such tickets (``settings.refuse_unserved``)
    answers 409 with code ``nobody_serves`` instead."""

    served_now: bool = Field(True, description="false: no desk of the service is open or paused now; "
                                               "eta_min, eta_range_min and eta_text are null")
    eta_range_min: list[int] | None = None
    eta_text: str | None = None
    print: dict[str, object] | None = None
    status_url: str | None = None
    replayed: bool = False  # the answer to a retried idempotency key: the ticket made the first time


class PublicStatus(BaseModel):
    code: str
    service: str
    status: str
    position: int | None
    eta_min: int | None
    served_now: bool = Field(True, description="false: nobody serves the ticket's service now (no desk of it "
                                               "open or paused), so eta_min and the range are null")
    desk: str | None = None


class QueueView(BaseModel):
    office: str
    version: int
    waiting: dict[str, int]
    calls: list[dict[str, object]]
    desks: list[dict[str, object]]


class DeskState(BaseModel):
    code: str
    status: str
    zone: str
    pause_reason: str | None = None


class KioskMenu(BaseModel):
    """The kiosk's menu. Each service has ``served_now`` (false: no desk of it is open or paused now;
    then ``eta_min`` is null) and, when it may not be taken, ``available`` false with
    ``unavailable_reason`` — e.g. ``nobody_serves`` where the office refuses such tickets."""

    office: dict[str, object]
    open: bool
    services: list[dict[str, object]]
    categories: list[dict[str, object]]
    priority_categories: list[dict[str, object]]


class Problem(BaseModel):
    """RFC 9457 problem details: every 4xx/5xx of the API (``code``: the stable machine key)."""

    type: str
    title: str
    status: int
    detail: str
    code: str | None = None
    params: dict[str, object] | None = None


class DeviceStatus(BaseModel):
    """A kiosk or display as staff see it (GET /offices/{code}/devices)."""

    id: int
    kind: str
    name: str
    zone: str | None = None
    active: bool
    last_seen_at: str | None = None
    online: bool
    printer: dict[str, object] | None = None


# --- administration (PATCH bodies: only the fields given change) ---------------------------------

# A field left out stays as it is; ``null`` is stated only where it means something (clear a value).
OptName = optional(max_length=200, schema={"minLength": 1, "pattern": trimmed_text(1, 200)})


class OfficeSettingsPatch(Strict):
    priority_interleave: int | None = _setting("priority_interleave")
    recalls_before_no_show: int | None = _setting("recalls_before_no_show")
    reactivation_window_min: int | None = _setting("reactivation_window_min")
    double_call_window_s: int | None = _setting("double_call_window_s")
    allow_call_specific: bool | None = optional()
    observe_public_holidays: bool | None = optional()
    announce_en: bool | None = optional()
    outcome_required: bool | None = optional()
    refuse_unserved: bool | None = optional(description="true: the kiosk refuses a ticket for a service nobody "
                                                         "serves now (409 nobody_serves); false (default): "
                                                         "issues it and says so")


class OfficePatch(Strict):
    name_uk: str | None = OptName
    name_en: str | None = OptName
    timezone: str | None = optional(max_length=64, schema={"minLength": 1})
    opening_hours: Hours | None = optional()
    settings: OfficeSettingsPatch | None = None
    privacy_contact: str | None = Field(default=None, max_length=500)
    contact_phone: str | None = Field(default=None, max_length=32)  # any written form; stored E.164, "" clears


class OfficeAdminOut(OfficeOut):
    settings: dict[str, object]
    privacy_contact: str
    contact_phone: str  # E.164, "" when none
    is_active: bool


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


class UserIn(Strict):
    username: str = Field(min_length=1, max_length=64,
                          json_schema_extra={"maxLength": 64, "pattern": r"^[A-Za-z0-9._-]+$"})
    password: str = Password
    roles: list[Role] = Field(min_length=1, max_length=6)
    offices: list[str] = Field(default_factory=list, max_length=100)
    full_name: str = Field(default="", max_length=200)
    position: str = Field(default="", max_length=200)
    lang: Literal["uk", "en"] = "uk"
    temporary: bool = True  # the owner must change this password at first sign-in (decision 017)


class UserPatch(Strict):
    full_name: str | None = Field(default=None, max_length=200)  # null or "": cleared
    position: str | None = Field(default=None, max_length=200)
    roles: list[Role] | None = optional(max_length=6, schema={"minItems": 1})
    offices: list[str] | None = optional(max_length=100)
    disabled: bool | None = optional()


class PasswordIn(Strict):
    password: str = Password
    temporary: bool = True  # the owner must change it before anything else


class OwnPasswordIn(Strict):
    current_password: str = Field(min_length=1, max_length=512)
    new_password: str = Password


class UserOut(BaseModel):
    id: int
    username: str
    full_name: str
    position: str
    roles: list[str]
    offices: list[str]
    disabled: bool
    lang: str
    must_change_password: bool


class DeviceAdminOut(BaseModel):
    id: int
    kind: str
    name: str
    zone: str | None
    office: str
    active: bool
    created_at: str
    last_seen_at: str | None


class AuditEntry(BaseModel):
    id: int
    at: str
    user: str | None
    action: str
    object_type: str
    object_id: str | None
    office: str | None
    detail: dict[str, object]


# --- answers that had no model (decision 027: every JSON 2xx is described and checked) ------------


class TicketEvent(BaseModel):
    """One entry of a visit's history (GET /tickets/{id}/events)."""

    ticket_id: int
    kind: str
    at: str
    actor_user_id: int | None
    actor_device_id: int | None
    desk: str | None
    rule: str | None
    reason: str | None
    data: dict[str, object] | None


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


class DeskDaySession(ReceptionSessionOut):
    """A session of the leader's day at a desk, with its visitors (hidden from who may not see them)."""

    appointments: list[AppointmentOut]
    visitors_hidden: bool = False


class ErasureVerdict(BaseModel):
    erasable: bool
    reason: str | None
    erasable_from: str | None
    explanation: dict[str, str] | None


class HeldRecord(ErasureVerdict):
    id: int
    office: str
    reg_index: str
    reception_date: str
    surname: str | None
    name: str | None
    patronymic: str | None
    phone: str | None
    removed_from_control: str | None


class HeldAppointment(ErasureVerdict):
    id: int
    office: str
    booking_code: str
    date: str
    status: str
    surname: str | None
    name: str | None
    patronymic: str | None
    phone: str | None


class PersonHeld(BaseModel):
    """What is held about one person, item by item, with whether it may be erased now."""

    records: list[HeldRecord]
    appointments: list[HeldAppointment]


class PersonExport(BaseModel):
    """Everything held about one person (the JSON download)."""

    generated_at: str
    subject: dict[str, str | None]
    records: list[dict[str, object]]
    appointments: list[dict[str, object]]
    notes: list[dict[str, object]]
    offices: dict[str, dict[str, str]] = {}  # code -> names and zone of the offices named above


class ErasedIds(BaseModel):
    records: list[int]
    appointments: list[int]


class KeptItem(ErasureVerdict):
    type: Literal["record", "appointment"]
    id: int


class ErasureOut(BaseModel):
    erased: ErasedIds
    kept: list[KeptItem]

"""Leadership reception: leaders, rules, exceptions, sessions, booking, check-in, the leader's day and the
reception records."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from reception.kernel.bounds import NOT_BLANK, SPACE, YEARS, Id, SaneDate, date_in_range
from reception.leadership.links import VIDEO_URL_MAX, clean_video_url
from reception.leadership.models import LEADER_TEXT_MAX
from reception.leadership.record_values import (
    AnswerMethod,
    Authorship,
    Code,
    Form,
    Kind,
    Long,
    Questions,
    RecordVisitor,
    Short,
    Strict,
    Topic,
)
from reception.notifications.subscriptions import EMAIL

SaneSlot = Annotated[AwareDatetime, AfterValidator(date_in_range), Field(json_schema_extra={"pattern": f"^{YEARS}-"})]
Name = Field(min_length=1, max_length=LEADER_TEXT_MAX)
HHMM = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
# An http(s) link with a host and no spaces or control characters, as the pattern states; then the same
# check as the back-office forms (links.clean_video_url). An empty string is refused here (null: no link).
VIDEO_URL_PATTERN = rf"^https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{{1,5}})?(?:[/?#][^{SPACE}\x00-\x1f\x7f]*)?$"
VideoUrl = Annotated[str, Field(max_length=VIDEO_URL_MAX, pattern=VIDEO_URL_PATTERN), AfterValidator(clean_video_url)]
# A remote reception needs its link (schedule.set_remote / add_rule refuse one without).
REMOTE_NEEDS_LINK: dict[str, Any] = {"anyOf": [{"properties": {"remote": {"const": False}}},
                               {"required": ["video_url"], "properties": {"video_url": {"type": "string"}}}]}


class LeaderIn(Strict):
    office: str = Field(min_length=1, max_length=32)
    name_uk: str = Name
    name_en: str = Name
    position_uk: str = Name
    position_en: str = Name
    user: str | None = Field(default=None, max_length=64, description="username the leader signs in with")


class LeaderOut(BaseModel):
    id: int
    office: str
    name_uk: str
    name_en: str
    position_uk: str
    position_en: str
    user: str | None = None
    is_active: bool


class RuleIn(Strict):
    desk: str = Field(min_length=1, max_length=32)
    weekday: int = Field(ge=1, le=7, description="ISO weekday, Monday = 1")
    nth: Literal[1, 2, 3, 4, 5, -1] | None = Field(default=None, description="n-th weekday of the month; -1 = last")
    start: str = HHMM
    end: str = HHMM
    slot_min: int = Field(ge=5, le=240)
    capacity: int | None = Field(default=None, ge=1, le=500)
    valid_from: SaneDate
    valid_to: SaneDate | None = None
    remote: bool = False
    video_url: VideoUrl | None = None


class RuleOut(BaseModel):
    id: int
    leader: int
    desk: str
    weekday: int
    nth: int | None
    start: str
    end: str
    slot_min: int
    capacity: int | None
    valid_from: str
    valid_to: str | None
    remote: bool
    video_url: str | None
    is_active: bool
    sessions_created: int | None = None


# A move names a new date or a new time (schedule.add_exception).
MOVE_NEEDS_WHERE: dict[str, Any] = {"anyOf": [{"properties": {"action": {"const": "cancel"}}}] + [
    {"required": [name], "properties": {name: {"type": "string"}}} for name in ("new_date", "start", "end")]}


class ExceptionIn(Strict):
    model_config = ConfigDict(json_schema_extra=MOVE_NEEDS_WHERE)

    date: SaneDate = Field(description="the rule's date to cancel or move")
    action: Literal["cancel", "move"]
    new_date: SaneDate | None = None
    start: str | None = Field(default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    end: str | None = Field(default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    reason: str = Field(default="", max_length=500)


class ExceptionOut(BaseModel):
    id: int
    rule: int
    date: str
    action: str
    new_date: str | None
    new_start: str | None
    new_end: str | None
    reason: str
    affected_appointments: list[dict[str, object]]


class Slot(BaseModel):
    index: int
    at: str
    time: str
    free: bool


class ReceptionSessionOut(BaseModel):
    id: int
    leader: int
    date: str
    start: str
    end: str
    desk: str
    capacity: int
    booked: int
    slots: list[Slot]
    status: str
    remote: bool
    video_url: str | None = None
    booking_open: bool


class RemoteIn(Strict):
    model_config = ConfigDict(json_schema_extra=REMOTE_NEEDS_LINK)

    remote: bool
    video_url: VideoUrl | None = None


class VisitorIn(Strict):
    surname: str = Name
    name: str = Name
    patronymic: str | None = Field(default=None, max_length=200)
    # Any written form; normalised to E.164 (and refused in plain words if impossible) by the booking.
    phone: str | None = Field(default=None, max_length=32)


EMAIL_PATTERN = EMAIL.pattern


class BookingNotifyIn(Strict):
    """Messages about the booking (decision 038): only with the visitor's ``consent``; ``sms`` to the
    visitor's phone, and/or ``email`` to this address."""

    consent: Literal[True]
    sms: bool = False
    email: str | None = Field(default=None, max_length=254, pattern=EMAIL_PATTERN)


class AppointmentIn(Strict):
    slot: SaneSlot | None = None
    visitor: VisitorIn
    category: str | None = Field(default=None, max_length=32)
    topic: str = Field(min_length=1, max_length=2000)
    lang: Literal["uk", "en"] = "uk"
    notify: BookingNotifyIn | None = None


class RebookIn(Strict):
    session: Id
    slot: SaneSlot | None = None


class CancelIn(Strict):
    reason: str | None = Field(default=None, max_length=200)


class AppointmentOut(BaseModel):
    id: int
    slot: str
    booking_code: str
    session: int
    status: str
    confirmation: dict[str, str]
    remote: bool
    video_url: str | None = None
    # Decision 023: moved by a suspension (the time first booked), or left for the call-centre to rebook.
    shifted_from_time: str | None = None
    needs_rebooking: bool = False


class DeskDaySession(ReceptionSessionOut):
    """A session of the leader's day at a desk, with its visitors (hidden from who may not see them)."""

    appointments: list[AppointmentOut]
    visitors_hidden: bool = False


class CheckinIn(Strict):
    booking_code: str = Field(min_length=1, max_length=16)
    lang: Literal["uk", "en"] = "uk"


class _RecordFields(Strict):
    """What a caller may send (each optional here; RecordValues says which may not be null)."""

    reception_date: SaneDate | None = None
    leader_id: Id | None = None
    received_by_name: Short | None = None
    received_by_position: Short | None = None
    conceal_name: bool | None = None
    social_status: Short | None = None
    category: Code | None = None
    authorship: Authorship | None = None
    is_repeat: bool | None = None
    form: Form | None = None
    kind: Kind | None = None
    questions: Questions | None = None
    resolution: Long | None = None
    resolution_author: Short | None = None
    executor: Short | None = None
    needs_study: bool | None = None
    result: Long | None = None
    answer_method: AnswerMethod | None = None
    removed_from_control: SaneDate | None = None
    topic: Topic | None = None
    is_consultation: bool | None = None
    answered_on_spot: bool | None = None
    executor_id: Id | None = None


# The visitor is named (surname and first name) unless the record is anonymous (records._validate).
NAMED_UNLESS_ANONYMOUS: dict[str, Any] = {"anyOf": [
    {"required": ["authorship"], "properties": {"authorship": {"const": "anonymous"}}},
    {"required": ["visitor"], "properties": {"visitor": {"required": ["surname", "name"], "properties": {
        "surname": {"pattern": NOT_BLANK}, "name": {"pattern": NOT_BLANK}}}}}]}


class RecordIn(_RecordFields):
    model_config = ConfigDict(json_schema_extra=NAMED_UNLESS_ANONYMOUS)

    office: str = Field(min_length=1, max_length=32)
    kind: Kind
    questions: Questions = Field(min_length=1)
    visitor: RecordVisitor = Field(default_factory=RecordVisitor)
    ticket_id: Id | None = None
    appointment_id: Id | None = None
    due_date: SaneDate | None = Field(default=None, description="an earlier deadline than the law's; never beyond 45 days")


class RecordPatch(_RecordFields):
    visitor: RecordVisitor | None = None
    extended_to: SaneDate | None = None
    extension_reason: str | None = Field(default=None, max_length=1000)
    applicant_informed: bool | None = None
    version: Id | None = Field(default=None, description="the version read; 409 if changed since")


class RecordOut(BaseModel):
    id: int
    office: str
    reg_index: str
    reg_date: str
    reception_date: str
    received_by_name: str
    kind: str
    questions: list[str]
    due_date: str
    extended_to: str | None
    deadline: str
    overdue: bool
    removed_from_control: str | None
    version: int
    form: str = "personal_reception"
    topic: str = ""
    is_consultation: bool = False
    answered_on_spot: bool = False
    is_repeat: bool = False
    repeat_of_id: int | None = None
    executor_id: int | None = None


def flatten_record(body: _RecordFields) -> dict[str, object]:
    """The body as flat record fields (the visitor's fields inline), only what was sent."""
    data = body.model_dump(exclude_unset=True, exclude={"visitor", "office", "version"})
    visitor = getattr(body, "visitor", None)
    if visitor is not None and "visitor" in body.model_fields_set:
        data |= visitor.model_dump(exclude_unset=True)
    return data

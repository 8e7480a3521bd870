"""Public self-service booking: bookable offices, free slots, a booking asked for, confirmed, cancelled."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from reception.http.api.schemas.common import Strict
from reception.kernel.bounds import NOT_BLANK, YEARS, date_in_range
from reception.kernel.errors import BadValue

BookingAt = Annotated[AwareDatetime, AfterValidator(date_in_range), Field(json_schema_extra={"pattern": f"^{YEARS}-"})]
# Not stripped by pydantic: its idea of whitespace (str.strip) is wider than the schema's \s, so a name the
# schema accepts could be refused; the route trims (reception.http.api.routes_public.visitor_of).
PersonName = Field(min_length=1, max_length=100, pattern=NOT_BLANK)


class PublicService(BaseModel):
    code: str
    name_uk: str
    name_en: str
    kind: str
    days_ahead: int = Field(description="booking opens this many days before the day")
    verify_by: Literal["sms", "email"] = Field(description="how the one-time code goes out")
    remote_queue: bool = Field(False, description="the live queue may be joined from a phone now")


class PublicOffice(BaseModel):
    """An office with services open to booking (no personal data)."""

    code: str
    name_uk: str
    name_en: str
    timezone: str
    services: list[PublicService]


class PublicSlot(BaseModel):
    """A time still bookable, and how many places of it are free (0: taken)."""

    at: str
    free: int


class BookingVisitorIn(Strict):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    surname: str = PersonName
    name: str = PersonName
    phone: str | None = Field(default=None, max_length=32)
    email: str | None = Field(default=None, max_length=320)


class PublicBookingIn(Strict):
    office: str = Field(min_length=1, max_length=32)
    service: str = Field(min_length=1, max_length=32)
    at: BookingAt
    visitor: BookingVisitorIn
    consent: Literal[True] = Field(True, description="consent to the processing of personal data (must be true)")
    lang: Literal["uk", "en"] = "uk"
    topic: str | None = Field(default=None, max_length=500,
                              description="the topic of the appeal: required for a leadership reception")


class VerificationOut(BaseModel):
    """The one-time code went out: confirm it within 10 minutes, 5 tries at most."""

    request_id: str
    verify_by: Literal["sms", "email"]


class BookingCodeIn(Strict):
    code: str = Field(min_length=6, max_length=6, pattern=r"^[0-9]{6}$")


class BookingConfirmedOut(BaseModel):
    booking_code: str
    at: str
    service: str
    cancel_token: str


class BookingCancelIn(Strict):
    cancel_token: str = Field(min_length=1, max_length=64)


class BookingCancelledOut(BaseModel):
    booking_code: str
    status: Literal["cancelled"]


class RemoteTicketIn(Strict):
    """A place in the service's live queue from a phone: a phone or an e-mail for the one-time code."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"anyOf": [
        {"required": [name], "properties": {name: {"type": "string", "pattern": NOT_BLANK}}}
        for name in ("phone", "email")]})

    office: str = Field(min_length=1, max_length=32)
    service: str = Field(min_length=1, max_length=32)
    phone: str | None = Field(default=None, max_length=32)
    email: str | None = Field(default=None, max_length=320)
    lang: Literal["uk", "en"] = "uk"

    @model_validator(mode="after")
    def _a_contact(self) -> RemoteTicketIn:
        if not (self.phone or self.email):
            raise BadValue("error.input.contact")
        return self


class RemoteTicketOut(BaseModel):
    """The place: ``code`` to show at the kiosk, ``public_token`` for its status."""

    public_token: str
    code: str


class RemoteTicketStatus(BaseModel):
    """A remote place as its phone page shows it (no personal data)."""

    code: str
    service: str
    service_name_uk: str
    service_name_en: str
    status: Literal["waiting", "checked_in", "lapsed", "cancelled"]
    ahead: int
    come_within_min: int
    joined_at: str
    ticket_public_token: str | None


class StaffBookingIn(Strict):
    """A booking made by the call-centre on the phone, through the same rules; ``override_cap`` passes a
    visitor's cap (recorded in the audit log)."""

    office: str = Field(min_length=1, max_length=32)
    service: str = Field(min_length=1, max_length=32)
    at: BookingAt
    visitor: BookingVisitorIn
    override_cap: bool = False
    lang: Literal["uk", "en"] = "uk"


class StaffBookingOut(BookingConfirmedOut):
    cap_overridden: bool


class ArrivalsReport(BaseModel):
    """Booked, remote and walk-in visitors side by side for a period (``visitors``: per source tickets, called,
    no_show, wait_mean_min, wait_max_min; ``bookings``: booked, checked_in, late_walk_in, cancelled, no_show,
    to_rebook (a suspension took the slot and nobody has booked again yet), lateness_mean_min; ``remote``:
    joined, checked_in, lapsed, never_came)."""

    office: str | None
    from_: str = Field(alias="from")
    to: str
    visitors: dict[str, dict[str, object]]
    bookings: dict[str, object]
    remote: dict[str, int]

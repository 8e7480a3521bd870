"""Personal data (decision 018): whose data, what is held about them, the export and the erasure."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from reception.kernel.bounds import NOT_BLANK
from reception.leadership.record_values import Strict


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
    form: str = "personal_reception"  # how the appeal came (decision 042)


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


class HeldMessage(BaseModel):
    id: int
    channel: str
    kind: str
    status: str
    address: str  # masked
    created_at: str
    erasable: bool


class HeldSubscription(BaseModel):
    id: int
    channel: str
    address: str  # masked
    created_at: str
    revoked: bool
    erasable: bool


class PersonHeld(BaseModel):
    """What is held about one person, item by item, with whether it may be erased now."""

    records: list[HeldRecord]
    appointments: list[HeldAppointment]
    messages: list[HeldMessage] = []  # messages and subscriptions of the same visits (decision 037)
    subscriptions: list[HeldSubscription] = []
    bookings: list[dict[str, object]] = []  # self-service and call-centre bookings (decision 044)
    remote_places: list[dict[str, object]] = []  # places in the live queue taken from a phone
    letters: list[dict[str, object]] = []  # letters of the mail intake: into the person's records or from their e-mail
    feedback: list[dict[str, object]] = []  # ratings and comments left on the person's tickets


class PersonExport(BaseModel):
    """Everything held about one person (the JSON download)."""

    generated_at: str
    subject: dict[str, str | None]
    records: list[dict[str, object]]
    appointments: list[dict[str, object]]
    notes: list[dict[str, object]]
    offices: dict[str, dict[str, str]] = {}  # code -> names and zone of the offices named above
    messages: list[dict[str, object]] = []  # decision 037
    subscriptions: list[dict[str, object]] = []
    feedback: list[dict[str, object]] = []  # ratings and comments left on the person's tickets
    bookings: list[dict[str, object]] = []
    remote_places: list[dict[str, object]] = []
    letters: list[dict[str, object]] = []  # with their text and the attachments' names


class ErasedIds(BaseModel):
    records: list[int]
    appointments: list[int]
    messages: list[int] = []  # decision 037
    subscriptions: list[int] = []
    bookings: list[int] = []
    remote_places: list[int] = []
    letters: list[int] = []
    feedback: list[int] = []  # the ratings whose comment went (the rating itself names nobody)


class KeptItem(ErasureVerdict):
    type: Literal["record", "appointment", "booking", "letter"]
    id: int


class ErasureOut(BaseModel):
    erased: ErasedIds
    kept: list[KeptItem]


class SubjectIn(Strict):
    """Whose data (docs/decisions/018): a phone in any written form and/or the whole surname."""

    model_config = ConfigDict(json_schema_extra={"anyOf": [  # personal_data.Subject.parse
        {"required": [name], "properties": {name: {"type": "string", "pattern": NOT_BLANK}}}
        for name in ("phone", "surname")]})

    phone: str | None = Field(default=None, max_length=32)
    surname: str | None = Field(default=None, max_length=200)
    name: str | None = Field(default=None, max_length=200)

"""Tickets and desks: the desk's commands, the queue's views and a visit's history."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from reception.http.api.schemas.common import Strict
from reception.kernel.bounds import NOT_BLANK, Id


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
    booked_for: str | None = Field(None, description="a checked-in booking's time: called within the office's "
                                                     "tolerance of it")


class PublicStatus(BaseModel):
    code: str
    service: str
    status: str
    position: int | None
    eta_min: int | None
    served_now: bool = Field(True, description="false: nobody serves the ticket's service now (no desk of it "
                                               "open or paused), so eta_min and the range are null")
    desk: str | None = None
    booked_for: str | None = Field(None, description="the slot of the booking the ticket came from "
                                                     "(office-local ISO time), else null")


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

"""The kiosk: its menu and the ticket it issues."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from reception.http.api.schemas.common import Strict
from reception.http.api.schemas.queue import Ticket


class KioskTicketIn(Strict):
    service: str = Field(min_length=1, max_length=32)
    priority: str | None = Field(default=None, max_length=32)
    lang: Literal["uk", "en"] = "uk"
    # One per tap, made by the kiosk: a retry with the same key answers the same ticket.
    idempotency_key: str | None = Field(default=None, min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


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


class KioskMenu(BaseModel):
    """The kiosk's menu. Each service has ``served_now`` (false: no desk of it is open or paused now;
    then ``eta_min`` is null) and, when it may not be taken, ``available`` false with
    ``unavailable_reason`` — e.g. ``nobody_serves`` where the office refuses such tickets."""

    office: dict[str, object]
    open: bool
    services: list[dict[str, object]]
    categories: list[dict[str, object]]
    priority_categories: list[dict[str, object]]

"""The manager's hall view (``GET /offices/{code}/hall``): the read model the page refetches."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from reception.http.api.schemas.appeals import HallAppeals
from reception.http.api.schemas.reports import ReportSatisfaction


class HallService(BaseModel):
    code: str
    prefix: str
    name_uk: str
    name_en: str
    waiting: int
    longest_wait_s: int | None  # as of ``now``, suspended time left out
    target_wait_min: int | None
    over_target: bool
    unserved: bool  # someone waits and no open (not paused, not closed) desk offers the service: an alarm


class HallDesk(BaseModel):
    code: str
    name_uk: str
    name_en: str
    state: str  # closed | open | paused | called (visitor called, not come yet) | serving
    since: str | None
    seconds: int | None  # in this state as of ``now``
    pause_reason: str | None
    ticket: str | None  # the code called or served at the desk (even when paused); never a name
    ticket_status: str | None  # called | serving
    services: list[str]  # codes of the services the desk offers


class HallPrinter(BaseModel):
    paper: str  # ok | near_end | out | unknown
    online: bool | None
    last_print_ok: bool | None
    last_print_at: str | None


class HallDevice(BaseModel):
    id: int
    kind: str  # kiosk | display: both send a heartbeat (a display over its socket, once a minute)
    name: str
    zone: str | None
    online: bool
    last_seen_at: str | None
    printer: HallPrinter | None
    problem: str | None  # offline | paper_out | printer_offline | print_failed | paper_low (a display: offline)
    alarm: bool


class HallAccuracy(BaseModel):
    n: int  # tickets called today that were shown an estimate at issue
    mae_min: float | None
    inside_pct: float | None


class HallAlarms(BaseModel):
    services: int  # over their target wait
    unserved: int  # services someone waits for that no open desk offers
    devices: int


class HallOffice(BaseModel):
    code: str
    name_uk: str
    name_en: str
    timezone: str


class HallAlert(BaseModel):
    """An open alert (``GET /offices/{code}/alerts``) with the words the page shows."""

    kind: str
    severity: str  # warning | critical
    since: str
    detail: dict[str, Any]
    title_uk: str
    title_en: str
    text_uk: str
    text_en: str


class HallOut(BaseModel):
    office: HallOffice
    version: int
    now: str
    suspended: dict[str, Any] | None
    services: list[HallService]
    desks: list[HallDesk]
    devices: list[HallDevice]
    accuracy: HallAccuracy
    alarms: HallAlarms
    alerts: list[HallAlert]  # the office's open alerts, oldest first (decision 040)
    satisfaction: ReportSatisfaction  # the ratings of today's visits (responses, mean, by_score)
    appeals: HallAppeals | None = None  # today's appeals (decision 042)

"""What a wall display and a phone page are sent: read-side views plus display extras.

Thin glue over ``reception.queue.reads`` (one short read), ``reception.platform.speech`` and
``reception.leadership.public_schedule``; no Flask here, so sockets, pages and tests share it.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlalchemy import select

from reception.accounts.models import Device
from reception.leadership.public_schedule import todays_reception_hours
from reception.offices.models import Office
from reception.offices.rules import OfficeSettings, office_day
from reception.offices.suspension import suspension_view
from reception.platform.clock import Clock
from reception.platform.db import Database
from reception.platform.speech import announcements
from reception.queue.models import Ticket
from reception.queue.reads import display_snapshot, public_status
from reception.queue.states import Status

log = logging.getLogger(__name__)

MAX_ZONE_LEN = 32
# Public tokens are ``secrets.token_urlsafe``: anything else is not looked up (PostgreSQL refuses NUL).
PUBLIC_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,63}")


def valid_public_token(value: Any) -> bool:
    return isinstance(value, str) and PUBLIC_TOKEN.fullmatch(value) is not None


def clean_zone(value: Any) -> str | None:
    """A zone asked for by a display (``?zone=``), or None when absent or malformed."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if 0 < len(value) <= MAX_ZONE_LEN and value.isprintable() else None


def _unique_by_code(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A transferred ticket keeps its code: show only its latest call, and none for a visit that moved
    on to another desk or service (its old desk is no longer where to go; decision 032)."""
    seen: set[str] = set()
    unique = []
    for call in calls:
        if call["code"] not in seen:
            seen.add(call["code"])
            if call.get("status") != Status.TRANSFERRED:
                unique.append(call)
    return unique


def waiting_lines(waiting: dict[str, int], services: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The footer's "who waits for what": services with someone waiting, in menu order."""
    return [service | {"waiting": waiting[service["code"]]} for service in services
            if waiting.get(service["code"], 0) > 0]


def display_state(db: Database, clock: Clock, office_id: int, zone: str | None) -> dict[str, Any] | None:
    """The display's ``snapshot`` with additive keys: announcements, waiting lines, server time, reception hours."""
    now = clock.now()
    with db.read() as s:
        office = s.get(Office, office_id)
        if office is None or not office.is_active:
            return None
        snapshot = display_snapshot(s, office, zone, day=office_day(now, office.timezone))
        snapshot["suspended"] = suspension_view(s, office, now)  # null, or {reason, since, …}
        settings = OfficeSettings.from_json(office.settings)
        code, tz = office.code, office.timezone
    english = settings.announce_en
    snapshot["calls"] = [
        call | announcements(call["code"], call["desk_name_uk"], call["desk_name_en"], english=english)
        for call in _unique_by_code(snapshot["calls"])
    ]
    snapshot |= {
        "waiting_total": sum(snapshot["waiting"].values()),
        "waiting_lines": waiting_lines(snapshot["waiting"], snapshot["services"]),
        "timezone": tz,
        "server_time_ms": int(now.timestamp() * 1000),
        "announce_en": english,
        "reception_hours": {lang: _reception_hours(db, clock, code, lang) for lang in ("uk", "en")},
    }
    return snapshot


def _reception_hours(db: Database, clock: Clock, office_code: str, lang: str) -> list[dict[str, Any]]:
    """Today's leadership hours; a fault there must never blank the calls on the wall."""
    try:
        return todays_reception_hours(db, clock, office_code, lang)
    except Exception:
        log.exception("reception hours unavailable for %s", office_code)
        return []


def device_is_active(db: Database, device_id: Any) -> bool:
    """Whether the display a socket was opened for is still paired (not revoked since)."""
    if not isinstance(device_id, int):
        return False
    with db.read() as s:
        return bool(s.scalar(select(Device.is_active).where(Device.id == device_id)))


def ticket_by_token(db: Database, public_token: Any) -> tuple[int, str, str] | None:
    """(ticket id, office code, service code) of a public token, or None."""
    if not valid_public_token(public_token):
        return None
    with db.read() as s:
        ticket = s.scalar(select(Ticket).where(Ticket.public_token == public_token))
        if ticket is None:
            return None
        return ticket.id, ticket.office.code, ticket.service.code


def phone_status(db: Database, clock: Clock, public_token: Any) -> dict[str, Any] | None:
    """The phone page's full status (``reception.queue.reads.public_status``), or None."""
    if not valid_public_token(public_token):
        return None
    with db.read() as s:
        ticket = s.scalar(select(Ticket).where(Ticket.public_token == public_token))
        return public_status(s, ticket, clock.now()) if ticket is not None else None

"""The booking rules, pure: slots from capacity, the booking window, the caps, lateness, codes.

No Flask, no database: the commands load rows and ask these functions (decision 044).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

VERIFY_BY = ("sms", "email")
LATE_ACTIONS = ("walk_in", "refuse")
ON_SUSPENSION = ("rebook", "move")
CODE_TTL = timedelta(minutes=10)
CODE_ATTEMPTS = 5
ACTIVE = ("booked",)  # a booking that still holds its place


@dataclass(frozen=True)
class BookingRules:
    """An office's (or a service's) booking rules; unknown keys are ignored, missing ones default."""

    opens_days_ahead: int = 14  # the window opens N days before the slot's day ...
    opens_at: str = "00:00"  # ... at this local time
    closes_hours_before: int = 1  # and closes M hours before the slot
    cap_per_day: int = 1  # active or used bookings per phone/e-mail per day (0 = no cap)
    cap_per_month: int = 4
    cap_active: int = 2  # bookings still ahead at once
    late_after_min: int = 5  # checking in more than X minutes after the slot ...
    late_action: str = "walk_in"  # ... makes the booking a walk-in ticket, or refuses it
    call_tolerance_min: int = 10  # a checked-in booking is called within this of its time
    leadership_public: bool = False  # leadership reception open to public booking
    verify_by: str = "sms"  # how the one-time code goes out: sms | email
    remote_queue: bool = False  # the live queue may be joined from a phone
    remote_cap_per_day: int = 1
    remote_hold_places: int = 3
    retention_days: int = 90  # a booking's personal data is anonymised this long after its slot
    on_suspension: str = "rebook"  # a slot a suspension took: "rebook" (flag, tell) or "move" (next free slot)

    @classmethod
    def from_json(cls, *layers: Mapping[str, Any] | None) -> BookingRules:
        """The office's settings, then the service's on top."""
        known = {f.name for f in fields(cls)}
        merged: dict[str, Any] = {}
        for layer in layers:
            merged |= {k: v for k, v in (layer or {}).items() if k in known}
        rules = cls(**merged)
        if (rules.verify_by not in VERIFY_BY or rules.late_action not in LATE_ACTIONS
                or rules.on_suspension not in ON_SUSPENSION):
            raise ValueError("verify_by, late_action or on_suspension out of range")
        return rules


@dataclass(frozen=True)
class Capacity:
    weekdays: frozenset[int]
    start: time
    end: time
    slot_min: int
    per_slot: int


def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def slots_of_day(capacities: Iterable[Capacity], day: date, tz: str) -> dict[datetime, int]:
    """Slot start (UTC) -> places, for one office-local day; rows for the same time add up."""
    zone = ZoneInfo(tz)
    out: dict[datetime, int] = {}
    for cap in capacities:
        if day.isoweekday() not in cap.weekdays or cap.slot_min <= 0 or cap.per_slot <= 0:
            continue
        at = datetime.combine(day, cap.start, zone)
        end = datetime.combine(day, cap.end, zone)
        step = timedelta(minutes=cap.slot_min)
        while at + step <= end:
            key = at.astimezone(ZoneInfo("UTC"))
            out[key] = out.get(key, 0) + cap.per_slot
            at += step
    return dict(sorted(out.items()))


def window(slot_at: datetime, rules: BookingRules, tz: str) -> tuple[datetime, datetime]:
    """When booking the slot opens and closes (UTC)."""
    zone = ZoneInfo(tz)
    local_day = slot_at.astimezone(zone).date()
    opens = datetime.combine(local_day - timedelta(days=rules.opens_days_ahead), parse_hhmm(rules.opens_at), zone)
    closes = slot_at - timedelta(hours=rules.closes_hours_before)
    return opens.astimezone(ZoneInfo("UTC")), closes


def is_open(slot_at: datetime, now: datetime, rules: BookingRules, tz: str) -> bool:
    opens, closes = window(slot_at, rules, tz)
    return opens <= now < closes


@dataclass(frozen=True)
class Held:
    """One of the visitor's bookings as the caps see it."""

    slot_at: datetime
    status: str


def cap_reached(held: Iterable[Held], slot_at: datetime, now: datetime, rules: BookingRules, tz: str) -> str | None:
    """Which cap a new booking for ``slot_at`` would pass ("day", "month", "active"), or None.

    Counted: bookings not cancelled (a no-show counts: it used the place); one a suspension took and
    flagged for rebooking does not count, so its visitor may book again."""
    zone = ZoneInfo(tz)
    local = slot_at.astimezone(zone)
    counted = [h for h in held if h.status not in ("cancelled", "needs_rebooking")]
    same_day = sum(1 for h in counted if h.slot_at.astimezone(zone).date() == local.date())
    same_month = sum(1 for h in counted if (lambda d: (d.year, d.month))(h.slot_at.astimezone(zone))
                     == (local.year, local.month))
    active = sum(1 for h in counted if h.status in ACTIVE and h.slot_at >= now)
    if rules.cap_per_day and same_day >= rules.cap_per_day:
        return "day"
    if rules.cap_per_month and same_month >= rules.cap_per_month:
        return "month"
    if rules.cap_active and active >= rules.cap_active:
        return "active"
    return None


def lateness(slot_at: datetime, now: datetime, rules: BookingRules) -> str:
    """At check-in: "on_time" (early or within the rule), "walk_in" or "refuse" (late by more than X min)."""
    if now - slot_at > timedelta(minutes=rules.late_after_min):
        return rules.late_action
    return "on_time"


# --- codes and tokens --------------------------------------------------------------------------------


def new_verification_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def new_request_id() -> str:
    return secrets.token_urlsafe(16)


def new_cancel_token() -> str:
    return secrets.token_urlsafe(24)


def digest(secret: str, salt: str = "") -> str:
    """What is stored of a code or token: SHA-256 over the salt (the request id) and the secret."""
    return hashlib.sha256(f"{salt}:{secret}".encode()).hexdigest()


def matches(secret: str, stored: str, salt: str = "") -> bool:
    return hmac.compare_digest(digest(secret, salt), stored)


def code_state(*, attempts: int, expires_at: datetime, used_at: datetime | None, now: datetime) -> str:
    """"open", "used", "expired" or "exhausted" (five wrong tries)."""
    if used_at is not None:
        return "used"
    if now >= expires_at:
        return "expired"
    if attempts >= CODE_ATTEMPTS:
        return "exhausted"
    return "open"


def plan_after_pause(booked: Iterable[tuple[int, datetime]], free: Mapping[datetime, int], until: datetime,
                     move: bool) -> tuple[dict[int, datetime], list[int]]:
    """Bookings ``(id, slot)`` a pause ending at ``until`` took, on one service's day: the moves to the next
    free slots from ``until`` on (``free``: slot -> places left), in their order (nobody overtakes an
    earlier booking), and the ones to rebook (all of them when the office does not move)."""
    moves: dict[int, datetime] = {}
    rebook: list[int] = []
    left = dict(free)
    floor = until
    for booking_id, _slot in sorted(booked, key=lambda b: (b[1], b[0])):
        target = next((at for at in sorted(left) if at >= floor and left[at] > 0), None) if move else None
        if target is None:
            rebook.append(booking_id)
            move = False  # keeping order: once one has no room, the later ones have none either
            continue
        moves[booking_id] = target
        left[target] -= 1
        floor = target
    return moves, rebook

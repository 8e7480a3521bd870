"""Pure rules of an office's day: settings, opening hours, the office-local day, walk-in refusals, suspensions.

No Flask, no database: plain values in and out, so tests and the simulator drive them directly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reception.kernel.errors import (
    BookingRequired,
    Conflict,
    DailyLimitReached,
    NobodyServes,
    OfficeClosed,
    OfficeSuspended,
    ServiceUnavailable,
)


@dataclass(frozen=True)
class OfficeSettings:
    """Queue behaviour of an office; stored as JSON on the office row."""

    priority_interleave: int = 2  # at most this many priority calls in a row while others wait
    recalls_before_no_show: int = 0  # recalls required before a no-show may be marked
    reactivation_window_min: int = 30  # a no-show may be put back in the queue within this time
    allow_call_specific: bool = False  # calling a particular ticket out of order
    observe_public_holidays: bool = False  # under martial law public holidays are working days
    announce_en: bool = False  # display also announces in English
    # On: Next is refused while a visitor is at the desk without an outcome; off: Next ends the visit (003).
    outcome_required: bool = False
    # A second Next this many seconds after a call, with nothing done in between, is a double click.
    double_call_window_s: int = 5
    # Nobody serves the service now (no desk of it open or paused): off, the kiosk issues the ticket
    # and says so; on, it refuses with ``nobody_serves`` (decision 034).
    refuse_unserved: bool = False
    # "I'm running late" (the visitor's channel) moves a waiting ticket back this many places, once.
    late_move_places: int = 3

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> OfficeSettings:
        known = {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)


def to_local(now_utc: datetime, tz: str) -> datetime:
    return now_utc.astimezone(ZoneInfo(tz))


def office_day(now_utc: datetime, tz: str) -> date:
    """The office-local date: numbering restarts at local midnight, not at UTC midnight."""
    return to_local(now_utc, tz).date()


def _parse_hhmm(value: str) -> time:
    if value == "24:00":
        return time.max
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def is_open(hours: dict[str, Any] | None, now_utc: datetime, tz: str) -> bool:
    """Whether ``now`` falls in the weekly hours ``{"1": [["09:00","18:00"]], ...}``.

    An empty schedule means "always open" (a service without its own hours follows the office).
    """
    if not hours:
        return True
    local = to_local(now_utc, tz)
    intervals = hours.get(str(local.isoweekday()), [])
    moment = local.time()
    return any(_parse_hhmm(start) <= moment < _parse_hhmm(end) for start, end in intervals)


def validate_hours(hours: dict[str, Any]) -> dict[str, list[list[str]]]:
    """Normalise and check a weekly hours mapping; raises ValueError on a malformed one."""
    clean: dict[str, list[list[str]]] = {}
    for day, intervals in hours.items():
        if str(day) not in {"1", "2", "3", "4", "5", "6", "7"}:
            raise ValueError(f"weekday {day!r}")
        checked = []
        for start, end in intervals:
            if _parse_hhmm(start) >= _parse_hhmm(end):
                raise ValueError(f"interval {start}-{end}")
            checked.append([start, end])
        clean[str(day)] = checked
    return clean


def walk_in_refusal(office_hours: dict[str, Any] | None, service_code: str, service_hours: dict[str, Any] | None,
                    *, kind: str, walk_ins: bool, now_utc: datetime, tz: str,
                    daily_limit: int | None = None, issued_today: int | None = None,
                    suspended: str | None = None, refuse_unserved: bool = False,
                    served: bool = True) -> Conflict | OfficeSuspended | None:
    """Why a walk-in may not take a ticket for a service now, or None: the one rule that the
    kiosk menu shows and the issuing command enforces.

    ``issued_today`` is for the menu's forecast; the command checks the limit against the
    number it has just drawn, which no other kiosk can race.  ``suspended`` is the reason of
    the office's suspension in force (air-raid alert, blackout), which outranks everything.
    ``served`` is :func:`reception.queue.estimates.served_now` for the service; an office that
    ``refuse_unserved`` issues no ticket nobody serves.
    """
    if suspended is not None:
        return suspension_refusal(suspended)
    if not is_open(office_hours, now_utc, tz):
        return OfficeClosed()
    if not is_open(service_hours, now_utc, tz):
        return ServiceUnavailable(service=service_code)
    if kind == "leadership" and not walk_ins:
        return BookingRequired(service=service_code)
    if daily_limit is not None and issued_today is not None and issued_today >= daily_limit:
        return DailyLimitReached(service=service_code)
    if refuse_unserved and not served:
        return NobodyServes(service=service_code)
    return None


# --- suspension (air-raid alert, blackout) ---------------------------------------------------

SUSPENSION_REASONS = ("air_raid", "blackout", "other")
RESUME_DELAY_MIN = 10  # after the all-clear during the working day: back from the shelter
LATE_OPENING_DELAY_MIN = 30  # an alert that ran past opening time: the office opens this long after it


def suspension_refusal(reason: str, *, audience: str = "visitor", status: int = 503) -> OfficeSuspended:
    """The refusal every issuing or calling path gives while the office is suspended."""
    return OfficeSuspended(reason, audience=audience, status=status)


def suspension_in_force(resume_at: datetime | None, now_utc: datetime) -> bool:
    """An open suspension holds until its scheduled resume time (none set: until resumed by hand)."""
    return resume_at is None or now_utc < resume_at


def first_opening(hours: dict[str, Any] | None, day: date, tz: str) -> datetime | None:
    """When the office opens on ``day`` (office-local), as an aware datetime; None if it does not
    open that day or keeps no hours (always open)."""
    starts = [_parse_hhmm(start) for start, _end in (hours or {}).get(str(day.isoweekday()), [])]
    if not starts:
        return None
    return datetime.combine(day, min(starts), tzinfo=ZoneInfo(tz))


def default_resume_at(since: datetime, all_clear: datetime, hours: dict[str, Any] | None, tz: str) -> datetime:
    """When an office resumes after the all-clear, as Ukrainian offices do (decision 012).

    Within :data:`RESUME_DELAY_MIN` of the all-clear; but when the alert ran past the day's
    opening time (it began before the office opened and ended after), the office opens
    :data:`LATE_OPENING_DELAY_MIN` after the all-clear, so staff can come in and open up.
    Only the first opening of the day counts: after a lunch break the staff are already in.
    """
    opening = first_opening(hours, office_day(all_clear, tz), tz)
    if opening is not None and since < opening <= all_clear:
        return all_clear + timedelta(minutes=LATE_OPENING_DELAY_MIN)
    return all_clear + timedelta(minutes=RESUME_DELAY_MIN)

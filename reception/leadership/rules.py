"""Pure expansion of reception rules into dated occurrences, and the working-day calendar.

No database, no Flask, no clock: plain values in, plain values out.

Public holidays.  The ``holidays`` package encodes martial law itself: since 2022 its
``public`` category for Ukraine is empty (holidays are working days, Law No. 2136-IX) and the
statutory holiday dates sit in its ``workday`` category.  An office that *does* close on
holidays (``observe_public_holidays = True``) therefore skips the union of both categories,
which stays right before, during and after martial law.  With the default ``False`` nothing
is skipped: "don't skip, holidays are working days".

Time.  Rules are office-local wall-clock ("10:00" means 10:00 in Kyiv in January and in July);
slot instants are computed per slot from the wall clock and stored as aware UTC, so a DST
change never shifts a reception by an hour.
"""

from __future__ import annotations

import calendar as _cal
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as _holidays

CANCEL, MOVE = "cancel", "move"
HOLIDAY_EVE = "holiday_eve"
MOVED = "moved"


def parse_hhmm(value: str) -> time:
    """"10:00" -> time(10, 0); raises ValueError for anything else."""
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        raise ValueError(f"time {value!r}: expected HH:MM")
    hours, minutes = int(value[:2]), int(value[3:])
    return time(hours, minutes)


def hhmm(moment: time) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


@lru_cache(maxsize=64)
def _statutory_year(year: int) -> dict[date, str]:
    found: dict[date, str] = {}
    for category in ("public", "workday"):
        found.update(_holidays.country_holidays("UA", years=year, categories=(category,), language="uk"))
    return found


def statutory_holidays(years: Iterable[int]) -> dict[date, str]:
    """Ukraine's statutory public holidays (Labour Code Art. 73), martial law or not, with names."""
    out: dict[date, str] = {}
    for year in years:
        out.update(_statutory_year(year))
    return out


@dataclass(frozen=True)
class WorkCalendar:
    """Which days an office works: Monday-Friday, less the holidays it observes."""

    observe_holidays: bool = False
    eve_shorten_min: int = 0  # shorter hours on the eve of an observed holiday (0 = not configured)
    holidays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def for_years(cls, years: Iterable[int], *, observe_holidays: bool, eve_shorten_min: int = 0) -> WorkCalendar:
        days = frozenset(statutory_holidays(years)) if observe_holidays else frozenset()
        return cls(observe_holidays, eve_shorten_min, days)

    def is_holiday(self, day: date) -> bool:
        return day in self.holidays

    def is_working_day(self, day: date) -> bool:
        return day.isoweekday() <= 5 and not self.is_holiday(day)

    def is_holiday_eve(self, day: date) -> bool:
        return not self.is_holiday(day) and self.is_holiday(day + timedelta(days=1))


@dataclass(frozen=True)
class Rule:
    weekday: int  # ISO 1..7
    start: time
    end: time
    slot_min: int
    valid_from: date
    valid_to: date | None = None
    nth: int | None = None  # None weekly; 1..5 n-th of month; -1 last
    capacity: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.weekday <= 7:
            raise ValueError("weekday must be 1..7")
        if self.nth is not None and self.nth not in (1, 2, 3, 4, 5, -1):
            raise ValueError("nth must be 1..5 or -1")
        if self.start >= self.end:
            raise ValueError("start must be before end")
        if not 5 <= self.slot_min <= 240:
            raise ValueError("slot_min must be 5..240")
        if _minutes(self.start, self.end) < self.slot_min:
            raise ValueError("the time range holds no slot")
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        if self.capacity is not None and self.capacity < 1:
            raise ValueError("capacity must be positive")


@dataclass(frozen=True)
class Exception_:
    """An exception to one date of a rule (``rule_date`` is the rule's own date)."""

    rule_date: date
    action: str  # cancel | move
    new_date: date | None = None
    new_start: time | None = None
    new_end: time | None = None


@dataclass(frozen=True)
class Occurrence:
    origin: date  # the rule's date
    day: date  # the date it is held (differs when moved)
    start: time
    end: time
    note: str | None = None  # holiday_eve | moved


def _minutes(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The n-th (1..5, or -1 = last) ISO weekday of a month; None when the month has no such day."""
    days = [
        date(year, month, d)
        for d in range(1, _cal.monthrange(year, month)[1] + 1)
        if date(year, month, d).isoweekday() == weekday
    ]
    if nth == -1:
        return days[-1]
    return days[nth - 1] if nth <= len(days) else None


def rule_dates(rule: Rule, start: date, end: date) -> list[date]:
    """The rule's own dates within [start, end] and its validity, before holidays and exceptions."""
    lo = max(start, rule.valid_from)
    hi = min(end, rule.valid_to) if rule.valid_to else end
    if lo > hi:
        return []
    if rule.nth is None:
        first = lo + timedelta(days=(rule.weekday - lo.isoweekday()) % 7)
        return [first + timedelta(weeks=k) for k in range(((hi - first).days // 7) + 1)] if first <= hi else []
    out: list[date] = []
    year, month = lo.year, lo.month
    while (year, month) <= (hi.year, hi.month):
        found = nth_weekday(year, month, rule.weekday, rule.nth)
        if found is not None and lo <= found <= hi:
            out.append(found)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def hours_overlap(a_start: time, a_end: time, b_start: time, b_end: time) -> bool:
    """Two receptions of one day share a minute (10:00–12:00 and 12:00–13:00 do not)."""
    return a_start < b_end and b_start < a_end


# Both rules open-ended: every pairing of weekday positions in a month (the 5th, the last, …) comes up
# within 14 months, so a shared date, if any, shows within this window.
SHARED_DATE_WINDOW = timedelta(days=430)


def first_shared_date(a: Rule, b: Rule, start: date, skip: Collection[date] = ()) -> date | None:
    """The first date on or after ``start`` on which both rules hold a reception at overlapping hours,
    or None if they never do; ``skip`` are dates ``b`` does not hold as its rule says (cancelled or moved).

    Holidays are not taken off: a room double-booked on working days is double-booked still.
    """
    if a.weekday != b.weekday or not hours_overlap(a.start, a.end, b.start, b.end):
        return None
    lo = max(start, a.valid_from, b.valid_from)
    ends = [d for d in (a.valid_to, b.valid_to) if d is not None]
    hi = min(ends) if ends else lo + SHARED_DATE_WINDOW
    theirs = set(rule_dates(b, lo, hi)).difference(skip)
    return next((day for day in rule_dates(a, lo, hi) if day in theirs), None)


def holds_on(rule: Rule, day: date) -> bool:
    """Does the rule fall on ``day`` (weekday, n-th, validity; before holidays and exceptions)?"""
    return bool(rule_dates(rule, day, day))


def _shortened(day: date, start: time, end: time, cal: WorkCalendar) -> tuple[time, str | None] | None:
    """The end time on ``day`` (shorter on a holiday eve if configured); None if nothing is left."""
    if cal.observe_holidays and cal.eve_shorten_min > 0 and cal.is_holiday_eve(day):
        total = end.hour * 60 + end.minute - cal.eve_shorten_min
        if total <= start.hour * 60 + start.minute:
            return None
        return time(total // 60, total % 60), HOLIDAY_EVE
    return end, None


def expand(
    rule: Rule,
    start: date,
    end: date,
    cal: WorkCalendar,
    exceptions: Iterable[Exception_] = (),
) -> list[Occurrence]:
    """Dated occurrences of ``rule`` whose rule date falls in [start, end], by date.

    Holidays the office observes are skipped; a cancelled date disappears; a moved date is
    held on its new date/time (the manager chose it, so no holiday check applies to it).
    """
    by_date = {e.rule_date: e for e in exceptions}
    out: list[Occurrence] = []
    for origin in rule_dates(rule, start, end):
        exc = by_date.get(origin)
        if exc is not None and exc.action == CANCEL:
            continue
        if exc is not None and exc.action == MOVE:
            new_start = exc.new_start or rule.start
            new_end = exc.new_end or rule.end
            out.append(Occurrence(origin, exc.new_date or origin, new_start, new_end, MOVED))
            continue
        if cal.is_holiday(origin):
            continue
        shortened = _shortened(origin, rule.start, rule.end, cal)
        if shortened is None:
            continue
        out.append(Occurrence(origin, origin, rule.start, shortened[0], shortened[1]))
    return sorted(out, key=lambda o: (o.day, o.start))


def local_instant(day: date, moment: time, tz: str) -> datetime:
    """Office-local wall clock -> aware UTC (zoneinfo resolves the DST fold/gap)."""
    return datetime.combine(day, moment, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def slot_starts(day: date, start: time, end: time, slot_min: int, tz: str) -> list[datetime]:
    """Slot start instants (UTC), stepping the *wall clock* so DST days keep their local times."""
    first = start.hour * 60 + start.minute
    count = _minutes(start, end) // slot_min
    return [
        local_instant(day, time((first + k * slot_min) // 60, (first + k * slot_min) % 60), tz)
        for k in range(count)
    ]


def session_capacity(start: time, end: time, slot_min: int, capacity: int | None) -> int:
    """Visitors a session takes: one per slot, bounded by the rule's capacity if given."""
    slots = _minutes(start, end) // slot_min
    return min(capacity, slots) if capacity else slots


def booking_last_day(session_day: date, cutoff_working_days: int, cal: WorkCalendar) -> date:
    """The last office-local date on which a session on ``session_day`` may still be booked.

    "Booking closes N working days before": the visitor books at least N working days
    ahead, i.e. up to and including the N-th working day before the session (N = 1, session
    on Thursday: book by Wednesday).  N = 0 keeps booking open on the session day itself.
    """
    day, counted = session_day, 0
    while counted < cutoff_working_days:
        day -= timedelta(days=1)
        if cal.is_working_day(day):
            counted += 1
    return day

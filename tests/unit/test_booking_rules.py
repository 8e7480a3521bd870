"""The booking rules, pure: slots from capacity, the window, the caps, lateness, codes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from reception.booking import rules as R

TZ = "Europe/Kyiv"
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # Tuesday 10:00 in Kyiv


def cap(start: time = time(10), end: time = time(13), per_slot: int = 2) -> R.Capacity:
    return R.Capacity(frozenset({1, 2, 3, 4, 5}), start, end, 15, per_slot)


def test_slots_of_a_working_day_and_none_on_another() -> None:
    slots = R.slots_of_day([cap()], date(2026, 11, 25), TZ)
    assert len(slots) == 12 and set(slots.values()) == {2}
    first = next(iter(slots))
    assert first == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # 10:00 in Kyiv
    assert R.slots_of_day([cap()], date(2026, 11, 28), TZ) == {}  # Saturday


def test_two_capacity_rows_for_the_same_time_add_up_and_a_short_tail_is_no_slot() -> None:
    slots = R.slots_of_day([cap(), cap(start=time(12), end=time(12, 40), per_slot=1)], date(2026, 11, 25), TZ)
    at_12 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert slots[at_12] == 3
    assert datetime(2026, 11, 25, 10, 30, tzinfo=UTC) in slots  # 12:30 from the first row only
    assert slots[datetime(2026, 11, 25, 10, 30, tzinfo=UTC)] == 2  # 12:30-12:45 does not fit the second


def test_the_window_opens_n_days_ahead_at_the_hour_and_closes_m_hours_before() -> None:
    rules = R.BookingRules(opens_days_ahead=21, opens_at="06:00", closes_hours_before=2)
    slot = datetime(2026, 12, 15, 8, 0, tzinfo=UTC)  # 15.12 10:00 Kyiv
    opens, closes = R.window(slot, rules, TZ)
    assert opens == datetime(2026, 11, 24, 4, 0, tzinfo=UTC)  # 24.11 06:00 Kyiv
    assert closes == slot - timedelta(hours=2)
    assert R.is_open(slot, opens, rules, TZ)
    assert not R.is_open(slot, opens - timedelta(seconds=1), rules, TZ)
    assert not R.is_open(slot, closes, rules, TZ)
    assert R.is_open(slot, closes - timedelta(seconds=1), rules, TZ)


def held(day: int, status: str = "booked", hour: int = 8) -> R.Held:
    return R.Held(datetime(2026, 11, day, hour, 0, tzinfo=UTC), status)


def test_caps_per_day_per_month_and_at_once() -> None:
    rules = R.BookingRules(cap_per_day=1, cap_per_month=3, cap_active=2)
    slot = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    assert R.cap_reached([], slot, NOW, rules, TZ) is None
    assert R.cap_reached([held(27)], slot, NOW, rules, TZ) == "day"
    assert R.cap_reached([held(27, "cancelled")], slot, NOW, rules, TZ) is None  # a cancelled one frees it
    past = [held(2, "checked_in"), held(3, "no_show"), held(4, "checked_in")]
    assert R.cap_reached(past, slot, NOW, rules, TZ) == "month"  # a no-show counts
    assert R.cap_reached([held(25), held(26)], slot, NOW, rules, TZ) == "active"
    assert R.cap_reached([held(25), held(26)], slot, NOW, R.BookingRules(cap_active=0, cap_per_month=0), TZ) is None


def test_lateness_walk_in_or_refuse_after_x_minutes() -> None:
    slot = NOW
    walk = R.BookingRules(late_after_min=2, late_action="walk_in")
    assert R.lateness(slot, slot - timedelta(minutes=30), walk) == "on_time"
    assert R.lateness(slot, slot + timedelta(minutes=2), walk) == "on_time"
    assert R.lateness(slot, slot + timedelta(minutes=2, seconds=1), walk) == "walk_in"
    refuse = R.BookingRules(late_after_min=2, late_action="refuse")
    assert R.lateness(slot, slot + timedelta(minutes=3), refuse) == "refuse"


def test_rules_merge_office_then_service_and_refuse_nonsense() -> None:
    rules = R.BookingRules.from_json({"verify_by": "email", "cap_per_day": 2}, {"cap_per_day": 1, "junk": 1})
    assert rules.verify_by == "email" and rules.cap_per_day == 1
    with pytest.raises(ValueError):
        R.BookingRules.from_json({"verify_by": "pigeon"})


def test_codes_are_six_digits_hashed_and_die_after_five_tries_or_ten_minutes() -> None:
    code = R.new_verification_code()
    assert len(code) == 6 and code.isdigit()
    stored = R.digest(code, "req")
    assert code not in stored and R.matches(code, stored, "req") and not R.matches(code, stored, "other")
    later = NOW + R.CODE_TTL
    assert R.code_state(attempts=0, expires_at=later, used_at=None, now=NOW) == "open"
    assert R.code_state(attempts=5, expires_at=later, used_at=None, now=NOW) == "exhausted"
    assert R.code_state(attempts=0, expires_at=later, used_at=None, now=later) == "expired"
    assert R.code_state(attempts=0, expires_at=later, used_at=NOW, now=NOW) == "used"

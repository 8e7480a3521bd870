"""Two reception rules in one room: on which date, if any, would both be held at overlapping hours (pure)."""

from __future__ import annotations

from datetime import date, time

import pytest

from reception.leadership.rules import Rule, first_shared_date, holds_on, hours_overlap

NOV_1 = date(2026, 11, 1)  # a Sunday; Mondays of November 2026: 2, 9, 16, 23, 30


def rule(start: str, end: str, weekday: int = 1, nth: int | None = None, valid_from: date = NOV_1,
         valid_to: date | None = None) -> Rule:
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    return Rule(weekday=weekday, start=time(h1, m1), end=time(h2, m2), slot_min=15, nth=nth, valid_from=valid_from,
                valid_to=valid_to)


def test_the_demo_double_booking_monday_16_20_and_17_19() -> None:
    assert first_shared_date(rule("16:00", "20:00"), rule("17:00", "19:00"), NOV_1) == date(2026, 11, 2)
    assert first_shared_date(rule("17:00", "19:00"), rule("16:00", "20:00"), date(2026, 11, 3)) == date(2026, 11, 9)


@pytest.mark.parametrize(("a", "b", "shared"), [
    (("10:00", "12:00"), ("12:00", "13:00"), False),  # one ends as the other begins
    (("10:00", "12:00"), ("11:59", "13:00"), True),
    (("10:00", "12:00"), ("09:00", "10:01"), True),
    (("10:00", "12:00"), ("10:30", "11:00"), True),  # one inside the other
    (("10:00", "12:00"), ("08:00", "10:00"), False),
])
def test_hours_share_a_minute(a: tuple[str, str], b: tuple[str, str], shared: bool) -> None:
    ta, tb = [tuple(time.fromisoformat(x) for x in pair) for pair in (a, b)]
    assert hours_overlap(*ta, *tb) is shared and hours_overlap(*tb, *ta) is shared


def test_other_weekday_never_shares() -> None:
    assert first_shared_date(rule("10:00", "12:00", weekday=1), rule("10:00", "12:00", weekday=2), NOV_1) is None


def test_first_and_second_monday_never_meet() -> None:
    assert first_shared_date(rule("10:00", "12:00", nth=1), rule("10:00", "12:00", nth=2), NOV_1) is None


def test_every_monday_meets_the_first_monday() -> None:
    assert first_shared_date(rule("10:00", "12:00"), rule("11:00", "13:00", nth=1), NOV_1) == date(2026, 11, 2)


def test_fourth_and_last_monday_meet_in_a_month_of_four_mondays() -> None:
    # November 2026 has five Mondays (the 4th is the 23rd, the last the 30th); December has four: 28.12 is both.
    assert first_shared_date(rule("10:00", "12:00", nth=4), rule("10:00", "12:00", nth=-1), NOV_1) == date(2026, 12, 28)


def test_fifth_monday_is_the_last_monday() -> None:
    assert first_shared_date(rule("10:00", "12:00", nth=5), rule("10:00", "12:00", nth=-1), NOV_1) == date(2026, 11, 30)
    # From December on, the next month with five Mondays is March 2027 (1, 8, 15, 22, 29).
    assert first_shared_date(rule("10:00", "12:00", nth=5), rule("10:00", "12:00"), date(2026, 12, 1)) == date(2027, 3, 29)


def test_validity_ranges() -> None:
    until_december = rule("10:00", "12:00", valid_to=date(2026, 12, 31))
    from_january = rule("10:00", "12:00", valid_from=date(2027, 1, 1))
    assert first_shared_date(until_december, from_january, NOV_1) is None
    assert first_shared_date(rule("10:00", "12:00"), from_january, NOV_1) == date(2027, 1, 4)
    # The ranges touch on one Monday only.
    last_day = rule("10:00", "12:00", valid_to=date(2027, 1, 4))
    assert first_shared_date(last_day, from_january, NOV_1) == date(2027, 1, 4)
    assert first_shared_date(last_day, rule("10:00", "12:00", valid_from=date(2027, 1, 5)), NOV_1) is None


def test_only_dates_from_start_and_those_not_skipped() -> None:
    assert first_shared_date(rule("10:00", "12:00"), rule("10:00", "12:00"), date(2026, 11, 17)) == date(2026, 11, 23)
    skipped = {date(2026, 11, 2), date(2026, 11, 9)}  # the other rule's dates cancelled or moved away
    assert first_shared_date(rule("10:00", "12:00"), rule("10:00", "12:00"), NOV_1, skipped) == date(2026, 11, 16)
    one_date = rule("10:00", "12:00", valid_to=date(2026, 11, 2))
    assert first_shared_date(rule("10:00", "12:00"), one_date, NOV_1, {date(2026, 11, 2)}) is None


def test_holds_on() -> None:
    assert holds_on(rule("10:00", "12:00", nth=-1), date(2026, 11, 30))
    assert not holds_on(rule("10:00", "12:00", nth=-1), date(2026, 11, 23))
    assert not holds_on(rule("10:00", "12:00", valid_from=date(2026, 12, 1)), date(2026, 11, 30))

"""Rule expansion across a whole year: holidays, holiday eves, DST, exceptions, n-th and last weekdays."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from reception.leadership.rules import (
    HOLIDAY_EVE,
    MOVED,
    Exception_,
    Rule,
    WorkCalendar,
    booking_last_day,
    expand,
    nth_weekday,
    session_capacity,
    slot_starts,
    statutory_holidays,
)

YEAR = (date(2026, 1, 1), date(2026, 12, 31))
THURSDAY_10_13 = Rule(weekday=4, start=time(10), end=time(13), slot_min=15, valid_from=date(2026, 1, 1))
OBSERVING = WorkCalendar.for_years([2026], observe_holidays=True)
MARTIAL_LAW = WorkCalendar.for_years([2026], observe_holidays=False)


def test_statutory_holidays_are_known_even_under_martial_law() -> None:
    days = statutory_holidays([2026])
    assert date(2026, 1, 1) in days and date(2026, 8, 24) in days and date(2026, 10, 1) in days
    assert days[date(2026, 8, 24)] == "День незалежності України"


def test_weekly_rule_over_a_year_skips_observed_holidays() -> None:
    held = [o.day for o in expand(THURSDAY_10_13, *YEAR, OBSERVING)]
    all_thursdays = [o.day for o in expand(THURSDAY_10_13, *YEAR, MARTIAL_LAW)]
    assert len(all_thursdays) == 53  # 2026 starts and ends on a Thursday
    assert all(d.isoweekday() == 4 for d in all_thursdays)
    # New Year (Thu 1 Jan) and Defenders' Day (Thu 1 Oct) are the Thursday holidays of 2026.
    assert sorted(set(all_thursdays) - set(held)) == [date(2026, 1, 1), date(2026, 10, 1)]


def test_martial_law_default_skips_nothing() -> None:
    assert WorkCalendar().observe_holidays is False
    assert len(expand(THURSDAY_10_13, *YEAR, WorkCalendar())) == 53


def test_holiday_eve_shortens_hours_only_when_configured() -> None:
    cal = WorkCalendar.for_years([2026], observe_holidays=True, eve_shorten_min=60)
    eves = {o.day: o for o in expand(THURSDAY_10_13, *YEAR, cal) if o.note == HOLIDAY_EVE}
    # Thursdays before Friday holidays: Labour Day, Remembrance Day, Christmas.
    assert sorted(eves) == [date(2026, 4, 30), date(2026, 5, 7), date(2026, 12, 24)]
    assert all(o.end == time(12) and o.start == time(10) for o in eves.values())
    assert not any(o.note for o in expand(THURSDAY_10_13, *YEAR, OBSERVING))


def test_eve_shortening_that_leaves_nothing_drops_the_session() -> None:
    cal = WorkCalendar.for_years([2026], observe_holidays=True, eve_shorten_min=180)
    days = [o.day for o in expand(THURSDAY_10_13, *YEAR, cal)]
    assert date(2026, 4, 30) not in days and date(2026, 4, 23) in days


def test_last_friday_of_every_month() -> None:
    rule = Rule(weekday=5, nth=-1, start=time(14), end=time(16), slot_min=20, valid_from=date(2026, 1, 1))
    days = [o.day for o in expand(rule, *YEAR, MARTIAL_LAW)]
    assert len(days) == 12
    assert days[:3] == [date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27)]
    assert days[-1] == date(2026, 12, 25)
    assert all(d.isoweekday() == 5 and (d + timedelta(days=7)).month != d.month for d in days)
    # Christmas is the last Friday of December: skipped where holidays are observed.
    assert date(2026, 12, 25) not in [o.day for o in expand(rule, *YEAR, OBSERVING)]


def test_first_and_fifth_weekday_of_month() -> None:
    first = Rule(weekday=4, nth=1, start=time(10), end=time(13), slot_min=15, valid_from=date(2026, 1, 1))
    days = [o.day for o in expand(first, *YEAR, MARTIAL_LAW)]
    assert len(days) == 12 and all(d.day <= 7 for d in days)
    fifth = Rule(weekday=4, nth=5, start=time(10), end=time(13), slot_min=15, valid_from=date(2026, 1, 1))
    fifths = [o.day for o in expand(fifth, *YEAR, MARTIAL_LAW)]
    assert fifths == [date(2026, 1, 29), date(2026, 4, 30), date(2026, 7, 30), date(2026, 10, 29),
                      date(2026, 12, 31)]
    assert nth_weekday(2026, 2, 4, 5) is None


def test_validity_bounds() -> None:
    rule = Rule(weekday=2, start=time(10), end=time(11), slot_min=30, valid_from=date(2026, 3, 3),
                valid_to=date(2026, 3, 31))
    assert [o.day for o in expand(rule, *YEAR, MARTIAL_LAW)] == [date(2026, 3, d) for d in (3, 10, 17, 24, 31)]


def test_exceptions_cancel_and_move_one_date() -> None:
    exceptions = [
        Exception_(date(2026, 2, 5), "cancel"),
        Exception_(date(2026, 2, 12), "move", date(2026, 2, 13), time(15), time(17)),
        # Moved onto a holiday by the manager's explicit choice: held anyway.
        Exception_(date(2026, 12, 31), "move", date(2026, 12, 25)),
    ]
    occ = {o.origin: o for o in expand(THURSDAY_10_13, *YEAR, OBSERVING, exceptions)}
    assert date(2026, 2, 5) not in occ
    moved = occ[date(2026, 2, 12)]
    assert (moved.day, moved.start, moved.end, moved.note) == (date(2026, 2, 13), time(15), time(17), MOVED)
    assert occ[date(2026, 12, 31)].day == date(2026, 12, 25)
    assert occ[date(2026, 2, 19)].note is None


def test_slots_keep_wall_clock_across_dst() -> None:
    """Kyiv: EET (UTC+2) until 29 March 2026, EEST (UTC+3) until 25 October 2026."""
    tz = "Europe/Kyiv"
    before = slot_starts(date(2026, 3, 24), time(10), time(11), 30, tz)
    after = slot_starts(date(2026, 3, 31), time(10), time(11), 30, tz)
    assert before == [datetime(2026, 3, 24, 8, 0, tzinfo=UTC), datetime(2026, 3, 24, 8, 30, tzinfo=UTC)]
    assert after == [datetime(2026, 3, 31, 7, 0, tzinfo=UTC), datetime(2026, 3, 31, 7, 30, tzinfo=UTC)]
    # The change days themselves (Sundays: the last Sunday rule lands on both).
    last_sunday = Rule(weekday=7, nth=-1, start=time(10), end=time(11), slot_min=20, valid_from=date(2026, 1, 1))
    days = {o.day for o in expand(last_sunday, *YEAR, MARTIAL_LAW)}
    assert {date(2026, 3, 29), date(2026, 10, 25)} <= days
    assert slot_starts(date(2026, 3, 29), time(10), time(11), 20, tz)[0] == datetime(2026, 3, 29, 7, tzinfo=UTC)
    assert slot_starts(date(2026, 10, 25), time(10), time(11), 20, tz)[-1] == datetime(2026, 10, 25, 8, 40,
                                                                                         tzinfo=UTC)


def test_a_whole_year_of_slots_is_always_ten_oclock_local() -> None:
    from zoneinfo import ZoneInfo

    rule = Rule(weekday=2, start=time(10), end=time(12), slot_min=15, valid_from=date(2026, 1, 1))
    for occ in expand(rule, *YEAR, MARTIAL_LAW):
        slots = slot_starts(occ.day, occ.start, occ.end, 15, "Europe/Kyiv")
        local = [s.astimezone(ZoneInfo("Europe/Kyiv")) for s in slots]
        assert [t.strftime("%H:%M") for t in local][:2] == ["10:00", "10:15"] and len(slots) == 8
        assert all(s.tzinfo == UTC for s in slots)


def test_capacity_is_bounded_by_slots() -> None:
    assert session_capacity(time(10), time(12), 15, None) == 8
    assert session_capacity(time(10), time(12), 15, 5) == 5
    assert session_capacity(time(10), time(12), 15, 20) == 8


def test_booking_cut_off_counts_working_days() -> None:
    # Thursday 3 Dec 2026, one working day ahead: book by Wednesday.
    assert booking_last_day(date(2026, 12, 3), 1, MARTIAL_LAW) == date(2026, 12, 2)
    # Monday, two working days ahead: the weekend does not count -> Thursday.
    assert booking_last_day(date(2026, 12, 7), 2, MARTIAL_LAW) == date(2026, 12, 3)
    # An observed holiday does not count either (Fri 25 Dec): Monday 28 Dec, 1 day -> Thursday 24.
    assert booking_last_day(date(2026, 12, 28), 1, OBSERVING) == date(2026, 12, 24)
    assert booking_last_day(date(2026, 12, 28), 1, MARTIAL_LAW) == date(2026, 12, 25)
    assert booking_last_day(date(2026, 12, 28), 0, MARTIAL_LAW) == date(2026, 12, 28)


@pytest.mark.parametrize("kw", [
    dict(weekday=8), dict(weekday=0), dict(nth=6), dict(nth=0), dict(start=time(13), end=time(10)),
    dict(slot_min=2), dict(start=time(10), end=time(10, 10), slot_min=15), dict(capacity=0),
    dict(valid_to=date(2025, 1, 1)),
])
def test_bad_rules_are_refused(kw: dict) -> None:
    base = dict(weekday=1, start=time(10), end=time(12), slot_min=15, valid_from=date(2026, 1, 1))
    with pytest.raises(ValueError):
        Rule(**(base | kw))

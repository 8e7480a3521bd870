"""Pure rules of the office's suspension: when it resumes after the all-clear, and what is said."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from reception.offices.rules import (
    default_resume_at,
    first_opening,
    suspension_in_force,
    suspension_refusal,
    walk_in_refusal,
)
from reception.offices.suspension import announcement, minutes_phrase

KYIV = "Europe/Kyiv"
HOURS = {str(d): [["09:00", "13:00"], ["14:00", "18:00"]] for d in range(1, 6)}  # Mon–Fri, lunch 13–14


def kyiv(day: int, hh: int, mm: int = 0) -> datetime:
    """A moment in Kyiv on a day of December 2026 (1 December is a Tuesday)."""
    return datetime(2026, 12, day, hh, mm, tzinfo=ZoneInfo(KYIV))


@pytest.mark.parametrize(("since", "all_clear", "resume"), [
    # An alert during the working day: ten minutes after the all-clear.
    (kyiv(1, 10, 15), kyiv(1, 11, 0), kyiv(1, 11, 10)),
    (kyiv(1, 17, 40), kyiv(1, 17, 55), kyiv(1, 18, 5)),
    # A night alert that ran past opening time: the office opens 30 minutes after the all-clear.
    (kyiv(1, 4, 0), kyiv(1, 9, 0), kyiv(1, 9, 30)),
    (kyiv(1, 4, 0), kyiv(1, 9, 40), kyiv(1, 10, 10)),
    (kyiv(1, 8, 55), kyiv(1, 12, 0), kyiv(1, 12, 30)),
    (datetime(2026, 11, 30, 23, 0, tzinfo=ZoneInfo(KYIV)), kyiv(1, 10, 0), kyiv(1, 10, 30)),  # overnight
    # The all-clear before opening: nothing ran past it.
    (kyiv(1, 3, 0), kyiv(1, 8, 55), kyiv(1, 9, 5)),
    # Across the lunch break the staff are in the building: the usual ten minutes.
    (kyiv(1, 12, 50), kyiv(1, 14, 20), kyiv(1, 14, 30)),
    # A weekend day keeps no hours: ten minutes.
    (kyiv(5, 4, 0), kyiv(5, 10, 0), kyiv(5, 10, 10)),
])
def test_resume_after_the_all_clear_over_the_hours_of_the_day(since, all_clear, resume) -> None:
    assert default_resume_at(since, all_clear, HOURS, KYIV) == resume


def test_an_office_without_hours_resumes_ten_minutes_after_the_all_clear() -> None:
    assert default_resume_at(kyiv(1, 4, 0), kyiv(1, 9, 40), {}, KYIV) == kyiv(1, 9, 50)


def test_first_opening_is_the_earliest_interval_of_that_weekday() -> None:
    assert first_opening(HOURS, kyiv(1, 0).date(), KYIV) == kyiv(1, 9, 0)
    assert first_opening(HOURS, kyiv(5, 0).date(), KYIV) is None
    assert first_opening({"2": [["14:00", "18:00"], ["08:30", "12:00"]]}, kyiv(1, 0).date(), KYIV) == kyiv(1, 8, 30)


def test_a_suspension_holds_until_its_resume_time() -> None:
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert suspension_in_force(None, now)
    assert suspension_in_force(now + timedelta(seconds=1), now)
    assert not suspension_in_force(now, now)


def test_a_suspension_outranks_every_other_walk_in_refusal() -> None:
    refusal = walk_in_refusal({"1": [["09:00", "10:00"]]}, "lead", None, kind="leadership", walk_ins=False,
                              now_utc=kyiv(1, 20).astimezone(UTC), tz=KYIV, suspended="blackout")
    assert refusal is not None and refusal.key == "error.office_suspended" and refusal.status == 503
    assert refusal.message_key == "suspension.visitor.blackout"
    desk = suspension_refusal("air_raid", audience="staff", status=409)
    assert (desk.status, desk.message_key) == (409, "suspension.staff.air_raid")


@pytest.mark.parametrize(("n", "words"), [
    (1, "одну хвилину"), (2, "дві хвилини"), (5, "п’ять хвилин"), (10, "десять хвилин"), (11, "одинадцять хвилин"),
    (21, "двадцять одну хвилину"), (22, "двадцять дві хвилини"), (30, "тридцять хвилин"), (44, "сорок чотири хвилини"),
])
def test_minutes_are_said_in_the_accusative_after_through(n, words) -> None:
    assert minutes_phrase(n) == words


def test_the_all_clear_says_when_reception_resumes() -> None:
    said = announcement("air_raid", 30)
    assert said["announce_uk"] == "Відбій повітряної тривоги. Прийом відвідувачів відновиться через тридцять хвилин."
    assert said["announce_en"] == "All clear. Reception resumes in 30 minutes."
    assert announcement("blackout", None)["announce_uk"].startswith("Увага! Через знеструмлення")

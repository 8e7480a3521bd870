"""The storage-term rule: counted from 1 January after removal from control; never while on control."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from reception.kernel.errors import ValidationFailed
from reception.leadership import retention
from reception.leadership.settings import LeadershipSettings

REMOVED = date(2020, 3, 10)
RECEIVED = date(2020, 2, 14)
# Term of 5 years counted from 1 January 2021: over at the end of 31 December 2025.
FIRST_DUE_DAY = date(2026, 1, 1)


def test_term_counts_from_1_january_after_removal() -> None:
    assert retention.term_ends(REMOVED, 5) == FIRST_DUE_DAY
    assert retention.term_ends(date(2020, 12, 31), 5) == FIRST_DUE_DAY  # same year, same end
    assert retention.term_ends(date(2021, 1, 1), 5) == date(2027, 1, 1)
    assert retention.term_ends(REMOVED, 1) == date(2022, 1, 1)


@pytest.mark.parametrize(("today", "due"), [
    (FIRST_DUE_DAY - timedelta(days=1), False),  # the last day of the term
    (FIRST_DUE_DAY, True),  # the first day after it
    (FIRST_DUE_DAY + timedelta(days=1), True),
    (date(2040, 6, 1), True),
    (REMOVED, False),
])
def test_boundaries_a_day_before_and_after_the_term(today: date, due: bool) -> None:
    assert retention.record_due(REMOVED, RECEIVED, 5, today) is due


def test_a_record_on_control_is_never_due() -> None:
    assert retention.record_due(None, RECEIVED, 5, date(2099, 1, 1)) is False
    assert retention.record_due(None, None, 1, date(2099, 1, 1)) is False


def test_missing_or_inconsistent_dates() -> None:
    # No reception date: the removal alone anchors the term.
    assert retention.record_due(REMOVED, None, 5, FIRST_DUE_DAY) is True
    assert retention.record_due(REMOVED, None, 5, FIRST_DUE_DAY - timedelta(days=1)) is False
    # A removal dated before the reception cannot shorten the term: the later date counts.
    assert retention.record_due(date(2019, 5, 1), date(2020, 2, 14), 5, FIRST_DUE_DAY - timedelta(days=1)) is False
    assert retention.record_due(date(2019, 5, 1), date(2020, 2, 14), 5, FIRST_DUE_DAY) is True


def test_configured_term_changes_the_boundary() -> None:
    assert retention.record_due(REMOVED, RECEIVED, 3, date(2023, 12, 31)) is False
    assert retention.record_due(REMOVED, RECEIVED, 3, date(2024, 1, 1)) is True
    assert retention.record_due(REMOVED, RECEIVED, 10, date(2030, 12, 31)) is False
    assert retention.record_due(REMOVED, RECEIVED, 10, date(2031, 1, 1)) is True


def test_cutoff_agrees_with_the_rule() -> None:
    """The SQL bound (closing date < cutoff) selects exactly the days the pure rule calls due."""
    for today in (date(2025, 12, 31), date(2026, 1, 1), date(2026, 7, 15), date(2028, 2, 29)):
        bound = retention.cutoff(today, 5)
        for closed in (bound - timedelta(days=1), bound, bound + timedelta(days=1), date(2020, 1, 1), date(2021, 1, 1)):
            assert (closed < bound) is retention.record_due(closed, closed, 5, today), (today, closed)


def test_appointments_use_the_session_day() -> None:
    assert retention.appointment_due(date(2020, 11, 24), 5, date(2025, 12, 31)) is False
    assert retention.appointment_due(date(2020, 11, 24), 5, date(2026, 1, 1)) is True
    assert retention.appointment_due(None, 5, date(2099, 1, 1)) is False


@pytest.mark.parametrize("bad", [0, -1, 101, "5", 2.5, None, True])
def test_a_bad_term_is_refused_not_guessed(bad: object) -> None:
    with pytest.raises(ValidationFailed) as err:
        retention.check_term(bad)
    assert err.value.key == "error.retention_term"


def test_default_term_is_five_years_and_configurable() -> None:
    assert LeadershipSettings.from_json({}).records_retention_years == 5
    assert LeadershipSettings.from_json({"records_retention_years": 3}).records_retention_years == 3

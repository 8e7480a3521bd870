"""Pure domain rules: the ticket state machine, office hours, codes, estimates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from reception.kernel.errors import IllegalTransition
from reception.offices.rules import is_open, validate_hours
from reception.queue.estimates import eta_minutes, rolling_service_minutes
from reception.queue.states import TRANSITIONS, Status, format_code, next_status

ALLOWED = {
    ("waiting", "call"): "called",
    ("called", "recall"): "called",
    ("called", "start"): "serving",
    ("called", "finish"): "done",
    ("serving", "finish"): "done",
    ("called", "no_show"): "no_show",
    ("no_show", "reactivate"): "waiting",
    **{(s, "transfer"): "transferred" for s in ("waiting", "called", "serving")},
    **{(s, "cancel"): "cancelled" for s in ("waiting", "called", "serving")},
}


@pytest.mark.parametrize("status", [s.value for s in Status])
@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_state_machine_is_exactly_the_documented_one(status: str, action: str) -> None:
    expected = ALLOWED.get((status, action))
    if expected is None:
        with pytest.raises(IllegalTransition):
            next_status(status, action)
    else:
        assert next_status(status, action) == expected


def test_office_hours_in_local_time() -> None:
    hours = validate_hours({"1": [["09:00", "13:00"], ["14:00", "18:00"]], "5": [["09:00", "16:45"]]})
    monday_0859_kyiv = datetime(2026, 11, 23, 6, 59, tzinfo=UTC)
    assert not is_open(hours, monday_0859_kyiv, "Europe/Kyiv")
    assert is_open(hours, monday_0859_kyiv + timedelta(minutes=1), "Europe/Kyiv")
    assert not is_open(hours, datetime(2026, 11, 23, 11, 30, tzinfo=UTC), "Europe/Kyiv")  # lunch 13:30
    assert not is_open(hours, datetime(2026, 11, 24, 8, 0, tzinfo=UTC), "Europe/Kyiv")  # Tuesday: no hours
    assert is_open({}, monday_0859_kyiv, "Europe/Kyiv")  # no schedule: always open
    assert is_open({"1": [["00:00", "24:00"]]}, datetime(2026, 11, 23, 21, 59, tzinfo=UTC), "Europe/Kyiv")
    bad: dict[str, Any]
    for bad in ({"8": []}, {"1": [["10:00", "09:00"]]}, {"1": [["25:00", "26:00"]]}):
        with pytest.raises(ValueError):
            validate_hours(bad)


def test_codes_are_zero_padded() -> None:
    assert format_code("А", 17) == "А-017" and format_code("К", 1234) == "К-1234"


def test_estimates() -> None:
    assert rolling_service_minutes([], 10) == 10
    assert rolling_service_minutes([4, 6], 10) == 5
    assert eta_minutes(3, 10, 2) == 15 and eta_minutes(0, 10, 1) == 0


def test_recalls_missing_for_no_show() -> None:
    from reception.offices.rules import OfficeSettings
    from reception.queue.states import recalls_missing_for_no_show

    assert recalls_missing_for_no_show(0, OfficeSettings()) == 0
    assert recalls_missing_for_no_show(1, OfficeSettings(recalls_before_no_show=2)) == 1
    assert recalls_missing_for_no_show(3, OfficeSettings(recalls_before_no_show=2)) == 0

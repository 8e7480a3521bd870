"""Opening hours in words for the closed screen."""

from __future__ import annotations

from kiosk.hours import opening_lines


def test_days_with_the_same_hours_share_a_line() -> None:
    hours = {str(d): [["09:00", "18:00"]] for d in range(1, 6)} | {"6": [["10:00", "14:00"]]}
    assert opening_lines(hours, "uk") == ["Пн–Пт: 09:00–18:00", "Сб: 10:00–14:00"]
    assert opening_lines(hours, "en") == ["Mon–Fri: 09:00–18:00", "Sat: 10:00–14:00"]


def test_breaks_gaps_and_always_open() -> None:
    hours = {"1": [["09:00", "13:00"], ["14:00", "18:00"]], "3": [["09:00", "13:00"], ["14:00", "18:00"]]}
    assert opening_lines(hours, "uk") == ["Пн: 09:00–13:00, 14:00–18:00", "Ср: 09:00–13:00, 14:00–18:00"]
    assert opening_lines({}, "uk") == [] and opening_lines(None, "en") == []

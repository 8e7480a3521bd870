"""A desk's day in figures: the pure parts of ``reception.queue.desk_day``."""

from __future__ import annotations

from datetime import UTC, datetime

from reception.queue.desk_day import day_start, summarise


def test_summary_is_whole_minutes_and_empty_without_visits() -> None:
    assert summarise([]) == {"served": 0, "avg_service_min": None}
    assert summarise([4.0, 8.0]) == {"served": 2, "avg_service_min": 6}
    assert summarise([0.2]) == {"served": 1, "avg_service_min": 1}  # a visit never shows as "0 min"


def test_day_starts_at_office_local_midnight() -> None:
    late_evening_utc = datetime(2026, 11, 24, 22, 30, tzinfo=UTC)  # already 00:30 on the 25th in Kyiv
    start = day_start(late_evening_utc, "Europe/Kyiv")
    assert start.astimezone(UTC) == datetime(2026, 11, 24, 22, 0, tzinfo=UTC)

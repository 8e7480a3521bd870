"""The day simulator end to end: real queue commands, a simulated clock, no server.

Short days (a morning hour) keep this to seconds; the full days run in bench/bench_estimates.py.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from click.testing import CliRunner

from reception import cli
from reception.domain import local_now
from reception.estimates import PREDICTORS
from reception.simulation import DayResult, simulate
from reception.simulation.office import TZ

CLOSES = "10:00"


def _rows(day: DayResult) -> list[tuple[Any, ...]]:
    return [(t.code, t.service, t.priority, t.issued_at, t.position, t.status, t.called_at, t.desk, t.estimates)
            for t in day.tickets]


@pytest.fixture(scope="module")
def day() -> DayResult:
    return simulate("normal", 1, closes=CLOSES)


def test_same_seed_same_day(day: DayResult) -> None:
    assert _rows(simulate("normal", 1, closes=CLOSES)) == _rows(day)


def _hhmm(moment: Any) -> str:
    return local_now(moment, TZ).strftime("%H:%M")


def test_walk_ins_come_within_hours_and_nobody_is_called_after_closing(day: DayResult) -> None:
    walk_ins = [t for t in day.tickets if not t.is_appointment]
    assert len(walk_ins) >= 8
    assert all("09:00" <= _hhmm(t.issued_at) < CLOSES for t in walk_ins)
    assert all(_hhmm(t.called_at) < CLOSES for t in day.tickets if t.called_at)


def test_every_ticket_ends_final_or_still_waits(day: DayResult) -> None:
    statuses = {t.status for t in day.tickets}
    assert statuses <= {"done", "no_show", "waiting"}
    assert "done" in statuses
    assert all((t.called_at is None) == (t.status == "waiting") for t in day.tickets)
    assert all(set(t.estimates) == set(PREDICTORS) for t in day.tickets)


def test_numbering_has_no_gaps(day: DayResult) -> None:
    numbers: dict[str, list[int]] = defaultdict(list)
    for t in day.tickets:
        numbers[t.service].append(t.number)
    assert all(sorted(n) == list(range(1, len(n) + 1)) for n in numbers.values())


def test_booked_visitors_check_in_with_appointment_priority(day: DayResult) -> None:
    booked = [t for t in day.tickets if t.is_appointment]
    assert booked and all(t.service == "leadership" and t.code.startswith("П-") for t in booked)


def test_a_day_on_the_test_database_then_refuses_a_second(db_url: str) -> None:
    """On PostgreSQL when RECEPTION_TEST_DATABASE_URL is set; the office must not exist yet."""
    day = simulate("quiet", 3, database_url=db_url, closes="09:45")
    assert day.tickets and {t.status for t in day.tickets} <= {"done", "no_show", "waiting"}
    with pytest.raises(RuntimeError, match="exists already"):
        simulate("quiet", 3, database_url=db_url, closes="09:45")


def test_command_prints_a_csv_row_per_ticket() -> None:
    result = CliRunner().invoke(cli.main, ["simulate", "--scenario", "quiet", "--seed", "2", "--closes", "09:40"])
    assert result.exit_code == 0, result.output
    header, *rows = result.output.strip().splitlines()
    assert header.startswith("code,service,priority,issued_at,position,status,called_at,desk,wait_min,naive_min")
    assert rows and all(row.count(",") == header.count(",") for row in rows)
    bad = CliRunner().invoke(cli.main, ["simulate", "--scenario", "holiday"])
    assert bad.exit_code == 2 and "holiday" in bad.output

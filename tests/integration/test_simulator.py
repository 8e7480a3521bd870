"""The day simulator end to end: real queue commands, a simulated clock, no server.

Short days (a morning hour) keep this to seconds; the full days run in bench/bench_estimates.py.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from click.testing import CliRunner

from reception.offices.rules import to_local
from reception.ops import cli
from reception.queue.estimates import PREDICTORS
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
    return to_local(moment, TZ).strftime("%H:%M")


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


def test_snapshot_reads_the_pool_from_the_database(db, clock, office) -> None:
    """Windows 1 (consult, appeal) and 2 (consult): the estimates' input after a few real commands."""
    from reception.kernel.identity import Actor
    from reception.offices.lookups import office_by_code
    from reception.queue import commands as queue
    from reception.queue.estimates import first_free, product_estimate
    from reception.queue.estimates_read import queue_snapshot
    from tests.fakes import add_user, services

    with db.read() as s:
        scope = frozenset({office_by_code(s, office).id})
    op1, op2 = (Actor(user_id=add_user(db, clock, name, ["operator"], [office]), roles=frozenset({"operator"}),
                      office_ids=scope) for name in ("op1", "op2"))
    services(db, clock).value(queue.open_desk, op1, "1")
    services(db, clock).value(queue.open_desk, op2, "2")

    def issue(service: str) -> int:
        ticket_id = services(db, clock).value(queue.issue_ticket, office_code=office, service_code=service).ticket_id
        clock.advance(minutes=1)
        assert ticket_id is not None
        return ticket_id

    a, _b, _c, _d = issue("consult"), issue("appeal"), issue("consult"), issue("consult")  # at 0, 1, 2, 3
    assert services(db, clock).value(queue.call_next, op1, "1").ticket_id == a  # at 4: A waited longest
    services(db, clock).value(queue.call_next, op2, "2")  # C
    clock.advance(minutes=1)
    services(db, clock).value(queue.start, op1, a)
    clock.advance(minutes=5)
    services(db, clock).value(queue.finish, op1, a, None)  # at 10: A took window 1 for 6 minutes, served 5
    services(db, clock).value(queue.call_next, op1, "1")  # B (the appeal waited 9, D 7)
    clock.advance(minutes=2)
    e = issue("consult")  # at 12, read at 13
    with db.read() as s:
        snap = queue_snapshot(s, e, clock.now())
    assert (snap.ahead, snap.pool_ahead, snap.queue_len) == (1, 1.0, 1)  # D
    assert (snap.desks_open, snap.desks_total, snap.desks_idle, snap.desks_paused) == (2, 2, 0, 0)
    assert snap.pool_visit_min == pytest.approx((6.0,))
    assert snap.service_min == pytest.approx(5.0)
    assert snap.call_gaps_min == pytest.approx((0.0,))  # A and C called together
    assert snap.pool_gaps_min == pytest.approx((0.0, 6.0))  # then B six minutes later
    assert (snap.desks_recent, snap.pool_desks_recent) == (2, 2)
    assert snap.last_wait_min == pytest.approx(2.0)  # C: queued at 2, called at 4
    assert snap.head_wait_min == pytest.approx(10.0)  # D since 3
    assert snap.busy_elapsed_min == pytest.approx((3.0, 9.0))  # B since 10, C since 4
    # visits of (6 + 2 x 5) / 3 min: the sooner of B's and C's ends (C's is overdue, yet not over:
    # visits vary), then D's shared by two desks
    visit = 16 / 3
    soonest = first_free(snap, visit, 2.0)
    assert 0.1 * visit < soonest < visit
    assert product_estimate(snap).minutes == pytest.approx(soonest + visit / 2)


def test_snapshot_counts_who_is_called_before_a_ticket(db, clock, office) -> None:
    """The database counts the line (decision 026): priority visitors before regular ones, earlier
    queue time first, the lower id on a tie; a visitor transferred to a desk is in no line."""
    from reception.kernel.identity import Actor
    from reception.offices.lookups import office_by_code
    from reception.queue import commands as queue
    from reception.queue.estimates_read import queue_snapshot
    from tests.fakes import add_user, services

    with db.read() as s:
        scope = frozenset({office_by_code(s, office).id})
    op = Actor(user_id=add_user(db, clock, "op", ["operator"], [office]), roles=frozenset({"operator"}),
               office_ids=scope)

    def issue(priority: str | None = None, *, later: bool = True) -> int:
        ticket_id = services(db, clock).value(queue.issue_ticket, office_code=office, service_code="consult",
                                              priority=priority).ticket_id
        if later:
            clock.advance(minutes=1)
        assert ticket_id is not None
        return ticket_id

    first, second = issue(), issue()
    priority = issue("disability")
    tie_a, tie_b = issue(later=False), issue()  # queued at the same moment: the lower id first
    with db.read() as s:
        snaps = [queue_snapshot(s, t, clock.now()) for t in (first, second, priority, tie_a, tie_b)]
    assert [snap.ahead for snap in snaps] == [1, 2, 0, 3, 4]
    assert [snap.queue_len for snap in snaps] == [3, 3, 0, 3, 3]  # the others of one's own class
    assert snaps[4].head_wait_min == pytest.approx(4.0)  # the first regular, queued four minutes ago
    services(db, clock).value(queue.open_desk, op, "1")
    assert services(db, clock).value(queue.call_next, op, "1").ticket_id == priority
    op2 = Actor(user_id=add_user(db, clock, "op2", ["operator"], [office]), roles=frozenset({"operator"}),
                office_ids=scope)
    services(db, clock).value(queue.open_desk, op2, "2")  # a closed desk takes no transfer (decision 032)
    assert services(db, clock).value(queue.transfer, op, priority, desk_code="2").ticket_id is not None
    with db.read() as s:
        assert queue_snapshot(s, tie_b, clock.now()).ahead == 3  # waiting again, reserved for desk 2: in no line

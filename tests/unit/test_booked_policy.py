"""The call order with checked-in bookings (pure): within the tolerance before walk-ins, neither starves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reception.queue.policy import Candidate, DeskState, rank

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
DESK = DeskState(id=1, service_weights={1: 1.0})


def walk_in(i: int, waited_min: int = 20) -> Candidate:
    at = NOW - timedelta(minutes=waited_min)
    return Candidate(i, 1, at, at)


def booked(i: int, slot_in_min: int, tolerance: int = 10, checked_in_min_ago: int = 5) -> Candidate:
    at = NOW - timedelta(minutes=checked_in_min_ago)
    return Candidate(i, 1, at, at, booked_for=NOW + timedelta(minutes=slot_in_min), call_tolerance_min=tolerance)


def order(waiting: list[Candidate], desk: DeskState = DESK, interleave: int = 2) -> list[tuple[int, str]]:
    return [(c.ticket_id, c.rule) for c in rank(waiting, desk, NOW, interleave)]


def test_a_booking_within_its_tolerance_goes_before_walk_ins_who_waited_longer() -> None:
    assert order([walk_in(1, 40), booked(2, slot_in_min=5)]) == [(2, "booked"), (1, "weighted_wait")]
    assert order([walk_in(1, 40), booked(2, slot_in_min=-5)]) == [(2, "booked"), (1, "weighted_wait")]


def test_a_booking_checked_in_early_waits_until_its_tolerance_unless_nobody_else_waits() -> None:
    early = booked(2, slot_in_min=30)
    assert order([walk_in(1), early]) == [(1, "weighted_wait"), (2, "booked_early")]
    assert order([early]) == [(2, "booked_early")]


def test_bookings_in_order_of_their_slots() -> None:
    assert [i for i, _ in order([booked(2, slot_in_min=5), booked(3, slot_in_min=-5)])] == [3, 2]


def test_after_interleave_bookings_in_a_row_a_walk_in_gets_the_next_call() -> None:
    tired = DeskState(id=1, service_weights={1: 1.0}, booked_streak=2)
    assert order([walk_in(1), booked(2, slot_in_min=0)], tired) == [(1, "weighted_wait"), (2, "booked")]
    # With no walk-in waiting the booking is called anyway.
    assert order([booked(2, slot_in_min=0)], tired) == [(2, "booked")]


def test_a_booking_past_its_tolerance_is_called_first_whatever_the_streak() -> None:
    tired = DeskState(id=1, service_weights={1: 1.0}, booked_streak=5)
    late = booked(2, slot_in_min=-10, tolerance=10)
    assert order([walk_in(1, 60), late], tired) == [(2, "booked"), (1, "weighted_wait")]


def test_leadership_appointments_and_transfers_stay_ahead_and_priority_interleave_is_kept() -> None:
    appointment = Candidate(5, 1, NOW, NOW, priority="appointment", appointment_at=NOW - timedelta(minutes=1))
    transfer = Candidate(6, 1, NOW, NOW, target_desk_id=1)
    prio = Candidate(7, 1, NOW - timedelta(minutes=1), NOW - timedelta(minutes=1), priority="veteran")
    got = order([walk_in(1), booked(2, slot_in_min=0), appointment, transfer, prio])
    assert got == [(6, "transfer"), (5, "appointment"), (2, "booked"), (7, "priority"), (1, "weighted_wait")]


def test_no_starvation_in_a_simulated_run() -> None:
    """A desk with a live queue and five due bookings: at most two bookings in a row, then a walk-in."""
    waiting = [walk_in(100 + i, 30 - i) for i in range(10)] + [booked(i, slot_in_min=0) for i in range(1, 6)]
    streak, called = 0, []
    for _ in range(9):
        first = rank(waiting, DeskState(1, {1: 1.0}, booked_streak=streak), NOW, 2)[0]
        called.append(first.rule)
        streak = streak + 1 if first.rule == "booked" else 0
        waiting = [c for c in waiting if c.id != first.ticket_id]
    b, w = "booked", "weighted_wait"
    assert called == [b, b, w, b, b, w, b, w, w]  # five bookings, and the live queue every third call

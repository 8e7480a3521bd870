"""The call order as a pure function: examples and properties (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from reception.queue.policy import Candidate, DeskState, choose_next, rank

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def ticket(i: int, minutes_ago: float, service: int = 1, **kw) -> Candidate:
    at = T0 - timedelta(minutes=minutes_ago)
    return Candidate(id=i, service_id=service, queued_at=at, issued_at=at, **kw)


DESK = DeskState(id=10, service_weights={1: 1.0, 2: 1.0}, user_id=5)


def test_nobody_waiting() -> None:
    assert choose_next([], DESK, T0) is None


def test_longest_wait_first_with_equal_weights() -> None:
    choice = choose_next([ticket(1, 5), ticket(2, 9), ticket(3, 1)], DESK, T0)
    assert choice is not None and (choice.ticket_id, choice.rule) == (2, "weighted_wait")


def test_weight_multiplies_waiting_time() -> None:
    desk = DeskState(id=10, service_weights={1: 1.0, 2: 3.0})
    # service 2 waited 4 min x3 = 12 beats service 1 waited 10 min x1
    assert choose_next([ticket(1, 10, 1), ticket(2, 4, 2)], desk, T0).ticket_id == 2  # type: ignore[union-attr]


def test_ties_fall_to_issue_time_then_id() -> None:
    a, b = ticket(7, 5), ticket(3, 5)
    assert choose_next([a, b], DESK, T0).ticket_id == 3  # type: ignore[union-attr]


def test_transfer_to_this_desk_or_person_comes_first() -> None:
    waiting = [ticket(1, 30), ticket(2, 1, service=99, target_desk_id=10), ticket(3, 2, target_user_id=5),
               ticket(4, 50, target_desk_id=11)]
    ranked = rank(waiting, DESK, T0)
    assert [(c.ticket_id, c.rule) for c in ranked[:2]] == [(3, "transfer"), (2, "transfer")]
    assert 4 not in [c.ticket_id for c in ranked], "reserved for another desk"


def test_due_appointment_before_priority_and_regular_early_one_last() -> None:
    waiting = [
        ticket(1, 30),
        ticket(2, 1, priority="disability"),
        ticket(3, 0, priority="appointment", appointment_at=T0 - timedelta(minutes=1)),
        ticket(4, 40, priority="appointment", appointment_at=T0 + timedelta(minutes=30)),
    ]
    assert [(c.ticket_id, c.rule) for c in rank(waiting, DESK, T0)] == [
        (3, "appointment"), (2, "priority"), (1, "weighted_wait"), (4, "appointment_early")]


def test_interleave_gives_regular_a_turn_after_n_priority_calls() -> None:
    waiting = [ticket(1, 30), ticket(2, 1, priority="hero_ua")]
    tired = DeskState(id=10, service_weights={1: 1.0}, priority_streak=2)
    choice = choose_next(waiting, tired, T0, interleave=2)
    assert choice is not None and (choice.ticket_id, choice.rule, choice.priority_streak) == (1, "weighted_wait", 0)
    # strict priority when interleave is 0
    assert choose_next(waiting, tired, T0, interleave=0).ticket_id == 2  # type: ignore[union-attr]


def test_services_the_desk_does_not_serve_are_ignored() -> None:
    desk = DeskState(id=10, service_weights={2: 1.0})
    assert choose_next([ticket(1, 30, service=1)], desk, T0) is None


# --- properties -----------------------------------------------------------------------------------

arrival = st.tuples(
    st.integers(min_value=0, max_value=3),  # arrivals before this call
    st.booleans(),  # priority?
    st.sampled_from([1, 2]),  # service
)


def simulate(steps, interleave, weights=None):
    """Drive one desk: tickets arrive, the desk calls one per minute. Returns the call log."""
    desk_weights = weights or {1: 1.0, 2: 1.0}
    waiting: dict[int, Candidate] = {}
    streak, now, next_id, log = 0, T0, 1, []
    for arrivals, is_priority, service in steps:
        for _ in range(arrivals):
            waiting[next_id] = Candidate(next_id, service, now, now, "disability" if is_priority else None)
            next_id += 1
        before = dict(waiting)
        choice = choose_next(waiting.values(), DeskState(1, desk_weights, None, streak), now, interleave)
        if choice is not None:
            called = waiting.pop(choice.ticket_id)
            streak = choice.priority_streak
            log.append((called, before, choice.rule))
        now += timedelta(minutes=1)
    return log


@settings(max_examples=200, deadline=None)
@given(st.lists(arrival, min_size=1, max_size=60), st.integers(min_value=1, max_value=4))
def test_no_ticket_is_called_twice(steps, interleave) -> None:
    ids = [called.id for called, _before, _rule in simulate(steps, interleave)]
    assert len(ids) == len(set(ids))


@settings(max_examples=200, deadline=None)
@given(st.lists(arrival, min_size=1, max_size=60), st.integers(min_value=1, max_value=4))
def test_priority_is_never_passed_over_more_than_the_interleave_allows(steps, interleave) -> None:
    log = simulate(steps, interleave)
    regular_run_while_priority_waits = 0
    priority_run_while_regular_waits = 0
    for called, before, _rule in log:
        priority_waiting = any(t.is_priority for t in before.values())
        regular_waiting = any(t.priority is None for t in before.values())
        if called.priority is None and priority_waiting:
            regular_run_while_priority_waits += 1
            # a priority visitor waits through at most one regular call in a row
            assert regular_run_while_priority_waits <= 1
        else:
            regular_run_while_priority_waits = 0
        if called.is_priority and regular_waiting:
            priority_run_while_regular_waits += 1
            # ... and regular visitors through at most `interleave` priority calls in a row
            assert priority_run_while_regular_waits <= interleave
        elif called.priority is None:
            priority_run_while_regular_waits = 0


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=0.1, max_value=1.0), st.integers(min_value=1, max_value=5))
def test_nobody_waits_forever_while_the_desk_calls(light_weight, backlog) -> None:
    """A light-weight ticket facing an endless flood of heavier ones is still called, in bounded time."""
    weights = {1: light_weight, 2: 1.0}
    # one light ticket, then one heavy arrival per call for a long time (backlog keeps the heavy queue full)
    steps = [(backlog, False, 2)] + [(1, False, 2)] * 400
    steps[0] = (backlog, False, 2)
    log = simulate([(1, False, 1)] + steps, interleave=2, weights=weights)
    light_calls = [i for i, (called, _b, _r) in enumerate(log) if called.service_id == 1]
    assert light_calls, "the light ticket was never called"
    # it is called once its weighted wait beats the heavy queue's: within (backlog+1)/w calls
    assert light_calls[0] <= (backlog + 2) / light_weight + 2


def test_a_booked_visitor_waits_for_the_session_they_booked() -> None:
    """Leader A holds session 1 of the room; Б's visitor (session 2) checked in early is not A's to call, even
    when nobody else waits; walk-ins and a visitor transferred to this desk stay callable; A's own come in slot order."""
    from reception.queue.policy import for_held_sessions

    slot = T0 + timedelta(minutes=30)
    hers = ticket(1, 40, priority="appointment", appointment_at=slot - timedelta(minutes=5))
    his_late = ticket(2, 10, priority="appointment", appointment_at=slot + timedelta(minutes=15))
    his_early = ticket(3, 5, priority="appointment", appointment_at=slot)
    walk_in = ticket(4, 1)
    sent_here = ticket(5, 2, priority="appointment", appointment_at=slot, target_desk_id=DESK.id)
    session_of = {1: 2, 2: 1, 3: 1, 5: 2}
    assert [c.ticket_id for c in rank(for_held_sessions([hers], session_of, {1}), DESK, T0)] == []
    assert choose_next([hers], DESK, T0).ticket_id == 1  # type: ignore[union-attr]  # the old mistake, for contrast
    kept = for_held_sessions([hers, his_late, his_early, walk_in, sent_here], session_of, {1})
    assert [c.ticket_id for c in rank(kept, DESK, T0)] == [5, 4, 3, 2]
    assert [c.id for c in for_held_sessions([hers, walk_in], session_of, set())] == [4]

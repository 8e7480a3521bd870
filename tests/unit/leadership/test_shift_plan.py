"""The pure plan of where booked visitors go after a suspension (reception/leadership/shift.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from reception.leadership.shift import BookedSlot, SessionSpan, ShiftPlan, plan_shift


def at(hhmm: str) -> datetime:
    h, m = map(int, hhmm.split(":"))
    return datetime(2026, 12, 3, h, m, tzinfo=UTC)


MORNING = SessionSpan(1, at("10:00"), at("12:00"), 15)


def slots(session: SessionSpan, *times: str, first_id: int = 1) -> list[BookedSlot]:
    return [BookedSlot(first_id + i, session.id, at(t)) for i, t in enumerate(times)]


def hhmm(plan: ShiftPlan) -> dict[int, str]:
    return {k: v.strftime("%H:%M") for k, v in plan.moves.items()}


def test_a_pause_before_opening_moves_nobody() -> None:
    plan = plan_shift([MORNING], slots(MORNING, "10:00", "10:15"), at("08:30"), at("09:40"))
    assert plan.empty


def test_a_pause_that_ends_exactly_at_the_first_slot_moves_nobody() -> None:
    assert plan_shift([MORNING], slots(MORNING, "10:00"), at("09:00"), at("10:00")).empty


def test_a_pause_over_opening_shifts_the_first_slots_by_its_length() -> None:
    plan = plan_shift([MORNING], slots(MORNING, "10:00", "10:15", "11:00"), at("09:50"), at("10:20"))
    # 10:00 -> 10:30 (plus the pause), 10:15 -> 10:45; 11:00 is not pushed (10:45 ends at 11:00).
    assert hhmm(plan) == {1: "10:30", 2: "10:45"}
    assert plan.rebook == ()


def test_back_to_back_slots_are_pushed_in_order_without_overlap() -> None:
    plan = plan_shift([MORNING], slots(MORNING, "10:00", "10:15", "10:30", "10:45", "11:30"),
                      at("10:10"), at("10:25"))
    # 10:00 was running at the alert: it restarts at the resume, 10:25; 10:15 -> 10:40 (10:30 + ...).
    assert hhmm(plan) == {1: "10:25", 2: "10:40", 3: "10:55", 4: "11:10"}
    times = sorted(plan.moves.values())
    assert all(b - a >= (at("10:15") - at("10:00")) for a, b in zip(times, times[1:], strict=False))


def test_visits_that_no_longer_fit_the_session_are_offered_a_rebooking() -> None:
    plan = plan_shift([MORNING], slots(MORNING, "11:00", "11:15", "11:30", "11:45"), at("11:05"), at("11:35"))
    # 11:00 -> 11:35, 11:15 -> 11:50 would end 12:05 > 12:00: it and everything after it are rebooked.
    assert hhmm(plan) == {1: "11:35"}
    assert plan.rebook == (2, 3, 4)


def test_a_pause_past_the_session_end_rebooks_every_visit_it_touched() -> None:
    plan = plan_shift([MORNING], slots(MORNING, "09:45", "11:00", "11:45"), at("10:50"), at("12:30"))
    assert plan.moves == {}
    assert plan.rebook == (2, 3)  # the 09:45 one was before the pause (not this session's slot, no overlap)


def test_a_leader_with_two_sessions_the_morning_overflow_does_not_spill_into_the_afternoon() -> None:
    afternoon = SessionSpan(2, at("12:30"), at("13:30"), 15)
    bookings = slots(MORNING, "11:15", "11:45") + slots(afternoon, "12:30", "12:45", first_id=10)
    plan = plan_shift([afternoon, MORNING], bookings, at("11:20"), at("11:35"))
    # 11:15 was running: restarts at 11:35; 11:45 is pushed to 11:50 and would end 12:05.
    assert hhmm(plan) == {1: "11:35"}
    assert plan.rebook == (2,)  # not moved into the afternoon session
    assert 10 not in plan.moves and 11 not in plan.moves


def test_a_pause_in_the_afternoon_leaves_the_morning_session_alone() -> None:
    afternoon = SessionSpan(2, at("14:00"), at("15:00"), 20)
    bookings = slots(MORNING, "10:00") + slots(afternoon, "14:00", "14:20", "14:40", first_id=10)
    plan = plan_shift([MORNING, afternoon], bookings, at("13:50"), at("14:05"))
    assert hhmm(plan) == {10: "14:15", 11: "14:35"}
    assert plan.rebook == (12,)  # 14:40 pushed to 14:55 would end 15:15


def test_an_empty_or_reversed_pause_changes_nothing() -> None:
    assert plan_shift([MORNING], slots(MORNING, "10:00"), at("10:00"), at("10:00")).empty
    assert plan_shift([MORNING], slots(MORNING, "10:00"), at("10:30"), at("10:00")).empty

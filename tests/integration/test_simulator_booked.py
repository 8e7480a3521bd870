"""The simulator's booked arrivals (decision 044): the same visitors, some of them with a slot."""

from __future__ import annotations

from statistics import mean

from reception.simulation import simulate


def test_a_booking_share_keeps_the_arrivals_and_calls_the_booked_near_their_time() -> None:
    plain = simulate("normal", 3, closes="12:00")
    mixed = simulate("normal", 3, closes="12:00", booked_share=0.3)
    assert len(plain.tickets) == len(mixed.tickets)  # the same people come; some booked
    assert not any(t.booked for t in plain.tickets)
    booked = [t for t in mixed.tickets if t.booked]
    walk_ins = [t for t in mixed.tickets if not t.booked and not t.is_appointment]
    assert 0.2 < len(booked) / len(mixed.tickets) < 0.4
    booked_waits = [t.wait_min for t in booked if t.wait_min is not None]
    walk_in_waits = [t.wait_min for t in walk_ins if t.wait_min is not None]
    assert booked_waits and walk_in_waits
    assert mean(booked_waits) < mean(walk_in_waits)

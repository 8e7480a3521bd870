"""The simulator's random draws: the rate curve, thinning, lognormal service times, shares."""

from __future__ import annotations

import math
import random
import statistics

import pytest

from reception.simulation.arrivals import lognormal_minutes, pick, rate_at, thinned_arrivals
from reception.simulation.clock import SimClock
from reception.simulation.scenarios import SCENARIOS, scenario
from tests.fakes import TUESDAY_10_KYIV

CURVE = ((0.0, 10.0), (60.0, 30.0), (120.0, 10.0))


def test_rate_is_linear_between_points_and_flat_outside() -> None:
    assert rate_at(CURVE, 30) == 20.0
    assert rate_at(CURVE, 90) == 20.0
    assert rate_at(CURVE, -5) == 10.0 and rate_at(CURVE, 500) == 10.0


def test_thinning_follows_the_curve() -> None:
    rng = random.Random(7)
    days = [thinned_arrivals(rng, CURVE, 120.0) for _ in range(300)]
    # Expected count: the area under the curve, 40 per hour on average over two hours.
    mean_count = statistics.mean(len(d) for d in days)
    assert 37 < mean_count < 43
    peak = sum(1 for d in days for t in d if 45 <= t < 75)
    edge = sum(1 for d in days for t in d if 0 <= t < 30)
    assert peak > 1.6 * edge  # ~27.5/h vs ~15/h
    assert all(0 <= t < 120 for d in days for t in d)
    assert all(d == sorted(d) for d in days)


def test_same_seed_same_arrivals() -> None:
    assert thinned_arrivals(random.Random(1), CURVE, 120) == thinned_arrivals(random.Random(1), CURVE, 120)
    assert thinned_arrivals(random.Random(1), CURVE, 120) != thinned_arrivals(random.Random(2), CURVE, 120)


def test_lognormal_has_the_median_asked_for() -> None:
    rng = random.Random(3)
    draws = [lognormal_minutes(rng, 10.0, 0.5) for _ in range(4000)]
    assert 9.5 < statistics.median(draws) < 10.5
    assert 10.6 < statistics.mean(draws) < 11.9  # 10 x exp(0.125) = 11.3
    assert min(draws) > 0


def test_pick_respects_shares() -> None:
    rng = random.Random(5)
    drawn = [pick(rng, [("a", 3.0), ("b", 1.0)]) for _ in range(4000)]
    assert math.isclose(drawn.count("a") / len(drawn), 0.75, abs_tol=0.03)


def test_sim_clock_only_moves_forward() -> None:
    clock = SimClock(TUESDAY_10_KYIV)
    later = TUESDAY_10_KYIV.replace(hour=9)
    clock.advance_to(later)
    assert clock.now() == later
    with pytest.raises(ValueError):
        clock.advance_to(TUESDAY_10_KYIV)


def test_scenarios_are_named_and_can_be_cut_short() -> None:
    assert set(SCENARIOS) == {"quiet", "normal", "peak", "desk_closing_midday"}
    assert scenario("normal", closes="10:00").day_min == 60
    assert scenario("peak").day_min == 540
    with pytest.raises(ValueError, match="unknown scenario"):
        scenario("holiday")

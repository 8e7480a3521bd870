"""Erlang C against its published tables, each figure recomputed here by an independent exact
formula (rational arithmetic, factorials: no recursion shared with the module under test)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from reception.staffing import erlang


def exact_erlang_c(c: int, load: Fraction) -> Fraction:
    """C(c, A) = (A^c/c! · c/(c−A)) / (Σ_{k<c} A^k/k! + A^c/c! · c/(c−A)), in exact rationals."""
    top = load**c / math.factorial(c) * Fraction(c) / (c - load)
    return top / (sum(load**k / math.factorial(k) for k in range(c)) + top)


# The classic worked example (100 calls in 30 minutes, 3-minute calls: A = 10 Erlangs; answer within
# 20 s): 11 agents -> P(wait) 68.21 %, 39.0 % answered within 20 s, mean wait 122.8 s; 14 agents ->
# 17.41 %, 88.8 %, 7.8 s (the published call-centre table).
@pytest.mark.parametrize(("c", "p_wait", "within_pct", "wait_s"), [
    (11, 0.6821, 39.0, 122.8), (12, 0.4494, 64.0, 40.4), (13, 0.2853, 79.6, 17.1), (14, 0.1741, 88.8, 7.8),
])
def test_the_classic_ten_erlang_table(c: int, p_wait: float, within_pct: float, wait_s: float) -> None:
    load = 10.0
    assert erlang.erlang_c(c, load) == pytest.approx(p_wait, abs=5e-5)
    assert erlang.erlang_c(c, load) == pytest.approx(float(exact_erlang_c(c, Fraction(10))), rel=1e-12)
    assert 100 * erlang.within_share(c, load, 3.0, 20 / 60) == pytest.approx(within_pct, abs=0.05)
    assert 60 * erlang.mean_wait_min(c, load, 3.0) == pytest.approx(wait_s, abs=0.05)


def test_the_plan_is_the_fewest_desks_meeting_the_target() -> None:
    p = erlang.plan(200, 3, 20 / 60, 80)  # A = 10: 13 agents give 79.6 %, 14 give 88.8 %
    assert p.desks == 14
    assert p.within_target_pct == pytest.approx(88.835, abs=1e-3)
    assert p.expected_wait_min == pytest.approx(7.836 / 60, abs=1e-4)
    assert erlang.plan(200, 3, 20 / 60, 79.5).desks == 13


@pytest.mark.parametrize(("c", "load"), [(1, 0.5), (2, 1.5), (5, 4.2), (30, 25.0), (120, 100.0)])
def test_recursion_equals_the_exact_formula(c: int, load: float) -> None:
    assert erlang.erlang_c(c, load) == pytest.approx(float(exact_erlang_c(c, Fraction(load))), rel=1e-10)


def test_single_desk_is_m_m_1() -> None:
    rho = 0.75  # M/M/1: P(wait) = rho, W = rho·S/(1 − rho)
    assert erlang.erlang_c(1, rho) == pytest.approx(rho)
    assert erlang.mean_wait_min(1, rho, 8.0) == pytest.approx(rho * 8 / (1 - rho))


def test_large_loads_neither_overflow_nor_lose_precision() -> None:
    # 1000 desks: A^c/c! alone would overflow a float many times over.
    value = erlang.erlang_c(1000, 980.0)
    assert 0.0 < value < 1.0
    p = erlang.plan(9000, 6.5, 5, 90)  # 975 Erlangs
    assert 975 < p.desks < 1100 and p.within_target_pct >= 90


def test_nobody_comes_no_desks() -> None:
    assert erlang.plan(0, 10, 15, 80).as_dict() == {"desks": 0, "expected_wait_min": 0.0, "within_target_pct": 100.0}


def test_a_full_line_needs_more_desks_than_the_load() -> None:
    assert erlang.erlang_c(10, 10.0) == 1.0 and erlang.mean_wait_min(10, 10.0, 3.0) == math.inf
    assert erlang.plan(60, 10, 1000 / 3, 1).desks == 11  # any target: at least floor(A) + 1


@pytest.mark.parametrize(("args", "field"), [
    ((-1, 10, 15, 80), "arrivals_per_hour"), ((10, 0, 15, 80), "service_min"), ((10, 10, -1, 80), "target_wait_min"),
    ((10, 10, 15, 100), "target_pct"), ((10, 10, 15, 0.5), "target_pct"), ((float("nan"), 10, 15, 80), "arrivals_per_hour"),
    ((10_001, 10, 15, 80), "arrivals_per_hour"), ((10, 481, 15, 80), "service_min"),
    ((10_000, 480, 15, 80), "arrivals_per_hour"),  # 80 000 Erlangs: past MAX_DESKS
])
def test_inputs_out_of_bounds_are_refused_naming_the_field(args: tuple[float, ...], field: str) -> None:
    with pytest.raises(erlang.PlanError) as caught:
        erlang.plan(*args)
    assert caught.value.field == field

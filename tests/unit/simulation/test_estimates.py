"""Wait predictors on small hand-computed inputs (reception.queue.estimates, reception.queue.estimates_read)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from reception.queue.estimates import (
    Estimate,
    QueueSnapshot,
    calls_needed,
    erlang_range,
    first_free,
    gamma_quantile,
    hol_estimate,
    les_estimate,
    naive_estimate,
    pool_ql_estimate,
    product_estimate,
    ql_estimate,
    weighted_gap,
)
from reception.queue.estimates_read import busy_gaps, pool_ahead
from reception.simulation.evaluate import percentile, score

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
BASE = QueueSnapshot(ahead=2, is_priority=False, desks_open=2, desks_total=2, desks_idle=0, service_min=6.0)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_naive_is_the_shipped_formula_without_a_range() -> None:
    assert naive_estimate(replace(BASE, ahead=3, service_min=10.0)) == Estimate(15.0, 15.0, 15.0)
    # no desk open yet: the desks that could serve
    assert naive_estimate(replace(BASE, ahead=3, service_min=10.0, desks_open=0, desks_total=3)).minutes == 10.0


def test_weighted_gap_decays_and_shrinks_to_the_prior() -> None:
    # weights 0.85 (older) and 1 (newer), the prior counts as 2 observations of 10
    gap, n = weighted_gap([4.0, 6.0], prior=10.0)
    assert gap == pytest.approx((0.85 * 4 + 6 + 2 * 10) / 3.85)
    assert n == pytest.approx(3.85)
    assert weighted_gap([], prior=7.0) == (7.0, 2.0)


def test_calls_needed_is_none_when_a_desk_is_idle() -> None:
    assert calls_needed(2, 0) == 3
    assert calls_needed(0.5, 0) == 1.5
    assert calls_needed(0, 1) == 0
    assert calls_needed(2.5, 1) == 0  # those ahead are for the other desks


def test_gamma_quantile_matches_known_values() -> None:
    assert gamma_quantile(1.0, 1.0, 0.9) == pytest.approx(math.log(10), rel=0.02)  # exponential
    assert gamma_quantile(1.0, 10.0, 0.1) == pytest.approx(0.6222, rel=0.005)  # chi2(20) / 20
    assert gamma_quantile(0.0, 3.0, 0.9) == 0.0


def test_erlang_range_brackets_the_point_and_narrows_with_more_calls() -> None:
    few, many = erlang_range(10.0, 1, 50), erlang_range(10.0, 20, 50)
    assert few.low < 10.0 < few.high and many.low < 10.0 < many.high
    assert many.high - many.low < few.high - few.low
    assert erlang_range(0.0, 0, 5) == Estimate(0.0, 0.0, 0.0)


def test_ql_is_calls_times_the_gap_between_calls() -> None:
    s = replace(BASE, service_min=6.0, call_gaps_min=(3.0,) * 12, desks_recent=2)  # prior 6 / 2 = 3
    assert ql_estimate(s).minutes == pytest.approx(9.0)  # (2 + 1) calls x 3 min
    # the gaps came from two desks, one is open now: twice the gap
    one_desk = replace(s, ahead=0, desks_open=1, service_min=3.0)
    assert ql_estimate(one_desk).minutes == pytest.approx(6.0)
    assert ql_estimate(replace(s, ahead=0, desks_idle=1)).minutes == 0.0


def test_pool_ql_counts_the_pools_visitors_ahead() -> None:
    s = replace(BASE, ahead=0, pool_ahead=3.5, service_min=6.0, pool_gaps_min=(3.0,) * 12, pool_desks_recent=2)
    assert pool_ql_estimate(s).minutes == pytest.approx(4.5 * 3.0)


def test_les_is_the_last_called_visitors_wait() -> None:
    s = replace(BASE, ahead=2, last_wait_min=17.0)
    assert les_estimate(s).minutes == 17.0
    assert les_estimate(replace(s, ahead=0, desks_idle=1)).minutes == 0.0


def test_hol_scales_the_heads_wait_by_littles_law() -> None:
    s = replace(BASE, ahead=3, queue_len=3, head_wait_min=12.0)
    assert hol_estimate(s).minutes == pytest.approx(16.0)  # 12 x (3 + 1) / 3
    empty = replace(s, queue_len=0, head_wait_min=None)
    assert hol_estimate(empty) == ql_estimate(empty)


def test_product_shares_the_visits_ahead_among_the_working_desks() -> None:
    s = replace(BASE, pool_ahead=3.0, service_min=10.0, pool_visit_min=(10.0,) * 12)
    assert product_estimate(s).minutes == pytest.approx(20.0)  # 4 visits x 10 min / 2 desks
    assert product_estimate(replace(s, desks_idle=2, pool_ahead=1.0)).minutes == 0.0


def test_product_waits_for_the_first_busy_desk_to_free_up() -> None:
    s = replace(BASE, pool_ahead=1.0, service_min=10.0, pool_visit_min=(10.0,) * 12, busy_elapsed_min=(3.0, 7.0))
    # Visits all of 10 min (CV² shrunk to 0.07): about 10 - 7 left, then one visit per 2 desks.
    assert product_estimate(s).minutes == pytest.approx(3.0 + 10.0 / 2, abs=0.3)


def test_first_free_is_a_whole_visit_for_one_desk_just_started_and_less_for_two() -> None:
    varied = replace(BASE, service_min=10.0, pool_visit_min=(5.0, 15.0) * 6)  # mean 10, CV² 0.27
    one = replace(varied, busy_elapsed_min=(0.0,))
    assert first_free(one, 10.0, 1.0) == pytest.approx(10.0, abs=0.05)  # E[S] = the mean visit
    two = replace(varied, busy_elapsed_min=(0.0, 0.0))
    assert 5.0 < first_free(two, 10.0, 2.0) < 10.0  # the sooner of two (not half: visits are not exponential)
    assert first_free(replace(varied, busy_elapsed_min=()), 10.0, 2.0) == 5.0  # unknown: a visit per desk


def test_a_visit_long_past_the_mean_is_not_nearly_done() -> None:
    """The quiet-day error (decision 016): variable visits that have run long still have minutes left."""
    varied = replace(BASE, service_min=10.0, pool_visit_min=(4.0, 16.0) * 6)  # CV² ≈ 0.39 shrunk
    overrun = first_free(replace(varied, busy_elapsed_min=(15.0,)), 10.0, 1.0)
    assert overrun > 4.0  # the old rule said max(10 - 15, 1) = 1 min
    regular = first_free(replace(varied, busy_elapsed_min=(15.0,), pool_visit_min=(10.0,) * 12), 10.0, 1.0)
    assert regular < overrun  # the more regular the visits, the nearer the end


def test_product_counts_a_paused_desk_for_the_part_of_the_wait_after_its_return() -> None:
    s = replace(BASE, pool_ahead=7.0, service_min=10.0, pool_visit_min=(10.0,) * 12, desks_paused=1, desks_total=3)
    # 80 desk-minutes; 2 desks: 40; then the paused one is back after 20 of them:
    # 80 / 2.5 = 32 -> 80 / 2.375 = 33.68 -> 80 / (2 + 1 - 20 / 33.68) = 33.25
    assert product_estimate(s).minutes == pytest.approx(33.25, abs=0.01)
    morning = replace(s, desks_open=0, desks_paused=0)  # nobody has opened yet: the three that will
    assert product_estimate(morning).minutes == pytest.approx(80 / 3)


def test_busy_gaps_skip_lulls_with_nobody_waiting() -> None:
    calls = [(at(0), at(-1)), (at(5), at(-2)), (at(9), at(6)), (at(12), at(8))]
    # 0->5 kept (waiting since -2), 5->9 dropped (arrived at 6, after the call at 5), 9->12 kept
    assert busy_gaps(calls) == [5.0, 3.0]


def test_pool_ahead_weights_other_services_by_the_pools_share() -> None:
    share = {1: 1.0, 2: 0.5, 3: 1.0}
    # two ahead in my service 1, half of the two service-2 ones, one of service 3; none of service 9's
    assert pool_ahead({1: 2, 2: 2, 3: 1, 9: 4}, share) == pytest.approx(4.0)


def test_score_mae_p90_and_coverage() -> None:
    pairs = [(Estimate(10, 5, 15), 12.0), (Estimate(10, 8, 12), 20.0), (Estimate(0, 0, 0), 0.0)]
    result = score(pairs)
    assert result.tickets == 3
    assert result.mae_min == pytest.approx((2 + 10 + 0) / 3)
    assert result.p90_min == 10.0
    assert result.coverage == pytest.approx(2 / 3)
    assert result.mean_width_min == pytest.approx((10 + 4 + 0) / 3)
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0

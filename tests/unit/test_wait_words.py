"""The wait a visitor is told: a range in whole minutes, or "soon"; one wording for every surface."""

from __future__ import annotations

from reception.queue.estimates import (
    SOON_MIN,
    WIDEST_SPAN_MIN,
    Estimate,
    shown_bounds,
    wait_range,
    wait_words,
)


def test_range_is_rounded_outwards() -> None:
    assert wait_range(Estimate(17.2, 12.6, 24.1)) == (12, 25)
    assert wait_range(Estimate(0.0, 0.0, 0.0)) == (0, 0)


def test_short_waits_are_soon_longer_ones_a_range() -> None:
    assert wait_words(0, SOON_MIN, "uk") == "скоро" and wait_words(1, 4, "en") == "soon"
    assert wait_words(12, 25, "uk") == "12–25 хв" and wait_words(12, 25, "en") == "12–25 min"
    assert wait_words(3, 9, "xx") == "3–9 хв"  # an unknown language falls back to Ukrainian


def test_a_range_too_wide_to_plan_with_says_its_low_end() -> None:
    assert wait_words(15, 15 + WIDEST_SPAN_MIN, "uk") == f"15–{15 + WIDEST_SPAN_MIN} хв"
    assert wait_words(15, 182, "uk") == "від 15 хв" and wait_words(15, 182, "en") == "from 15 min"


def test_a_range_from_zero_says_up_to_its_high_end() -> None:
    assert wait_words(0, 33, "uk") == "до 33 хв" and wait_words(0, 33, "en") == "up to 33 min"
    assert shown_bounds(0, 33) == (0, 33)
    # Even too wide to plan with: «від 0 хв» would promise nothing, the high end at least bounds the wait.
    assert wait_words(0, 182, "uk") == "до 182 хв" and shown_bounds(0, 182) == (0, 182)
    assert wait_words(1, 33, "uk") == "1–33 хв" and shown_bounds(15, 182) == (15, None)
    assert wait_words(0, SOON_MIN, "en") == "soon"

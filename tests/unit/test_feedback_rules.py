"""The feedback rules (pure): what may be rated, when, once; the satisfaction figure; slip codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from reception.feedback import rules
from reception.feedback.service import normal_code
from reception.kernel.errors import ValidationFailed

DONE_AT = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("status", ["waiting", "called", "serving", "no_show", "cancelled", "transferred"])
def test_only_a_finished_visit_may_be_rated(status: str) -> None:
    assert rules.refusal(status, None, DONE_AT, 72, False) == rules.NOT_FINISHED
    assert rules.refusal(status, DONE_AT, DONE_AT, 72, False) == rules.NOT_FINISHED
    assert rules.refusal("done", DONE_AT, DONE_AT + timedelta(minutes=1), 72, False) is None


def test_the_window_counts_from_the_finish() -> None:
    just_before = DONE_AT + timedelta(hours=72) - timedelta(seconds=1)
    assert rules.refusal("done", DONE_AT, just_before, 72, False) is None
    assert rules.refusal("done", DONE_AT, DONE_AT + timedelta(hours=72), 72, False) == rules.WINDOW_CLOSED
    assert rules.refusal("done", DONE_AT, DONE_AT + timedelta(hours=72), 73, False) is None


def test_once_given_is_given_whatever_else() -> None:
    assert rules.refusal("done", DONE_AT, DONE_AT, 72, True) == rules.GIVEN
    assert rules.refusal("done", DONE_AT, DONE_AT + timedelta(days=30), 72, True) == rules.GIVEN
    assert rules.phone_state("done", DONE_AT, DONE_AT + timedelta(days=30), 72, True) == "given"
    assert rules.phone_state("done", DONE_AT, DONE_AT + timedelta(days=30), 72, False) == "closed"
    assert rules.phone_state("done", DONE_AT, DONE_AT, 72, False) == "open"
    assert rules.phone_state("waiting", None, DONE_AT, 72, False) == "not_finished"


@pytest.mark.parametrize("score", [0, 6, -1, 2.5, "3", None, True])
def test_scores_outside_one_to_five_are_refused(score: object) -> None:
    with pytest.raises(ValidationFailed) as refused:
        rules.check_score(score)
    assert refused.value.key == "error.feedback_score"


def test_comments_are_trimmed_bounded_and_optional() -> None:
    assert rules.clean_comment(None) is None
    assert rules.clean_comment("   ") is None
    assert rules.clean_comment("  добре ") == "добре"
    assert rules.clean_comment("я" * 1000) == "я" * 1000
    with pytest.raises(ValidationFailed):
        rules.clean_comment("я" * 1001)


def test_satisfaction_counts_means_and_distributes() -> None:
    assert rules.satisfaction([]) == {"responses": 0, "mean": None,
                                      "by_score": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}}
    figure = rules.satisfaction([5, 4, 4, 1])
    assert figure == {"responses": 4, "mean": 3.5, "by_score": {"1": 1, "2": 0, "3": 0, "4": 2, "5": 1}}
    assert rules.satisfaction([5, 4, 4])["mean"] == 4.33


@pytest.mark.parametrize("typed", ["А-012", "а-12", "A-012", "a12", " А 012 ", "А–012"])
def test_a_slip_code_is_read_as_printed(typed: str) -> None:
    assert normal_code(typed) == "А-012"


@pytest.mark.parametrize("typed", ["", "   ", "А-0123456789012345", 12])
def test_nonsense_codes_are_refused(typed: object) -> None:
    with pytest.raises(ValidationFailed):
        normal_code(typed)


@pytest.mark.parametrize("typed", ["К-²", "١٢", "-", "К-", "12"])
def test_odd_codes_are_looked_up_as_typed_never_a_crash(typed: str) -> None:
    assert isinstance(normal_code(typed), str)

"""The rules of feedback (pure): what a rating is, when a visit may be rated, and the satisfaction figure.

A visit is rated once, after it finished (``done``: served to the end), within a window counted from the
moment it finished (``RECEPTION_FEEDBACK_WINDOW_HOURS``, 72 by default). Nothing personal is asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from reception.kernel.errors import Conflict, ValidationFailed

SCORES = (1, 2, 3, 4, 5)
COMMENT_MAX = 1000
VIAS = ("phone", "hall", "message")
DEFAULT_WINDOW_HOURS = 72
FINISHED = "done"  # reception.queue.states.Status.DONE: the only status that may be rated

# The refusals, by the machine code the caller reads (problem+json ``code``).
NOT_FINISHED, GIVEN, WINDOW_CLOSED = "visit_not_finished", "feedback_given", "feedback_window_closed"


class FeedbackRefused(Conflict):
    """409: the visit cannot be rated now; ``key`` says why."""


def check_score(score: Any) -> int:
    if isinstance(score, bool) or not isinstance(score, int) or score not in SCORES:
        raise ValidationFailed("error.feedback_score", score=score)
    return score


def clean_comment(comment: Any) -> str | None:
    """The comment trimmed, None when empty; refused when longer than COMMENT_MAX characters."""
    if comment is None:
        return None
    if not isinstance(comment, str):
        raise ValidationFailed("error.feedback_comment", max=COMMENT_MAX)
    text = comment.strip()
    if len(text) > COMMENT_MAX:
        raise ValidationFailed("error.feedback_comment", max=COMMENT_MAX)
    return text or None


def window_closes(finished_at: datetime, window_hours: int) -> datetime:
    return finished_at + timedelta(hours=window_hours)


def refusal(status: str, finished_at: datetime | None, now: datetime, window_hours: int,
            already_given: bool) -> str | None:
    """Why the visit cannot be rated now (a machine code), or None when it can.

    Given once is given: that answer wins over a closed window, so a visitor who rated is thanked."""
    if already_given:
        return GIVEN
    if status != FINISHED or finished_at is None:
        return NOT_FINISHED
    if now >= window_closes(finished_at, window_hours):
        return WINDOW_CLOSED
    return None


def phone_state(status: str, finished_at: datetime | None, now: datetime, window_hours: int,
                already_given: bool) -> str:
    """What the phone page shows: ``open`` (the form), ``given`` (thanks), ``closed`` or ``not_finished``."""
    why = refusal(status, finished_at, now, window_hours, already_given)
    return {None: "open", GIVEN: "given", WINDOW_CLOSED: "closed"}.get(why, "not_finished")


def satisfaction(scores: Iterable[int]) -> dict[str, Any]:
    """``{responses, mean, by_score: {"1".."5": n}}``; mean (two decimals) None without responses."""
    by_score = {str(s): 0 for s in SCORES}
    total = 0
    for score in scores:
        by_score[str(score)] += 1
        total += score
    n = sum(by_score.values())
    return {"responses": n, "mean": round(total / n + 0.0, 2) if n else None, "by_score": by_score}

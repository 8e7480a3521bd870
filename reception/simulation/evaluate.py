"""How good each predictor was on a simulated day: errors against the realised waits.

Only walk-in tickets that were called count: a booked visitor is told a slot time, not a
queue estimate (decision 016), and a ticket still waiting at closing has no realised wait.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from reception.queue.estimates import Estimate, QueueSnapshot
from reception.simulation.run import TicketOutcome


@dataclass(frozen=True)
class Score:
    tickets: int
    mae_min: float  # mean absolute error
    p90_min: float  # 90th percentile of the absolute error
    coverage: float  # share of realised waits inside [low, high]
    mean_width_min: float  # of the range, so a wide range cannot buy coverage unseen


def scored(tickets: Iterable[TicketOutcome]) -> list[TicketOutcome]:
    return [t for t in tickets if not t.is_appointment and t.wait_min is not None]


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(math.ceil(q * len(ordered)) - 1, 0)]


def score(pairs: Sequence[tuple[Estimate, float]]) -> Score:
    """Score (estimate, realised wait) pairs."""
    errors = [abs(e.minutes - wait) for e, wait in pairs]
    inside = [e.low <= wait <= e.high for e, wait in pairs]
    n = len(pairs)
    return Score(
        tickets=n,
        mae_min=sum(errors) / n if n else math.nan,
        p90_min=percentile(errors, 0.9),
        coverage=sum(inside) / n if n else math.nan,
        mean_width_min=sum(e.high - e.low for e, _ in pairs) / n if n else math.nan,
    )


def score_predictor(tickets: Iterable[TicketOutcome], predict: Callable[[QueueSnapshot], Estimate]) -> Score:
    """Re-run a predictor on the stored snapshots (the day need not be simulated again)."""
    return score([(predict(t.snapshot), t.wait_min) for t in scored(tickets) if t.wait_min is not None])

"""Erlang C (the M/M/c queue): how many desks a steady stream of visitors needs. Pure arithmetic.

Visitors arrive as a Poisson stream of ``arrivals_per_hour``, each visit takes an exponentially
distributed time of mean ``service_min``, ``c`` desks serve one line first come first served.
With the offered load ``A = λ·S`` (in Erlangs) and ``c > A``:

- P(wait)       C(c, A) = c·B / (c − A·(1 − B)), B the Erlang B blocking probability;
- mean wait     W = C · S / (c − A);
- P(W ≤ t)      1 − C · exp(−(c − A) · t / S).

B is computed by its recursion B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)): every term lies in
[0, 1], so no power or factorial of A is ever formed and nothing overflows, for any load this
module accepts (a thousand desks and more).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# The bounds of what a plan may ask (the API's schema states the same ones).
MAX_ARRIVALS_PER_HOUR = 10_000.0
MAX_SERVICE_MIN = 480.0  # a visit of a whole working day
MAX_TARGET_WAIT_MIN = 480.0
MIN_TARGET_PCT = 1.0
MAX_TARGET_PCT = 99.9  # 100 % within a finite wait is out of reach whenever anyone waits at all
MAX_DESKS = 2_000


class PlanError(ValueError):
    """An input outside the bounds above, or a load no number of desks up to MAX_DESKS meets."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def erlang_b(c: int, load: float) -> float:
    """Erlang B: the probability that all ``c`` servers are busy in a loss system offered ``load`` Erlangs."""
    if c < 0 or load < 0:
        raise ValueError("c and load must not be negative")
    b = 1.0
    for k in range(1, c + 1):
        b = load * b / (k + load * b)
    return b


def erlang_c(c: int, load: float) -> float:
    """Erlang C: the probability that a visitor waits at all (1.0 when ``c <= load``: the line grows)."""
    if load <= 0:
        return 0.0
    if c <= load:
        return 1.0
    b = erlang_b(c, load)
    return c * b / (c - load * (1.0 - b))


def mean_wait_min(c: int, load: float, service_min: float) -> float:
    """The mean wait in the line (minutes), over all visitors (those not waiting count as 0)."""
    if load <= 0:
        return 0.0
    if c <= load:
        return math.inf
    return erlang_c(c, load) * service_min / (c - load)


def within_share(c: int, load: float, service_min: float, t_min: float) -> float:
    """The share (0..1) of visitors called within ``t_min`` minutes of arriving."""
    if load <= 0:
        return 1.0
    if c <= load:
        return 0.0
    return 1.0 - erlang_c(c, load) * math.exp(-(c - load) * t_min / service_min)


@dataclass(frozen=True)
class Plan:
    desks: int
    expected_wait_min: float
    within_target_pct: float

    def as_dict(self) -> dict[str, float | int]:
        """Unrounded: the figures as Erlang C gives them (a page rounds what it shows)."""
        return {"desks": self.desks, "expected_wait_min": self.expected_wait_min,
                "within_target_pct": self.within_target_pct}


def check_inputs(arrivals_per_hour: float, service_min: float, target_wait_min: float, target_pct: float) -> None:
    """Refuse what the plan cannot mean (PlanError names the field)."""
    checks = (
        ("arrivals_per_hour", arrivals_per_hour, 0.0, MAX_ARRIVALS_PER_HOUR, False),
        ("service_min", service_min, 0.0, MAX_SERVICE_MIN, True),
        ("target_wait_min", target_wait_min, 0.0, MAX_TARGET_WAIT_MIN, False),
        ("target_pct", target_pct, MIN_TARGET_PCT, MAX_TARGET_PCT, False),
    )
    for name, value, low, high, exclusive_low in checks:
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            raise PlanError(name, "a number")
        if value < low or (exclusive_low and value <= low) or value > high:
            raise PlanError(name, f"between {low:g} and {high:g}")


def plan(arrivals_per_hour: float, service_min: float, target_wait_min: float, target_pct: float) -> Plan:
    """The fewest desks that call at least ``target_pct`` % of visitors within ``target_wait_min`` minutes,
    with that plan's mean wait and share within the target (no arrivals: no desks, nobody waits)."""
    check_inputs(arrivals_per_hour, service_min, target_wait_min, target_pct)
    load = arrivals_per_hour * service_min / 60.0
    if load == 0:
        return Plan(0, 0.0, 100.0)
    goal = target_pct / 100.0
    c = max(1, math.floor(load) + 1)  # the least number of desks with a finite line
    while c <= MAX_DESKS and within_share(c, load, service_min, target_wait_min) < goal:
        c += 1
    if c > MAX_DESKS:
        raise PlanError("arrivals_per_hour", f"more than {MAX_DESKS} desks would be needed")
    return Plan(c, mean_wait_min(c, load, service_min), 100.0 * within_share(c, load, service_min, target_wait_min))

"""Random draws of the simulated day: pure functions of a seeded ``random.Random``.

Arrivals are a non-homogeneous Poisson process sampled by thinning (Lewis & Shedler 1979):
candidate times from a homogeneous process at the peak rate, each kept with probability
rate(t) / peak.  Service times are lognormal, the usual fit for service times in call centres
and offices (Brown et al., JASA 2005).
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Sequence


def rate_at(curve: Sequence[tuple[float, float]], minute: float) -> float:
    """Arrivals per hour at ``minute`` after opening, linear between the curve's (minute, rate) points."""
    xs = [x for x, _ in curve]
    if minute <= xs[0]:
        return curve[0][1]
    if minute >= xs[-1]:
        return curve[-1][1]
    i = bisect.bisect_right(xs, minute)
    (x0, y0), (x1, y1) = curve[i - 1], curve[i]
    return y0 + (y1 - y0) * (minute - x0) / (x1 - x0)


def thinned_arrivals(rng: random.Random, curve: Sequence[tuple[float, float]], until_min: float) -> list[float]:
    """Arrival minutes in [0, until_min) of a Poisson process with the curve's time-varying rate."""
    peak = max(rate for _, rate in curve)
    if peak <= 0:
        return []
    times: list[float] = []
    t = 0.0
    while True:
        t += rng.expovariate(peak / 60.0)
        if t >= until_min:
            return times
        if rng.random() * peak < rate_at(curve, t):
            times.append(t)


def lognormal_minutes(rng: random.Random, median_min: float, sigma: float) -> float:
    """A service time with the given median; the mean is median x exp(sigma^2 / 2)."""
    return rng.lognormvariate(math.log(median_min), sigma)


def exponential_minutes(rng: random.Random, mean_min: float) -> float:
    return rng.expovariate(1.0 / mean_min)


def empirical_minutes(rng: random.Random, samples: Sequence[float]) -> float:
    """One of the observed durations, drawn with replacement (the empirical distribution)."""
    return samples[int(rng.random() * len(samples))]


def pick(rng: random.Random, shares: Sequence[tuple[str, float]]) -> str:
    """One key drawn with probability proportional to its share."""
    total = sum(share for _, share in shares)
    point = rng.random() * total
    for key, share in shares:
        point -= share
        if point < 0:
            return key
    return shares[-1][0]

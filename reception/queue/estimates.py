"""Position in queue and expected wait: pure arithmetic over the live queue (no database)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import NormalDist

ROLLING_WINDOW = 20  # finished visits that make the rolling service time


def rolling_service_minutes(durations_min: Sequence[float], default_min: float) -> float:
    """Mean of the last visits' service times; the configured default until there are any."""
    recent = [d for d in durations_min[-ROLLING_WINDOW:] if d >= 0]
    return sum(recent) / len(recent) if recent else default_min


def eta_minutes(ahead: int, service_min: float, desks: int) -> int:
    """Expected minutes until the call: the visitors ahead shared among the desks serving them."""
    return math.ceil(ahead * service_min / max(desks, 1))


def minutes_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60.0


# A desk on a pause is staffed and comes back (the estimate counts it back, PAUSE_LEFT_MIN); a closed one is gone.
STAFFED = frozenset({"open", "paused"})


def served_now(desk_statuses: Iterable[str]) -> bool:
    """Whether anyone serves a service now, from the statuses of the desks that serve it: one desk
    open or on a pause. Nobody (every such desk closed, or none at all): the visitor is told so and
    given no estimate (decision 034). The one rule of the kiosk menu, the issued ticket, the phone
    page and the estimate."""
    return any(status in STAFFED for status in desk_statuses)


def callable_now(desk_statuses: Iterable[str]) -> bool:
    """Whether a desk could call the service's next visitor this minute: one desk open (not on a break).
    The manager's alarm asks this (decision 032); the visitor is told ``served_now``, since a break ends."""
    return any(status == "open" for status in desk_statuses)


# --- better predictors (docs/decisions/016-wait-estimates.md) ---------------------------------
#
# Pure functions of a QueueSnapshot, the few figures one cheap read gives at issue time
# (reception.queue.estimates_read.queue_snapshot).  Each returns a point estimate and a range.
# Ibrahim & Whitt (MSOM 2009; Operations Research 2009, 2011): queue-length predictors from
# the observed gaps between service entries, delay-history predictors LES and HOL.

RANGE_LOW_Q, RANGE_HIGH_Q = 0.10, 0.93  # misses run late more than early (a window leaves, a lunch starts)
GAP_WINDOW = 12  # recent busy gaps between calls that estimate the throughput
GAP_DECAY = 0.85  # exponential weight per older gap: the day's rates swing
PRIOR_GAPS = 2.0  # the configured-default gap counts as this many observations
PAUSE_LEFT_MIN = 20.0  # a paused desk is expected back after this long (a pause has no planned end)
PAUSE_ITERATIONS = 3
MIN_DESKS = 0.5  # all desks paused: not "never", but slowly
VISIT_CV2_PRIOR = 0.5  # spread of a visit before the pool has finished any (lognormal service, mixed services)
FIRST_FREE_SPAN, FIRST_FREE_STEPS = 6.0, 48  # integrate the first desk's freeing over 6 visits, 48 steps
MODEL_CV2 = 0.08  # squared CV the Erlang rule misses (rates drift while one waits), from the benchmark


@dataclass(frozen=True)
class QueueSnapshot:
    """What a predictor knows when a ticket is issued (minutes).

    The *pool* is the desks serving the ticket's service; they share their time among all
    their services, so earlier visitors of those services are ahead too.
    """

    ahead: int  # visitors of the same service who will be called before this one
    is_priority: bool
    desks_open: int  # pool desks open now (paused ones excluded)
    desks_total: int  # pool desks, whatever their state
    desks_idle: int  # open pool desks with nobody at them
    service_min: float  # rolling mean service time of the service (the baseline's input)
    desks_paused: int = 0  # pool desks on a pause (they come back, unlike closed ones)
    busy_elapsed_min: tuple[float, ...] = ()  # how long each busy open pool desk has had its visitor
    call_gaps_min: tuple[float, ...] = ()  # busy gaps between the service's recent calls, oldest first
    desks_recent: int = 0  # distinct desks among the service's recent calls
    pool_ahead: float = 0.0  # visitors of the pool's services ahead, weighted by the pool's share of them
    pool_gaps_min: tuple[float, ...] = ()  # busy gaps between the pool desks' recent calls, oldest first
    pool_desks_recent: int = 0  # distinct desks among those calls
    pool_visit_min: tuple[float, ...] = ()  # call-to-finish of the pool desks' last visitors, oldest first
    queue_len: int = 0  # visitors of this one's service and class waiting, not counting it
    last_wait_min: float | None = None  # LES: the wait of the last visitor of the service called
    head_wait_min: float | None = None  # HOL: how long the head of this one's line has waited
    served: bool = True  # anyone serves the service now (served_now over the pool desks' statuses)


@dataclass(frozen=True)
class Estimate:
    minutes: float
    low: float
    high: float


def naive_estimate(s: QueueSnapshot) -> Estimate:
    """The baseline the product shipped with: people ahead x rolling mean / desks; no range."""
    minutes = float(eta_minutes(s.ahead, s.service_min, s.desks_open or s.desks_total))
    return Estimate(minutes, minutes, minutes)


def weighted_gap(gaps: Sequence[float], prior: float) -> tuple[float, float]:
    """(mean gap, effective number of observations): exponentially weighted, shrunk to ``prior``."""
    recent = gaps[-GAP_WINDOW:]
    weights = [GAP_DECAY ** (len(recent) - 1 - i) for i in range(len(recent))]
    total = sum(weights) + PRIOR_GAPS
    return (sum(w * g for w, g in zip(weights, recent, strict=True)) + PRIOR_GAPS * prior) / total, total


def current_gap(gaps: Sequence[float], desks_recent: int, desks_open: int, prior: float) -> tuple[float, float]:
    """Minutes between calls now, and how many observations back it.

    The observed gaps came from ``desks_recent`` desks; rescale them to the desks open now, so a
    window closing (or opening) moves the estimate at once instead of after a dozen calls.
    """
    gap, n = weighted_gap(gaps, prior)
    if gaps and desks_open and desks_recent:
        gap *= desks_recent / desks_open
    return gap, n


def service_gap(s: QueueSnapshot) -> tuple[float, float]:
    desks_now = s.desks_open or s.desks_total
    return current_gap(s.call_gaps_min, s.desks_recent, s.desks_open, s.service_min / max(desks_now, 1))


def pool_gap(s: QueueSnapshot) -> tuple[float, float]:
    desks_now = s.desks_open or s.desks_total
    return current_gap(s.pool_gaps_min, s.pool_desks_recent, s.desks_open, s.service_min / max(desks_now, 1))


def calls_needed(ahead: float, desks_idle: int) -> float:
    """Calls until this visitor's turn; none if a desk that serves them is idle (it would have
    called anyone it could, so whoever is ahead waits for other desks)."""
    return 0.0 if desks_idle > 0 else ahead + 1.0


def gamma_quantile(mean: float, shape: float, q: float) -> float:
    """Quantile of a gamma distribution by Wilson & Hilferty's cube-root normal approximation."""
    if mean <= 0:
        return 0.0
    z = NormalDist().inv_cdf(q)
    c = 1.0 / (9.0 * shape)
    return max(mean * (1.0 - c + z * math.sqrt(c)) ** 3, 0.0)


def erlang_range(minutes: float, calls: float, observations: float) -> Estimate:
    """Point and 10-93% range for a wait that is the sum of ``calls`` gaps of an estimated mean.

    Squared coefficients of variation add: 1/calls from the gaps themselves (exponential
    between calls of many desks), 1/observations from the estimated rate, MODEL_CV2 for the
    drift no snapshot sees.
    """
    if calls <= 0 or minutes <= 0:
        return Estimate(0.0, 0.0, 0.0)
    cv2 = 1.0 / max(calls, 1.0) + 1.0 / max(observations, 1.0) + MODEL_CV2
    shape = 1.0 / cv2
    return Estimate(minutes, gamma_quantile(minutes, shape, RANGE_LOW_Q), gamma_quantile(minutes, shape, RANGE_HIGH_Q))


def ql_estimate(s: QueueSnapshot) -> Estimate:
    """Queue-length predictor per service: calls still needed x the current gap between its calls."""
    gap, n = service_gap(s)
    calls = calls_needed(s.ahead, s.desks_idle)
    return erlang_range(calls * gap, calls, n)


def pool_ql_estimate(s: QueueSnapshot) -> Estimate:
    """Queue-length predictor over the pool: everyone the pool's desks will call first, at their pace."""
    gap, n = pool_gap(s)
    calls = calls_needed(s.pool_ahead, s.desks_idle)
    return erlang_range(calls * gap, calls, n)


def les_estimate(s: QueueSnapshot) -> Estimate:
    """Last to enter service: the wait of the last visitor of the service called (0 if a desk is idle)."""
    calls = calls_needed(s.ahead, s.desks_idle)
    minutes = s.last_wait_min if calls and s.last_wait_min is not None else 0.0
    return erlang_range(minutes, calls, len(s.call_gaps_min))


def hol_estimate(s: QueueSnapshot) -> Estimate:
    """Head of line, scaled: the ``q`` visitors waiting arrived while the head waited ``w``, so the
    arrival rate is about q / w and Little's law gives a wait of w x (q + 1) / q."""
    calls = calls_needed(s.ahead, s.desks_idle)
    if not calls:
        return Estimate(0.0, 0.0, 0.0)
    if not s.queue_len or not s.head_wait_min:
        return ql_estimate(s)  # nobody waiting: nothing to read from the head of the line
    minutes = s.head_wait_min * (s.queue_len + 1) / s.queue_len
    return erlang_range(minutes, calls, len(s.call_gaps_min))


def visit_minutes(s: QueueSnapshot) -> tuple[float, float]:
    """How long a pool desk is taken per visitor (call to finish, walking up and no-shows
    included), exponentially weighted and shrunk to the service's mean; and its observations."""
    return weighted_gap(s.pool_visit_min, s.service_min)


def desks_over(s: QueueSnapshot, wait_min: float) -> float:
    """Desks working for this visitor on average over the coming ``wait_min``: the open ones, and
    a paused one for the part of the wait after it is expected back.  Before any desk has opened
    (the morning), the desks that could serve."""
    if not s.desks_open and not s.desks_paused:
        return float(max(s.desks_total, 1))
    back = max(1.0 - PAUSE_LEFT_MIN / wait_min, 0.0) if wait_min > 0 else 0.0
    return max(s.desks_open + s.desks_paused * back, MIN_DESKS)


def visit_cv2(s: QueueSnapshot) -> float:
    """Squared coefficient of variation of a visit: the pool's recent visits, shrunk to a prior."""
    recent = s.pool_visit_min[-GAP_WINDOW:]
    if len(recent) < 2:
        return VISIT_CV2_PRIOR
    mean = sum(recent) / len(recent)
    sample = sum((v - mean) ** 2 for v in recent) / (len(recent) - 1) / mean**2 if mean > 0 else VISIT_CV2_PRIOR
    return (len(recent) * sample + PRIOR_GAPS * VISIT_CV2_PRIOR) / (len(recent) + PRIOR_GAPS)


def first_free(s: QueueSnapshot, visit: float, desks: float) -> float:
    """Minutes until a pool desk frees up: the expected first end among the visits running now,
    each a lognormal visit (mean ``visit``) known to have lasted its elapsed time so far —
    E[min R_i] = ∫ Π P(S_i > a_i + t | S_i > a_i) dt.  A visit long under way is not "nearly
    done" when visits are this variable (the deterministic "visit − elapsed" promised 1 min to
    people who then waited 15 on quiet days).  Unknown elapsed times: a visit per desk."""
    if not s.busy_elapsed_min or visit <= 0:
        return visit / desks
    sigma2 = math.log1p(visit_cv2(s))
    sigma, mu = math.sqrt(sigma2), math.log(visit) - sigma2 / 2
    normal = NormalDist(mu, sigma)

    def survival(x: float) -> float:
        return 1.0 - normal.cdf(math.log(x)) if x > 0 else 1.0

    starts = [max(survival(a), 1e-9) for a in s.busy_elapsed_min]
    step = FIRST_FREE_SPAN * visit / FIRST_FREE_STEPS
    total, previous = 0.0, 1.0
    for k in range(1, FIRST_FREE_STEPS + 1):
        t = k * step
        alive = math.prod(min(survival(a + t) / s0, 1.0) for a, s0 in zip(s.busy_elapsed_min, starts, strict=True))
        total += (previous + alive) / 2 * step  # trapezoid
        previous = alive
    return total


def product_estimate(s: QueueSnapshot) -> Estimate:
    """The product's predictor: everyone the pool's desks will call first, each taking a desk for
    the recent visit length, shared among the desks working over the wait; the first call comes
    when the first busy desk frees up (docs/decisions/016-wait-estimates.md)."""
    visit, n = visit_minutes(s)
    calls = calls_needed(s.pool_ahead, s.desks_idle)
    if calls <= 0:
        return Estimate(0.0, 0.0, 0.0)
    first = min(calls, 1.0)  # a fraction when only part of a visitor (of a shared service) is ahead

    def wait_with(desks: float) -> float:
        return first * first_free(s, visit, desks) + (calls - first) * visit / desks

    wait = wait_with(desks_over(s, 0.0))
    for _ in range(PAUSE_ITERATIONS):  # the wait decides how much of a pause falls inside it
        wait = wait_with(desks_over(s, wait))
    return erlang_range(wait, calls, n)


PREDICTORS: dict[str, Callable[[QueueSnapshot], Estimate]] = {
    "naive": naive_estimate,
    "ql": ql_estimate,
    "pool_ql": pool_ql_estimate,
    "les": les_estimate,
    "hol": hol_estimate,
    "product": product_estimate,
}


SOON_MIN = 5  # an upper bound this short is said as "soon": a range of minutes would be noise
# A range wider than this (early in the day, with no visits yet to learn from) says only its low
# end: a visitor can plan with «від 15 хв», not with «15–182 хв».
WIDEST_SPAN_MIN = 60

# A range from 0 says its high end only («до 33 хв», not «0–33 хв»): it is the one bound that tells anything,
# even when the range is too wide (there «від 0 хв» would promise nothing).
_WAIT_WORDS = {"uk": ("скоро", "{low}–{high} хв", "від {low} хв", "до {high} хв"),
               "en": ("soon", "{low}–{high} min", "from {low} min", "up to {high} min")}


def wait_range(estimate: Estimate) -> tuple[int, int]:
    """The range shown to a visitor, rounded outwards to whole minutes."""
    return math.floor(estimate.low), max(math.ceil(estimate.high), math.floor(estimate.low))


def shown_bounds(low: int, high: int) -> tuple[int, int | None]:
    """What the visitor was promised by :func:`wait_words`, as (at least, at most — None: open):
    "скоро" promises at most ``SOON_MIN``; "до 33 хв" at most its high end; "від 15 хв" only its low end;
    otherwise the range."""
    if high <= SOON_MIN:
        return 0, SOON_MIN
    return (low, None) if low > 0 and high - low > WIDEST_SPAN_MIN else (low, high)


def wait_words(low: int, high: int, lang: str) -> str:
    """"15–25 хв"; "скоро" when even the late end is near; "до 33 хв" from 0; "від 15 хв" when the range
    is too wide to help. One wording for the kiosk, the slip, the phone page and the display."""
    soon, span, at_least, at_most = _WAIT_WORDS.get(lang, _WAIT_WORDS["uk"])
    if high <= SOON_MIN:
        return soon
    if low <= 0:
        return at_most.format(high=high)
    return (at_least if high - low > WIDEST_SPAN_MIN else span).format(low=low, high=high)

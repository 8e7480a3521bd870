"""The simulated days: an office like the Ministry's open office on a Tuesday, four ways busy.

Times are minutes after opening (09:00 Kyiv); rates are walk-in arrivals per hour.  The
normal day peaks mid-morning at about the capacity of four windows (mean service ~9 min),
so a queue builds and drains; "peak" runs above capacity with a fifth window; the midday
scenario loses a window for good at 12:30 and has another paused for an hour.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    prefix: str
    name_uk: str
    name_en: str
    share: float  # of walk-in arrivals
    median_min: float  # lognormal service time
    sigma: float
    default_min: float  # the configured default the product starts from
    kind: str = "specialist"
    # The service-time draw: lognormal (median_min, sigma), exponential (mean_min) or empirical (samples,
    # drawn with replacement); scenario files choose (scenario_file), the built-in days are lognormal.
    distribution: str = "lognormal"
    mean_min: float | None = None
    samples: tuple[float, ...] = ()
    # Its own arrival curve ((minute, per hour), …); when any service has one, every service arrives
    # by its own curve and ``share`` is unused.
    curve: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class Break:
    at_min: float  # nominal start, jittered per operator by +- BREAK_JITTER_MIN
    length_min: float


@dataclass(frozen=True)
class DeskSpec:
    code: str
    services: tuple[str, ...]
    weights: tuple[tuple[str, float], ...] = ()
    late_max_min: float = 10.0  # the operator opens up to this late
    breaks: tuple[Break, ...] = ()
    closes_at_min: float | None = None  # None: at office closing
    opens_at_min: float = 0.0  # the operator's start, minutes after the office opens (then up to late_max_min late)


@dataclass(frozen=True)
class LeadershipSpec:
    start: str = "10:00"
    end: str = "13:00"
    slot_min: int = 15
    booked: int = 10  # of the session's slots
    no_show_share: float = 0.15  # booked visitors who never come
    early_min: tuple[float, float] = (5.0, 25.0)  # they arrive this much before their slot
    median_min: float = 12.0
    sigma: float = 0.35


@dataclass(frozen=True)
class Scenario:
    name: str
    curve: tuple[tuple[float, float], ...]
    desks: tuple[DeskSpec, ...]
    services: tuple[ServiceSpec, ...]
    day: date = date(2026, 11, 24)  # a Tuesday
    opens: str = "09:00"
    closes: str = "18:00"
    priority_share: float = 0.08
    no_show_share: float = 0.05  # called visitors who do not come to the desk
    no_show_wait_min: float = 2.0  # how long the operator waits before marking a no-show
    walk_min: tuple[float, float] = (0.3, 1.5)  # from the call to the desk
    leadership: LeadershipSpec | None = field(default_factory=LeadershipSpec)
    priorities: tuple[tuple[str, float], ...] = ()  # the priority categories' mix (empty: PRIORITY_CATEGORIES)
    break_jitter_min: float | None = None  # None: BREAK_JITTER_MIN
    # Arrivals that booked their slot online (decision 044): they come up to ``booked_early_max_min`` before
    # the slot that covers their arrival and are called within ``booked_tolerance_min`` of it.
    booked_share: float = 0.0
    booked_slot_min: int = 15
    booked_tolerance_min: int = 10
    booked_early_max_min: float = 10.0

    @property
    def day_min(self) -> float:
        (h0, m0), (h1, m1) = (map(int, t.split(":")) for t in (self.opens, self.closes))
        return float((h1 * 60 + m1) - (h0 * 60 + m0))


BREAK_JITTER_MIN = 15.0
PRIORITY_CATEGORIES = (("elderly", 3.0), ("disability", 2.0), ("war_disability", 2.0), ("pregnant_child", 2.0),
                       ("serviceman", 1.0))

SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("consult", "К", "Юридична консультація", "Legal consultation", 0.30, 11.0, 0.5, 12.0),
    ServiceSpec("legal_aid", "Б", "Безоплатна правова допомога", "Free legal aid", 0.12, 14.0, 0.45, 15.0),
    ServiceSpec("appeal", "С", "Подати звернення або скаргу", "Submit an appeal or complaint", 0.22, 7.0, 0.5, 8.0),
    ServiceSpec("registry", "Р", "Питання державної реєстрації", "State registration questions", 0.18, 9.0, 0.5,
                10.0),
    ServiceSpec("documents", "Д", "Отримати або здати документи", "Hand in or collect documents", 0.18, 3.5, 0.4,
                4.0),
)
LEADERSHIP_SERVICE = ServiceSpec("leadership", "П", "Особистий прийом громадян керівництвом",
                                 "Personal reception by leadership", 0.0, 12.0, 0.35, 15.0, kind="leadership")

LUNCH = Break(at_min=210, length_min=40)  # around 12:30
COFFEE = Break(at_min=400, length_min=10)  # around 15:40

DESKS: tuple[DeskSpec, ...] = (
    DeskSpec("1", ("consult", "legal_aid"), breaks=(LUNCH, COFFEE)),
    DeskSpec("2", ("consult", "appeal", "documents"), breaks=(replace(LUNCH, at_min=250), COFFEE)),
    DeskSpec("3", ("registry", "documents"), breaks=(LUNCH,)),
    DeskSpec("4", ("appeal", "registry", "legal_aid"), weights=(("appeal", 2.0),),
             breaks=(replace(LUNCH, at_min=260),)),
)
FIFTH_DESK = DeskSpec("5", ("consult", "documents", "appeal"), late_max_min=30.0, breaks=(replace(LUNCH, at_min=290),))

NORMAL_CURVE: tuple[tuple[float, float], ...] = (
    (0, 14), (60, 26), (150, 26), (210, 17), (300, 16), (420, 13), (480, 8), (540, 6),
)


def _scaled(curve: tuple[tuple[float, float], ...], factor: float) -> tuple[tuple[float, float], ...]:
    return tuple((t, rate * factor) for t, rate in curve)


SCENARIOS: dict[str, Scenario] = {
    "quiet": Scenario("quiet", _scaled(NORMAL_CURVE, 0.5), DESKS, SERVICES),
    "normal": Scenario("normal", NORMAL_CURVE, DESKS, SERVICES),
    "peak": Scenario("peak", _scaled(NORMAL_CURVE, 1.45), (*DESKS, FIFTH_DESK), SERVICES),
    "desk_closing_midday": Scenario(
        "desk_closing_midday",
        NORMAL_CURVE,
        (
            DESKS[0],
            replace(DESKS[1], closes_at_min=210.0, breaks=()),  # called away at 12:30 for the rest of the day
            DESKS[2],
            replace(DESKS[3], breaks=(Break(at_min=120, length_min=60),)),  # an hour-long pause from 11:00
        ),
        SERVICES,
    ),
}


def scenario(name: str, *, closes: str | None = None, booked_share: float | None = None) -> Scenario:
    """A named scenario, optionally cut short (tests run a morning, not a day)."""
    try:
        chosen = SCENARIOS[name]
    except KeyError:
        raise ValueError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}") from None
    chosen = replace(chosen, closes=closes) if closes else chosen
    return replace(chosen, booked_share=booked_share) if booked_share is not None else chosen

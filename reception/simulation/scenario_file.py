"""Scenarios from a file (TOML or JSON, the same structure): ``reception simulate --scenario day.toml``.

An example with every key is ``docs/scenarios/example.toml``. The file states the day, its services (each
with an arrival curve and a service-time distribution), the desks (services, hours, breaks), the
priority mix and the no-shows. Everything is checked before anything runs: a file with mistakes is
refused with one message listing each mistake by its place (``services[1].service_time.sigma: …``).

Service-time distributions:

- ``{distribution = "exponential", mean_min = 8}``
- ``{distribution = "lognormal", median_min = 7, sigma = 0.5}`` (or ``mean_min`` instead of the median)
- ``{distribution = "empirical", samples = [4.5, 6.0, 12.2]}``: drawn with replacement
- ``{distribution = "empirical", history = true}``: the service's served visits (started -> finished)
  over ``[history] weeks`` in the office ``[history] office`` of the database ``[history] database``
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from reception.offices.models import Office, Service
from reception.platform.db import connect
from reception.queue.models import Ticket
from reception.simulation.scenarios import Break, DeskSpec, LeadershipSpec, Scenario, ServiceSpec

MAX_SERVICES = 50
MAX_DESKS = 200
MAX_RATE = 2_000.0  # arrivals per hour of one service
MAX_MINUTES = 24 * 60.0
MAX_SAMPLES = 100_000
HISTORY_LIMIT = 20_000
_HHMM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$")
DISTRIBUTIONS = ("exponential", "lognormal", "empirical")
TOP_KEYS = {"name", "date", "opens", "closes", "no_show_share", "no_show_wait_min", "walk_min", "break_jitter_min",
            "priority", "services", "desks", "leadership", "history"}


class ScenarioError(ValueError):
    """The file cannot be a scenario; ``problems`` lists each mistake by its place in the file."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass
class _Check:
    """Collects mistakes instead of stopping at the first, so one run shows them all."""

    problems: list[str] = field(default_factory=list)

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def number(self, data: dict[str, Any], key: str, where: str, *, low: float, high: float,
               default: float | None = None, above: bool = False) -> float:
        return self.scalar(data.get(key, default), f"{where}.{key}" if where else key, low=low, high=high,
                           above=above)

    def scalar(self, value: Any, place: str, *, low: float, high: float, above: bool = False) -> float:
        if value is None:
            self.fail(place, "required")
            return low
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.fail(place, "a number is required")
            return low
        if value < low or value > high or (above and value <= low):
            self.fail(place, f"must be {'above' if above else 'from'} {low:g} {'and at most' if above else 'to'} {high:g}")
            return low
        return float(value)

    def text(self, data: dict[str, Any], key: str, where: str, *, default: str | None = None,
             pattern: re.Pattern[str] | None = None, hint: str = "") -> str:
        value = data.get(key, default)
        place = f"{where}.{key}" if where else key
        if not isinstance(value, str) or not value.strip():
            self.fail(place, "required (text)")
            return ""
        if pattern is not None and not pattern.match(value):
            self.fail(place, f"{value!r} is not {hint}")
            return ""
        return value.strip()

    def table(self, data: Any, where: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.fail(where, "a table (an object) is required")
            return {}
        return data

    def unknown(self, data: dict[str, Any], known: set[str], where: str) -> None:
        for key in sorted(set(data) - known):
            self.fail(f"{where}.{key}" if where else key, "unknown key")


def _minutes(hhmm: str) -> int:
    hours, minutes = map(int, hhmm.split(":"))
    return hours * 60 + minutes


def read(path: Path) -> dict[str, Any]:
    """The file's data (TOML by default, JSON for ``.json``); a file that does not parse is a ScenarioError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(str(path), [f"cannot be read ({exc.strerror})"]) from exc
    try:
        data = json.loads(raw) if path.suffix.lower() == ".json" else tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError and TOMLDecodeError are ValueErrors
        raise ScenarioError(str(path), [f"not valid {'JSON' if path.suffix.lower() == '.json' else 'TOML'}: {exc}"]) \
            from exc
    if not isinstance(data, dict):
        raise ScenarioError(str(path), ["the file must hold one table (an object)"])
    return data


def load(path: str | Path, *, history: Callable[[dict[str, Any], str], list[float]] | None = None) -> Scenario:
    """The scenario in the file; ScenarioError listing every mistake otherwise.

    ``history(history_table, service_code)``: the observed visit lengths of a service (default: read from
    the database the file's ``[history]`` names)."""
    source = Path(path)
    return parse(read(source), str(source), history=history)


def parse(data: dict[str, Any], source: str = "scenario",
          history: Callable[[dict[str, Any], str], list[float]] | None = None) -> Scenario:
    c = _Check()
    c.unknown(data, TOP_KEYS, "")
    name = c.text(data, "name", "", default=Path(source).stem)
    day = date(2026, 11, 24)
    if "date" in data:
        raw = data["date"]
        if isinstance(raw, date) and not isinstance(raw, datetime):
            day = raw
        else:
            try:
                day = date.fromisoformat(str(raw))
            except ValueError:
                c.fail("date", f"{raw!r} is not a date YYYY-MM-DD")
    opens = c.text(data, "opens", "", default="09:00", pattern=_HHMM, hint="a time HH:MM")
    closes = c.text(data, "closes", "", default="18:00", pattern=_HHMM, hint="a time HH:MM")
    day_min = float(_minutes(closes) - _minutes(opens)) if opens and closes else 0.0
    if opens and closes and day_min <= 0:
        c.fail("closes", "must be after opens")

    def at(raw: Any, where: str) -> float:
        """A time of day HH:MM as minutes after opening, within the day."""
        if not isinstance(raw, str) or not _HHMM.match(raw):
            c.fail(where, f"{raw!r} is not a time HH:MM")
            return 0.0
        minute = float(_minutes(raw) - _minutes(opens or "00:00"))
        if opens and closes and not 0 <= minute <= day_min:
            c.fail(where, f"{raw} is outside the day {opens}-{closes}")
        return minute

    no_show = c.number(data, "no_show_share", "", low=0, high=1, default=0.05)
    no_show_wait = c.number(data, "no_show_wait_min", "", low=0, high=60, default=2.0)
    walk = data.get("walk_min", [0.3, 1.5])
    walk_min = (0.3, 1.5)
    if (not isinstance(walk, list) or len(walk) != 2
            or not all(isinstance(x, int | float) and not isinstance(x, bool) and 0 <= x <= 30 for x in walk)
            or walk[0] > walk[1]):
        c.fail("walk_min", "a pair [least, most] of minutes from 0 to 30 is required")
    else:
        walk_min = (float(walk[0]), float(walk[1]))
    jitter = c.number(data, "break_jitter_min", "", low=0, high=120, default=15.0)

    priority = c.table(data.get("priority", {}), "priority")
    c.unknown(priority, {"share", "categories"}, "priority")
    priority_share = c.number(priority, "share", "priority", low=0, high=1, default=0.08)
    categories: list[tuple[str, float]] = []
    for code, weight in c.table(priority.get("categories", {}), "priority.categories").items():
        categories.append((code, c.scalar(weight, f"priority.categories.{code}", low=0, high=1000, above=True)))

    history_table = c.table(data.get("history", {}), "history")
    c.unknown(history_table, {"database", "office", "weeks"}, "history")
    if "weeks" in history_table:
        history_table = history_table | {"weeks": int(c.number(history_table, "weeks", "history", low=1, high=520))}

    services: list[ServiceSpec] = []
    raw_services = data.get("services")
    if not isinstance(raw_services, list) or not raw_services:
        c.fail("services", "a list of at least one service is required")
        raw_services = []
    if len(raw_services) > MAX_SERVICES:
        c.fail("services", f"at most {MAX_SERVICES}")
    codes: set[str] = set()
    for i, raw in enumerate(raw_services[:MAX_SERVICES]):
        where = f"services[{i}]"
        svc = c.table(raw, where)
        c.unknown(svc, {"code", "prefix", "name_uk", "name_en", "default_min", "service_time", "arrivals"}, where)
        code = c.text(svc, "code", where)
        if code in codes:
            c.fail(f"{where}.code", f"{code!r} is given twice")
        codes.add(code)
        prefix = c.text(svc, "prefix", where, default=code[:1].upper() or "X")
        curve: list[tuple[float, float]] = []
        arrivals = svc.get("arrivals")
        if not isinstance(arrivals, list) or not arrivals:
            c.fail(f"{where}.arrivals", 'a list of ["HH:MM", visitors per hour] points is required')
            arrivals = []
        for j, point in enumerate(arrivals):
            place = f"{where}.arrivals[{j}]"
            if not isinstance(point, list) or len(point) != 2:
                c.fail(place, 'a pair ["HH:MM", visitors per hour] is required')
                continue
            minute = at(point[0], place)
            rate = c.scalar(point[1], f"{place}[1]", low=0, high=MAX_RATE)
            if curve and minute <= curve[-1][0]:
                c.fail(place, "times must increase")
            curve.append((minute, rate))
        dist = c.table(svc.get("service_time"), f"{where}.service_time")
        spec = _distribution(c, dist, f"{where}.service_time", code, history_table, history)
        default_min = c.number(svc, "default_min", where, low=0, high=MAX_MINUTES, above=True,
                               default=spec["mean"] or 10.0)
        services.append(ServiceSpec(code, prefix, str(svc.get("name_uk", code)), str(svc.get("name_en", code)),
                                    0.0, spec["median"], spec["sigma"], default_min, distribution=spec["kind"],
                                    mean_min=spec["mean"], samples=spec["samples"], curve=tuple(curve)))

    desks: list[DeskSpec] = []
    raw_desks = data.get("desks")
    if not isinstance(raw_desks, list) or not raw_desks:
        c.fail("desks", "a list of at least one desk is required")
        raw_desks = []
    if len(raw_desks) > MAX_DESKS:
        c.fail("desks", f"at most {MAX_DESKS}")
    desk_codes: set[str] = set()
    for i, raw in enumerate(raw_desks[:MAX_DESKS]):
        where = f"desks[{i}]"
        desk = c.table(raw, where)
        c.unknown(desk, {"code", "services", "weights", "opens", "closes", "late_max_min", "breaks"}, where)
        code = c.text(desk, "code", where)
        if code in desk_codes:
            c.fail(f"{where}.code", f"{code!r} is given twice")
        desk_codes.add(code)
        served = desk.get("services")
        if not isinstance(served, list) or not served or not all(isinstance(x, str) for x in served):
            c.fail(f"{where}.services", "a list of service codes is required")
            served = []
        for s in served:
            if s not in codes:
                c.fail(f"{where}.services", f"{s!r} is not a service of the scenario")
        weights = []
        for s, w in c.table(desk.get("weights", {}), f"{where}.weights").items():
            if s not in served:
                c.fail(f"{where}.weights.{s}", "not a service of this desk")
            weights.append((s, c.scalar(w, f"{where}.weights.{s}", low=0, high=100, above=True)))
        start = at(desk.get("opens", opens), f"{where}.opens") if "opens" in desk else 0.0
        end = at(desk["closes"], f"{where}.closes") if "closes" in desk else None
        if end is not None and end <= start:
            c.fail(f"{where}.closes", "must be after the desk opens")
        breaks = []
        raw_breaks = desk.get("breaks", [])
        if not isinstance(raw_breaks, list):
            c.fail(f"{where}.breaks", "a list is required")
            raw_breaks = []
        for j, b in enumerate(raw_breaks):
            place = f"{where}.breaks[{j}]"
            brk = c.table(b, place)
            c.unknown(brk, {"at", "length_min"}, place)
            breaks.append(Break(at(brk.get("at"), f"{place}.at"),
                                c.number(brk, "length_min", place, low=0, high=MAX_MINUTES, above=True)))
        desks.append(DeskSpec(code, tuple(served), weights=tuple(weights),
                              late_max_min=c.number(desk, "late_max_min", where, low=0, high=240, default=0.0),
                              breaks=tuple(breaks), closes_at_min=end, opens_at_min=start))
    served_somewhere = {s for d in desks for s in d.services}
    for spec_ in services:
        if spec_.code and spec_.code not in served_somewhere:
            c.fail("desks", f"no desk serves {spec_.code!r}")

    leadership = _leadership(c, data.get("leadership", False))
    if c.problems:
        raise ScenarioError(source, c.problems)
    return Scenario(name, ((0.0, 0.0),), tuple(desks), tuple(services), day=day, opens=opens, closes=closes,
                    priority_share=priority_share, no_show_share=no_show, no_show_wait_min=no_show_wait,
                    walk_min=walk_min, leadership=leadership, priorities=tuple(categories), break_jitter_min=jitter)


def _distribution(c: _Check, dist: dict[str, Any], where: str, code: str, history_table: dict[str, Any],
                  history: Callable[[dict[str, Any], str], list[float]] | None) -> dict[str, Any]:
    kind = dist.get("distribution")
    out: dict[str, Any] = {"kind": "lognormal", "median": 10.0, "sigma": 0.5, "mean": None, "samples": ()}
    if kind not in DISTRIBUTIONS:
        c.fail(f"{where}.distribution", f"one of {', '.join(DISTRIBUTIONS)} is required")
        return out
    out["kind"] = kind
    if kind == "exponential":
        c.unknown(dist, {"distribution", "mean_min"}, where)
        mean = c.number(dist, "mean_min", where, low=0, high=MAX_MINUTES, above=True)
        out |= {"mean": mean, "median": mean * math.log(2), "sigma": 0.0}
    elif kind == "lognormal":
        c.unknown(dist, {"distribution", "median_min", "mean_min", "sigma"}, where)
        sigma = c.number(dist, "sigma", where, low=0, high=3, above=True)
        if ("median_min" in dist) == ("mean_min" in dist):
            c.fail(where, "give median_min or mean_min (one of them)")
            return out
        if "median_min" in dist:
            median = c.number(dist, "median_min", where, low=0, high=MAX_MINUTES, above=True)
        else:
            median = c.number(dist, "mean_min", where, low=0, high=MAX_MINUTES, above=True) / math.exp(sigma**2 / 2)
        out |= {"median": median, "sigma": sigma, "mean": median * math.exp(sigma**2 / 2)}
    else:
        c.unknown(dist, {"distribution", "samples", "history"}, where)
        if ("samples" in dist) == bool(dist.get("history")):
            c.fail(where, "give samples or history = true (one of them)")
            return out
        if "samples" in dist:
            samples = dist["samples"]
            if (not isinstance(samples, list) or not samples or len(samples) > MAX_SAMPLES
                    or not all(isinstance(x, int | float) and not isinstance(x, bool) and 0 < x <= MAX_MINUTES
                               for x in samples)):
                c.fail(f"{where}.samples", f"a list of 1 to {MAX_SAMPLES} durations in minutes above 0 is required")
                return out
            values = [float(x) for x in samples]
        else:
            if not history_table.get("database") or not history_table.get("office"):
                c.fail(where, "history = true needs [history] database and office")
                return out
            try:
                values = (history or history_samples)(history_table, code)
            except Exception as exc:  # noqa: BLE001 (any failure to read is the file's mistake to report)
                c.fail(where, f"the history could not be read ({type(exc).__name__}: {exc})")
                return out
            if not values:
                c.fail(where, f"the history holds no served visit of {code!r}")
                return out
        mean = sum(values) / len(values)
        out |= {"samples": tuple(values), "mean": mean, "median": sorted(values)[len(values) // 2], "sigma": 0.0}
    return out


def _leadership(c: _Check, raw: Any) -> LeadershipSpec | None:
    if raw is False or raw is None:
        return None
    if raw is True:
        return LeadershipSpec()
    table = c.table(raw, "leadership")
    c.unknown(table, {"start", "end", "slot_min", "booked", "no_show_share"}, "leadership")
    spec = LeadershipSpec()
    start = c.text(table, "start", "leadership", default=spec.start, pattern=_HHMM, hint="a time HH:MM")
    end = c.text(table, "end", "leadership", default=spec.end, pattern=_HHMM, hint="a time HH:MM")
    return LeadershipSpec(start=start, end=end,
                          slot_min=int(c.number(table, "slot_min", "leadership", low=5, high=120, default=15)),
                          booked=int(c.number(table, "booked", "leadership", low=0, high=100, default=10)),
                          no_show_share=c.number(table, "no_show_share", "leadership", low=0, high=1, default=0.15))


def history_samples(table: dict[str, Any], service_code: str) -> list[float]:
    """A service's served visits (started -> finished, minutes) over the last ``weeks`` (default 8) in the
    office of the database the file names: the empirical distribution of its own history."""
    weeks = int(table.get("weeks", 8))
    since = (datetime.now(UTC) - timedelta(weeks=weeks)).date()
    db = connect(str(table["database"]))
    try:
        with db.read() as s:
            rows = s.execute(select(Ticket.started_at, Ticket.finished_at)
                             .join(Service, Service.id == Ticket.service_id)
                             .join(Office, Office.id == Ticket.office_id)
                             .where(Office.code == str(table["office"]), Service.code == service_code,
                                    Ticket.status == "done", Ticket.day >= since,
                                    Ticket.started_at.is_not(None), Ticket.finished_at.is_not(None))
                             .order_by(Ticket.id.desc()).limit(HISTORY_LIMIT)).all()
    finally:
        db.dispose()
    return [round((b - a).total_seconds() / 60, 3) for a, b in rows if a and b and b > a]

"""Pure report arithmetic: event rows in, mergeable tallies, then the report's figures (decision 015).

Definitions (docs/decisions/015-reports.md):

- A *queue entry* is one ticket row. A transfer closes the entry and opens a copy (same code) in the
  new queue, so a transferred visitor is two entries: the first counts as ``transferred``, the copy
  counts as served / no-show / cancelled by how it ended. ``issued`` counts issued tickets only.
- *Wait* of an entry: the sum of its waiting segments, each from entering the queue (issued, the
  transfer that opened the copy, or a reactivation) to the call that ended it, minus any time the office
  was suspended. A transferred visitor's second wait starts at the transfer: counting from the issue
  would count their first service as waiting. An entry never called has no wait sample.
- *Service* of a served entry: from its last ``started`` to ``finished``, or from the last ``called``
  when the visit was never started.
- Everything is attributed to the ticket's office-local issue day (``Ticket.day``): a visit that runs
  past midnight belongs wholly to the day it was issued. Hours are office-local hours of the event.
- Durations are exact seconds for mean and max; median and p90 are taken on values rounded to
  0.1 min (the precision shown), which keeps the tallies small enough to merge a year quickly.
  Median: the middle value (mean of the two middle ones); p90: nearest rank.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

BUCKET_S = 6  # histogram resolution: 0.1 min
ROLLUP_VERSION = 2

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class EntryRow:
    """One queue entry (ticket row), as the report needs it."""

    id: int
    office_id: int
    service_id: int
    day: date


@dataclass(frozen=True)
class EventRow:
    ticket_id: int
    kind: str
    at: datetime
    desk_id: int | None = None
    user_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Facts:
    """What one queue entry contributes to the report."""

    office_id: int
    service_id: int
    day: date
    issued_hour: int | None = None  # office-local hour of issue; None for a transfer copy
    end: str | None = None  # served | no_show | cancelled | transferred | None (still open)
    end_hour: int | None = None
    wait_s: float | None = None
    target_min: float | None = None
    service_s: float | None = None
    desk_id: int | None = None
    user_id: int | None = None
    outcome: str | None = None


# --- one entry -----------------------------------------------------------------------------------


def overlap_s(start: datetime, end: datetime, intervals: Sequence[Interval]) -> float:
    """Seconds of [start, end) covered by the (non-overlapping) intervals."""
    total = 0.0
    for lo, hi in intervals:
        a, b = max(start, lo), min(end, hi)
        if b > a:
            total += (b - a).total_seconds()
    return total


def _waited(start: datetime, end: datetime, suspended: Sequence[Interval]) -> float:
    return max((end - start).total_seconds() - overlap_s(start, end, suspended), 0.0)


def entry_facts(entry: EntryRow, events: Iterable[EventRow], tz: ZoneInfo, *,
                target_min: float | None = None, suspended: Sequence[Interval] = ()) -> Facts:
    """Walk one entry's events (oldest first) into its Facts.

    ``target_min`` is the service's target wait to use when the events carry none
    (``data["target_wait_min"]`` on the issued/transferred event wins: the target as of then).
    """
    facts = Facts(entry.office_id, entry.service_id, entry.day, target_min=target_min)
    waiting_since: datetime | None = None
    called_at: datetime | None = None
    started_at: datetime | None = None
    wait = 0.0
    was_called = False
    for ev in events:
        kind = ev.kind
        if kind == "issued" or (kind == "transferred" and "from_ticket" in ev.data):
            waiting_since = ev.at
            if kind == "issued":
                facts.issued_hour = ev.at.astimezone(tz).hour
            if ev.data.get("target_wait_min") is not None:
                facts.target_min = float(ev.data["target_wait_min"])
        elif kind == "reactivated":
            waiting_since, facts.end = ev.at, None
        elif kind == "called":
            if waiting_since is not None:
                wait += _waited(waiting_since, ev.at, suspended)
                waiting_since = None
            was_called, called_at, started_at = True, ev.at, None
        elif kind == "started":
            started_at = ev.at
        elif kind in ("finished", "no_show", "cancelled", "transferred"):
            facts.end = "served" if kind == "finished" else kind
            facts.end_hour = ev.at.astimezone(tz).hour
            waiting_since = None
            if kind == "finished":
                begun = started_at or called_at or ev.at
                facts.service_s = max((ev.at - begun).total_seconds(), 0.0)
                facts.desk_id, facts.user_id = ev.desk_id, ev.user_id
                facts.outcome = ev.data.get("outcome")
    if was_called:
        facts.wait_s = wait
    return facts


# --- tallies (mergeable) -------------------------------------------------------------------------


COUNT_FIELDS = ("issued", "served", "no_show", "cancelled", "transferred", "wait_n", "wait_s",
                "within_n", "within_ok", "service_n", "service_s")
_AT = {name: i for i, name in enumerate(COUNT_FIELDS)}
ISSUED, SERVED, WAIT_N, WAIT_S, WITHIN_N, WITHIN_OK, SERVICE_N, SERVICE_S = (
    _AT[k] for k in ("issued", "served", "wait_n", "wait_s", "within_n", "within_ok", "service_n", "service_s"))


class Counts:
    """Counts and sums of a group, kept as one list: a year's merge adds tens of thousands of these,
    and a list adds (and loads from JSON) several times faster than named attributes."""

    __slots__ = ("v",)

    def __init__(self, values: list[float] | None = None) -> None:
        self.v: list[float] = values if values is not None else [0] * len(COUNT_FIELDS)

    def __getattr__(self, name: str) -> float:
        try:
            return self.v[_AT[name]]
        except KeyError as exc:
            raise AttributeError(name) from exc

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Counts) and self.v == other.v

    def __repr__(self) -> str:
        return f"Counts({dict(zip(COUNT_FIELDS, self.v, strict=True))})"

    def add(self, other: Counts) -> None:
        self.v = [a + b for a, b in zip(self.v, other.v, strict=True)]

    def add_facts(self, f: Facts) -> None:
        v = self.v
        if f.issued_hour is not None:
            v[ISSUED] += 1
        if f.end is not None:
            v[_AT[f.end]] += 1
        if f.wait_s is not None:
            v[WAIT_N] += 1
            v[WAIT_S] += f.wait_s
            if f.target_min is not None:
                v[WITHIN_N] += 1
                v[WITHIN_OK] += f.wait_s <= f.target_min * 60
        if f.service_s is not None:
            v[SERVICE_N] += 1
            v[SERVICE_S] += f.service_s

    def dump(self) -> list[float]:
        return [round(x, 1) if isinstance(x, float) else x for x in self.v]  # 0.1 s: a third of the JSON

    @classmethod
    def load(cls, values: list[float]) -> Counts:
        return cls(values)


def _bucket(seconds: float) -> int:
    return int(seconds / BUCKET_S + 0.5)


def _count(hist: list[int], bucket: int) -> None:
    if bucket >= len(hist):
        hist.extend([0] * (bucket + 1 - len(hist)))
    hist[bucket] += 1


def _add_lists(a: list[int], b: list[int]) -> list[int]:
    if len(a) < len(b):
        a, b = b, a
    return [x + y for x, y in zip(a, b, strict=False)] + a[len(b):]


@dataclass
class Tally:
    """Sums and histograms over any set of entries; two tallies add up to the tally of both."""

    total: Counts = field(default_factory=Counts)
    by_service: dict[int, Counts] = field(default_factory=dict)
    by_desk: dict[int, Counts] = field(default_factory=dict)
    by_staff: dict[int, Counts] = field(default_factory=dict)
    issued_by_hour: Counter[int] = field(default_factory=Counter)
    served_by_hour: Counter[int] = field(default_factory=Counter)
    by_day: dict[str, Counts] = field(default_factory=dict)
    outcomes: Counter[str] = field(default_factory=Counter)
    # Dense histograms: index = duration in 0.1 min, value = how many (a list merges fastest).
    wait_hist: list[int] = field(default_factory=list)
    service_hist: list[int] = field(default_factory=list)
    wait_max_s: float = 0.0
    service_max_s: float = 0.0

    def add_facts(self, f: Facts) -> None:
        self.total.add_facts(f)
        self.by_service.setdefault(f.service_id, Counts()).add_facts(f)
        self.by_day.setdefault(f.day.isoformat(), Counts()).add_facts(f)
        if f.issued_hour is not None:
            self.issued_by_hour[f.issued_hour] += 1
        if f.wait_s is not None:
            _count(self.wait_hist, _bucket(f.wait_s))
            self.wait_max_s = max(self.wait_max_s, f.wait_s)
        if f.end == "served":
            assert f.service_s is not None and f.end_hour is not None
            self.served_by_hour[f.end_hour] += 1
            _count(self.service_hist, _bucket(f.service_s))
            self.service_max_s = max(self.service_max_s, f.service_s)
            if f.desk_id is not None:
                self.by_desk.setdefault(f.desk_id, Counts()).add_facts(f)
            if f.user_id is not None:
                self.by_staff.setdefault(f.user_id, Counts()).add_facts(f)
            if f.outcome:
                self.outcomes[f.outcome] += 1

    def add(self, other: Tally) -> None:
        self.total.add(other.total)
        for mine, theirs in ((self.by_service, other.by_service), (self.by_desk, other.by_desk),
                             (self.by_staff, other.by_staff), (self.by_day, other.by_day)):
            for key, counts in theirs.items():
                if key in mine:
                    mine[key].add(counts)  # type: ignore[index]
                else:
                    mine[key] = Counts(list(counts.v))  # type: ignore[index]
        self.issued_by_hour.update(other.issued_by_hour)
        self.served_by_hour.update(other.served_by_hour)
        self.outcomes.update(other.outcomes)
        self.wait_hist = _add_lists(self.wait_hist, other.wait_hist)
        self.service_hist = _add_lists(self.service_hist, other.service_hist)
        self.wait_max_s = max(self.wait_max_s, other.wait_max_s)
        self.service_max_s = max(self.service_max_s, other.service_max_s)

    # JSON for the roll-up table: string keys, counts as lists.
    def dump(self) -> dict[str, Any]:
        def groups(d: dict[Any, Counts]) -> dict[str, list[float]]:
            return {str(k): c.dump() for k, c in d.items()}

        def counter(c: Counter[Any]) -> dict[str, int]:
            return {str(k): v for k, v in c.items()}

        return {"v": ROLLUP_VERSION, "total": self.total.dump(), "service": groups(self.by_service),
                "desk": groups(self.by_desk), "staff": groups(self.by_staff), "day": groups(self.by_day),
                "issued_hour": counter(self.issued_by_hour), "served_hour": counter(self.served_by_hour),
                "outcomes": counter(self.outcomes), "wait_hist": self.wait_hist,
                "service_hist": self.service_hist, "wait_max": self.wait_max_s,
                "service_max": self.service_max_s}

    @classmethod
    def load(cls, data: dict[str, Any]) -> Tally:
        def groups(d: dict[str, list[float]], key: Any = int) -> dict[Any, Counts]:
            return {key(k): Counts.load(v) for k, v in d.items()}

        def counter(d: dict[str, int], key: Any = int) -> Counter[Any]:
            return Counter({key(k): v for k, v in d.items()})

        return cls(total=Counts.load(data["total"]), by_service=groups(data["service"]),
                   by_desk=groups(data["desk"]), by_staff=groups(data["staff"]), by_day=groups(data["day"], str),
                   issued_by_hour=counter(data["issued_hour"]), served_by_hour=counter(data["served_hour"]),
                   outcomes=counter(data["outcomes"], str), wait_hist=data["wait_hist"],
                   service_hist=data["service_hist"], wait_max_s=data["wait_max"],
                   service_max_s=data["service_max"])


def is_current(data: dict[str, Any]) -> bool:
    """A stored roll-up made by this version of the arithmetic (older ones are rebuilt)."""
    return isinstance(data, dict) and data.get("v") == ROLLUP_VERSION


def tally_entries(entries: Iterable[EntryRow], events_by_entry: dict[int, list[EventRow]],
                  tz_by_office: dict[int, ZoneInfo], targets: dict[int, float],
                  suspensions: dict[int, Sequence[Interval]] | None = None) -> dict[tuple[int, date], Tally]:
    """One Tally per (office, day) of the entries given."""
    out: dict[tuple[int, date], Tally] = {}
    for entry in entries:
        facts = entry_facts(entry, events_by_entry.get(entry.id, ()), tz_by_office[entry.office_id],
                            target_min=targets.get(entry.service_id),
                            suspended=(suspensions or {}).get(entry.office_id, ()))
        out.setdefault((entry.office_id, entry.day), Tally()).add_facts(facts)
    return out


# --- figures -------------------------------------------------------------------------------------


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value + 0.0, digits)


def _pct(ok: float, n: float) -> float | None:
    return _r(100.0 * ok / n) if n else None


def _mean_min(total_s: float, n: float) -> float | None:
    return _r(total_s / n / 60) if n else None


def _rank_value(hist: list[int], rank: int) -> int:
    """The bucket holding the ``rank``-th smallest value (1-based)."""
    seen = 0
    for bucket, count in enumerate(hist):
        seen += count
        if seen >= rank:
            return bucket
    raise ValueError("rank beyond the histogram")


def distribution(hist: list[int], total_s: float, samples: float, max_s: float) -> dict[str, float | None]:
    """``{mean, median, p90, max}`` in minutes; all None without samples."""
    n = int(samples)
    if n == 0:
        return {"mean": None, "median": None, "p90": None, "max": None}
    lo, hi = _rank_value(hist, (n + 1) // 2), _rank_value(hist, n // 2 + 1)
    median = (lo + hi) / 2 if n % 2 == 0 else lo
    p90 = _rank_value(hist, math.ceil(0.9 * n))
    to_min = BUCKET_S / 60
    return {"mean": _mean_min(total_s, n), "median": _r(median * to_min), "p90": _r(p90 * to_min),
            "max": _r(max_s / 60)}


def totals(c: Counts) -> dict[str, int]:
    return {"issued": int(c.issued), "served": int(c.served), "no_show": int(c.no_show),
            "cancelled": int(c.cancelled), "transferred": int(c.transferred)}


def group_row(c: Counts) -> dict[str, Any]:
    """The per-service/desk/staff/day figures: counts, mean wait and service, share within target."""
    return totals(c) | {"wait_min": _mean_min(c.wait_s, c.wait_n), "service_min": _mean_min(c.service_s, c.service_n),
                        "within_target_pct": _pct(c.within_ok, c.within_n)}


def days_of(day_from: date, day_to: date) -> list[date]:
    return [day_from + timedelta(days=i) for i in range((day_to - day_from).days + 1)]


def figures(tally: Tally, day_from: date, day_to: date, suspended_s: float = 0.0,
            paused_s: dict[int, float] | None = None) -> dict[str, Any]:
    """The report's figures keyed by ids (the caller puts codes and names on the groups).

    ``paused_s``: seconds each desk was paused in the period (``paused_seconds``); a desk that only
    paused, serving nobody, still gets its row.
    """
    t = tally.total
    paused = paused_s or {}
    desks = {**{k: Counts() for k, v in paused.items() if v > 0}, **tally.by_desk}
    hours = sorted(set(tally.issued_by_hour) | set(tally.served_by_hour))
    return {
        "totals": totals(t),
        "wait_min": distribution(tally.wait_hist, t.wait_s, t.wait_n, tally.wait_max_s),
        "service_min": distribution(tally.service_hist, t.service_s, t.service_n, tally.service_max_s),
        "within_target_pct": _pct(t.within_ok, t.within_n),
        "suspended_min": _r(suspended_s / 60),
        "by_service": {k: group_row(c) for k, c in tally.by_service.items()},
        "by_desk": {k: {"served": c.served, "service_min": _mean_min(c.service_s, c.service_n),
                        "paused_min": _r(paused.get(k, 0.0) / 60)} for k, c in desks.items()},
        "by_staff": {k: {"served": c.served, "service_min": _mean_min(c.service_s, c.service_n)}
                     for k, c in tally.by_staff.items()},
        "by_hour": [{"hour": h, "issued": tally.issued_by_hour.get(h, 0), "served": tally.served_by_hour.get(h, 0)}
                    for h in (range(hours[0], hours[-1] + 1) if hours else [])],
        "by_day": [{"date": d.isoformat()} | group_row(tally.by_day.get(d.isoformat(), Counts()))
                   for d in days_of(day_from, day_to)],
        "outcomes": dict(sorted(tally.outcomes.items())),
    }


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping intervals (a suspension log may overlap itself)."""
    out: list[Interval] = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        elif hi > lo:
            out.append((lo, hi))
    return out


def suspended_seconds(intervals: Sequence[Interval], start: datetime, end: datetime) -> float:
    """How long the office was suspended within [start, end)."""
    return overlap_s(start, end, merge_intervals(intervals))


DeskEventRow = tuple[int, str, datetime]  # (desk id, opened | paused | resumed | closed, at)


def paused_seconds(events: Iterable[DeskEventRow], start: datetime, end: datetime,
                   before: dict[int, str] | None = None) -> dict[int, float]:
    """Seconds each desk spent paused within [start, end), from its state changes (oldest first).

    ``before``: each desk's last event kind before ``start`` (a desk paused overnight is paused
    from ``start``). A pause still running at ``end`` counts up to ``end``; a pause ends when the
    desk is resumed, closed or opened again. A second ``paused`` (a new reason) continues the pause.
    """
    since: dict[int, datetime] = {d: start for d, kind in (before or {}).items() if kind == "paused"}
    out: dict[int, float] = {}
    for desk, kind, at in events:
        if kind == "paused":
            since.setdefault(desk, max(at, start))
        elif desk in since:
            began = since.pop(desk)
            out[desk] = out.get(desk, 0.0) + max((min(at, end) - began).total_seconds(), 0.0)
    for desk, began in since.items():
        out[desk] = out.get(desk, 0.0) + max((end - began).total_seconds(), 0.0)
    return out

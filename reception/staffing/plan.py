"""A day's staffing plan from per-service, per-hour expectations: pure (no database).

Each service is planned as its own Erlang C line (its own arrivals, mean visit and target wait), and
the desks needed in an hour are the sum over the services. That is exact where desks are dedicated
to one service and an upper bound where they serve several (pooling lines only shortens waits), so
a plan met by today's desks is met for sure; decision 041 says why no pooled figure is used instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from reception.staffing import erlang


@dataclass(frozen=True)
class ServiceInput:
    """One service's expectation for the day: arrivals per office-local hour, its mean visit and target."""

    code: str
    name_uk: str
    name_en: str
    service_min: float
    target_wait_min: float
    from_history: bool  # the mean visit is the office's own (else the service's configured default)
    arrivals_by_hour: Mapping[int, float] = field(default_factory=dict)


def hour_plan(services: Iterable[ServiceInput], hour: int, target_pct: float) -> dict[str, Any]:
    """The hour's arrivals, desks needed (summed over the services) and the arrivals-weighted mean wait."""
    desks, arrivals, weighted_wait = 0, 0.0, 0.0
    detail = []
    for svc in services:
        rate = float(svc.arrivals_by_hour.get(hour, 0.0))
        p = erlang.plan(rate, svc.service_min, svc.target_wait_min, target_pct)
        desks += p.desks
        arrivals += rate
        weighted_wait += rate * p.expected_wait_min
        detail.append({"service": svc.code, "arrivals_expected": round(rate, 2), "desks_needed": p.desks,
                       "expected_wait_min": round(p.expected_wait_min, 2),
                       "within_target_pct": round(p.within_target_pct, 1)})
    return {"hour": hour, "arrivals_expected": round(arrivals, 2), "desks_needed": desks,
            "expected_wait_min": round(weighted_wait / arrivals, 2) if arrivals else 0.0, "by_service": detail}


def open_hours(intervals: Iterable[tuple[str, str]]) -> set[int]:
    """The office-local hours (0..23) any of the ``HH:MM`` intervals overlaps."""
    hours: set[int] = set()
    for start, end in intervals:
        h0, m0 = map(int, start.split(":"))
        h1, m1 = map(int, end.split(":"))
        last = h1 - 1 if m1 == 0 else h1
        hours.update(range(h0, min(last, 23) + 1))
    return hours


def active_seconds_by_hour(events: Iterable[tuple[int, str, datetime]], day_start: datetime,
                           now: datetime, before: Mapping[int, str] | None = None) -> dict[int, float]:
    """Desk-seconds open and not paused in each office-local hour of one day, from the desk event log.

    ``events``: (desk id, opened | paused | resumed | closed, at) of the day, oldest first, ``at`` in the
    office's zone like ``day_start``; ``before``: each desk's last event kind before the day. Nothing
    counts past ``now``. Hours are the wall-clock hours of ``day_start``'s zone.
    """
    day_end = min(day_start + timedelta(days=1), now)
    active_since: dict[int, datetime] = {d: day_start for d, kind in (before or {}).items()
                                         if kind in ("opened", "resumed")}
    spans: list[tuple[datetime, datetime]] = []
    for desk, kind, at in events:
        if kind in ("opened", "resumed"):
            active_since.setdefault(desk, max(at, day_start))
        elif desk in active_since:
            spans.append((active_since.pop(desk), at))
    spans.extend((since, day_end) for since in active_since.values())
    out: dict[int, float] = {}
    tz = day_start.tzinfo
    for lo, hi in spans:
        hi = min(hi, day_end)
        cursor = lo.astimezone(tz)
        while cursor < hi:
            hour_start = datetime.combine(cursor.date(), time(cursor.hour), tzinfo=tz)
            nxt = min(hour_start + timedelta(hours=1), hi)
            out[cursor.hour] = out.get(cursor.hour, 0.0) + (nxt - cursor).total_seconds()
            cursor = nxt
    return out

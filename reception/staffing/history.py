"""An office's staffing plan for one day, from its own ticket history (reads only).

- Expected arrivals of a service in an office-local hour of the planned weekday: the walk-in tickets
  issued in that hour on the same weekday over the ``weeks`` before the day, divided by the number of
  those weekdays the office issued any ticket at all (a day with none was a closure, not a quiet day).
  Transfer copies (the same visitor again) and booked visitors (``appointment``) are not arrivals;
  leadership services take bookings and are left out.
- Mean visit of a service: started -> finished of its served tickets over the same weeks (every
  weekday); the service's ``default_service_min`` where it has none.
- Desks planned in an hour: the office's desks (not leadership rooms) serving at least one of
  the planned services, in the hours the office is open that weekday (its opening hours; every hour
  of history when it keeps none). Desks carry no schedule of their own in this product, so a desk
  set up for a service is counted as staffed while the office is open.
- Desks open (today and past days): desk-hours each hour was actually staffed, open and not paused,
  from the desk event log (the same log the reports read).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reception.offices.models import Desk, DeskService, Office, Service
from reception.offices.rules import office_day
from reception.queue.models import DeskEvent, Ticket
from reception.staffing.plan import ServiceInput, active_seconds_by_hour, hour_plan, open_hours

DEFAULT_WEEKS = 8
MAX_WEEKS = 52
DEFAULT_TARGET_PCT = 80.0


def walk_in_services(s: Session, office_id: int) -> list[Service]:
    return list(s.scalars(select(Service).where(Service.office_id == office_id, Service.is_active.is_(True),
                                                Service.kind != "leadership")
                          .order_by(Service.sort_order, Service.code)))


def arrivals_by_hour(s: Session, office: Office, day: date, weeks: int) -> tuple[dict[int, dict[int, float]], int]:
    """Per service id, expected arrivals per office-local hour on ``day``'s weekday; and how many days counted."""
    first = day - timedelta(weeks=weeks)
    tz = ZoneInfo(office.timezone)
    weekday = day.isoweekday()
    counts: dict[int, Counter[int]] = defaultdict(Counter)
    days: set[date] = set()
    rows = s.execute(select(Ticket.service_id, Ticket.day, Ticket.issued_at, Ticket.priority)
                     .join(Service, Service.id == Ticket.service_id)
                     .where(Ticket.office_id == office.id, Ticket.day >= first, Ticket.day < day,
                            Ticket.transferred_from_id.is_(None), Service.kind != "leadership"))
    for service_id, ticket_day, issued_at, priority in rows:
        if ticket_day.isoweekday() != weekday:
            continue
        days.add(ticket_day)  # the office worked that day (a booked visitor's ticket says so too)
        if priority != "appointment":  # a booked visitor came, but not as a walk-in
            counts[service_id][issued_at.astimezone(tz).hour] += 1
    n = len(days)
    return ({sid: {h: c / n for h, c in by_hour.items() if c > 0} for sid, by_hour in counts.items()} if n else {},
            n)


def mean_service_min(s: Session, office_id: int, first: date, day: date) -> dict[int, float]:
    """Per service id, the mean started -> finished of its served tickets in [first, day)."""
    totals: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for service_id, started, finished in s.execute(
            select(Ticket.service_id, Ticket.started_at, Ticket.finished_at)
            .where(Ticket.office_id == office_id, Ticket.day >= first, Ticket.day < day, Ticket.status == "done",
                   Ticket.started_at.is_not(None), Ticket.finished_at.is_not(None))):
        seconds = (finished - started).total_seconds() if finished and started else 0.0
        if seconds > 0:
            totals[service_id][0] += seconds
            totals[service_id][1] += 1
    return {sid: total / n / 60 for sid, (total, n) in totals.items() if n}


def service_inputs(s: Session, office: Office, day: date, weeks: int = DEFAULT_WEEKS,
                   target_wait_min: float | None = None) -> tuple[list[ServiceInput], int]:
    """The office's walk-in services with their history for ``day`` (explicit ``target_wait_min`` overrides)."""
    arrivals, days = arrivals_by_hour(s, office, day, weeks)
    means = mean_service_min(s, office.id, day - timedelta(weeks=weeks), day)
    out = [ServiceInput(code=svc.code, name_uk=svc.name_uk, name_en=svc.name_en,
                        service_min=round(means.get(svc.id, float(svc.default_service_min)), 2),
                        target_wait_min=float(target_wait_min if target_wait_min is not None else svc.target_wait_min),
                        from_history=svc.id in means, arrivals_by_hour=arrivals.get(svc.id, {}))
           for svc in walk_in_services(s, office.id)]
    return out, days


def planned_desks(s: Session, office_id: int, service_codes: set[str]) -> int:
    """Desks (not leadership rooms) serving at least one of the services."""
    return int(s.scalar(select(func.count(func.distinct(Desk.id)))
                        .join(DeskService, DeskService.desk_id == Desk.id)
                        .join(Service, Service.id == DeskService.service_id)
                        .where(Desk.office_id == office_id, Desk.kind != "room",
                               Service.code.in_(service_codes))) or 0)


def desks_open_by_hour(s: Session, office: Office, day: date, now: datetime) -> dict[int, float]:
    """Desk-hours open and not paused, per office-local hour of ``day`` (up to ``now``)."""
    tz = ZoneInfo(office.timezone)
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = start + timedelta(days=1)
    last_before = (select(DeskEvent.desk_id, func.max(DeskEvent.id).label("id"))
                   .where(DeskEvent.office_id == office.id, DeskEvent.at < start)
                   .group_by(DeskEvent.desk_id).subquery())
    before = {desk: kind for desk, kind in s.execute(select(DeskEvent.desk_id, DeskEvent.kind)
                                                        .join(last_before, DeskEvent.id == last_before.c.id))}
    events = [(desk, kind, at.astimezone(tz)) for desk, kind, at in s.execute(
        select(DeskEvent.desk_id, DeskEvent.kind, DeskEvent.at)
        .where(DeskEvent.office_id == office.id, DeskEvent.at >= start, DeskEvent.at < end)
        .order_by(DeskEvent.at, DeskEvent.id))]
    return {h: sec / 3600 for h, sec in active_seconds_by_hour(events, start, now.astimezone(tz), before).items()}


def office_staffing(s: Session, office: Office, day: date, now: datetime, *, target_pct: float = DEFAULT_TARGET_PCT,
                    target_wait_min: float | None = None, weeks: int = DEFAULT_WEEKS) -> dict[str, Any]:
    """``GET /offices/{code}/staffing``: per office-local hour, the plan beside the desks the office has."""
    services, days = service_inputs(s, office, day, weeks, target_wait_min)
    desks = planned_desks(s, office.id, {svc.code for svc in services})
    intervals = (office.opening_hours or {}).get(str(day.isoweekday()), [])
    open_ = open_hours((a, b) for a, b in intervals)
    with_arrivals = {h for svc in services for h in svc.arrivals_by_hour}
    hours = sorted(open_ | with_arrivals) if office.opening_hours else sorted(with_arrivals)
    staffed = desks_open_by_hour(s, office, day, now) if day <= office_day(now, office.timezone) else None
    rows = []
    for hour in hours:
        row = hour_plan(services, hour, target_pct)
        planned = desks if (hour in open_ or not office.opening_hours) else 0
        rows.append({"hour": row["hour"], "arrivals_expected": row["arrivals_expected"],
                     "desks_needed": row["desks_needed"], "desks_planned": planned,
                     "expected_wait_min": row["expected_wait_min"],
                     "desks_open": round(staffed.get(hour, 0.0), 2) if staffed is not None else None,
                     "by_service": row["by_service"]})
    return {"office": office.code, "date": day.isoformat(), "weekday": day.isoweekday(), "target_pct": target_pct,
            "history": {"weeks": weeks, "days": days},
            "services": [{"service": svc.code, "name_uk": svc.name_uk, "name_en": svc.name_en,
                          "service_min": svc.service_min, "from_history": svc.from_history,
                          "target_wait_min": svc.target_wait_min} for svc in services],
            "by_hour": rows}

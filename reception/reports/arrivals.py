"""Booked, remote and walk-in visitors side by side: wait, no-show, lateness (decision 044).

A ticket is *booked* when a booking was checked in on time for it (it carries the slot), *remote* when a
remote place was checked in for it (kept or lapsed), otherwise *walk-in* (a booking late beyond the rule
becomes a walk-in ticket, and is counted as a late booking besides). Wait: from entering the queue (a
booked visitor: from their slot, if they came earlier) to the call. Counted per office-local issue day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from reception.booking.models import Booking, RemotePlace
from reception.booking.pause import NEEDS_REBOOKING
from reception.kernel.identity import Actor
from reception.offices.rules import office_day
from reception.platform.clock import Clock
from reception.platform.db import Database
from reception.queue.models import Ticket
from reception.reports.service import check_period, default_period, local_span, offices_in_scope

SOURCES = ("booked", "remote", "walk_in")


@dataclass(frozen=True)
class Visit:
    source: str
    status: str
    wait_s: float | None  # None: never called


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def figures(visits: Iterable[Visit]) -> dict[str, dict[str, Any]]:
    """Per source: tickets, called, no-shows, mean and max wait in minutes (pure)."""
    visits = list(visits)
    out: dict[str, dict[str, Any]] = {}
    for source in SOURCES:
        mine = [v for v in visits if v.source == source]
        waits = [v.wait_s for v in mine if v.wait_s is not None]
        out[source] = {"tickets": len(mine), "called": len(waits),
                       "no_show": sum(1 for v in mine if v.status == "no_show"),
                       "wait_mean_min": round(sum(waits) / len(waits) / 60, 1) if waits else None,
                       "wait_max_min": round(max(waits) / 60, 1) if waits else None}
    return out


def _wait(t: Ticket, source: str) -> float | None:
    if t.called_at is None:
        return None
    start = _aware(t.queued_at)
    if source == "booked" and t.booked_for is not None:
        start = max(start, _aware(t.booked_for))
    return max((_aware(t.called_at) - start).total_seconds(), 0.0)


def arrivals(db: Database, clock: Clock, actor: Actor, office_code: str | None, day_from: date | None,
             day_to: date | None) -> dict[str, Any]:
    """The split for the period (this month so far by default), for the offices the caller may see."""
    offices = offices_in_scope(db, actor, office_code)
    now = clock.now()
    today = office_day(now, offices[0].timezone) if offices else now.date()
    first, last = default_period(today)
    day_from, day_to = day_from or first, day_to or last
    check_period(day_from, day_to)
    visits: list[Visit] = []
    bookings: dict[str, Any] = {"booked": 0, "checked_in": 0, "late_walk_in": 0, "cancelled": 0, "no_show": 0,
                                "to_rebook": 0, "lateness_mean_min": None}
    remote = {"joined": 0, "checked_in": 0, "lapsed": 0, "never_came": 0}
    lateness: list[float] = []
    with db.read() as s:
        for office in offices:
            start, end = local_span(office.timezone, day_from, day_to)
            booked_ids = dict(s.execute(select(Booking.ticket_id, Booking.status).where(
                Booking.office_id == office.id, Booking.ticket_id.is_not(None))).all())
            remote_ids = set(s.scalars(select(RemotePlace.ticket_id).where(
                RemotePlace.office_id == office.id, RemotePlace.ticket_id.is_not(None))))
            for t in s.scalars(select(Ticket).where(Ticket.office_id == office.id, Ticket.day >= day_from,
                                                    Ticket.day <= day_to, Ticket.transferred_from_id.is_(None))):
                source = ("booked" if booked_ids.get(t.id) == "checked_in" else
                          "remote" if t.id in remote_ids else "walk_in")
                visits.append(Visit(source, t.status, _wait(t, source)))
            for b in s.scalars(select(Booking).where(Booking.office_id == office.id, Booking.slot_at >= start,
                                                     Booking.slot_at < end)):
                bookings["booked"] += 1
                slot = _aware(b.slot_at)
                if b.status == "checked_in":
                    bookings["checked_in"] += 1
                elif b.status == "lapsed":
                    bookings["late_walk_in"] += 1
                elif b.status == "cancelled":
                    bookings["cancelled"] += 1
                elif b.status == NEEDS_REBOOKING:  # a suspension took the slot; nobody rebooked it yet
                    bookings["to_rebook"] += 1
                elif b.status in ("booked", "no_show") and slot < now:
                    bookings["no_show"] += 1
                if b.checked_in_at is not None:
                    lateness.append((_aware(b.checked_in_at) - slot).total_seconds())
            for p in s.scalars(select(RemotePlace).where(RemotePlace.office_id == office.id,
                                                         RemotePlace.joined_at >= start, RemotePlace.joined_at < end)):
                remote["joined"] += 1
                if p.status in ("checked_in", "lapsed"):
                    remote[p.status] += 1
                elif p.status == "waiting" and office_day(_aware(p.joined_at), office.timezone) < today:
                    remote["never_came"] += 1
    late = [x for x in lateness if x > 0]
    bookings["lateness_mean_min"] = round(sum(late) / len(late) / 60, 1) if late else None
    return {"office": office_code, "from": day_from.isoformat(), "to": day_to.isoformat(),
            "visitors": figures(visits), "bookings": bookings, "remote": remote}

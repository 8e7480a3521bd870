"""Bookings nobody came for are marked ``no_show`` by a periodic job (decision 044).

A booking still ``booked`` is a no-show once it can no longer be checked in as a booking: past its
slot plus the lateness rule where the office refuses late visitors, and after its office day where
a late visitor still becomes a walk-in (``late_action = "walk_in"``: until the day ends they may
come). The arrivals report counts them; the audit log gets the ids only, never personal data.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select

from reception.audit.writer import audit
from reception.booking import rules as R
from reception.booking.commands import _aware, rules_for
from reception.booking.models import Booking
from reception.kernel.unit_of_work import UnitOfWork
from reception.offices.models import Office, Service
from reception.offices.rules import office_day
from reception.platform.clock import Clock

NO_SHOW = "no_show"


def is_no_show(slot_at: datetime, now: datetime, rules: R.BookingRules, tz: str) -> bool:
    """Pure: may a booking of ``slot_at`` not checked in by ``now`` be counted as a no-show?"""
    if now <= slot_at + timedelta(minutes=rules.late_after_min):
        return False
    return rules.late_action == "refuse" or office_day(now, tz) > office_day(slot_at, tz)


def mark_no_shows(uow: UnitOfWork, clock: Clock) -> int:
    """Mark the due no-shows of every office; how many."""
    s, now = uow.session, clock.now()
    rows = s.scalars(select(Booking).where(Booking.status == "booked", Booking.slot_at < now)
                     .order_by(Booking.office_id, Booking.id)).all()
    marked: dict[int, list[int]] = defaultdict(list)
    cache: dict[tuple[int, int], tuple[R.BookingRules, str]] = {}
    for booking in rows:
        key = (booking.office_id, booking.service_id)
        if key not in cache:
            office, service = s.get(Office, booking.office_id), s.get(Service, booking.service_id)
            if office is None or service is None:
                continue
            cache[key] = (rules_for(s, office, service), office.timezone)
        rules, tz = cache[key]
        if is_no_show(_aware(booking.slot_at), now, rules, tz):
            booking.status = NO_SHOW
            marked[booking.office_id].append(booking.id)
    for office_id, ids in marked.items():
        office = s.get(Office, office_id)
        audit(s, now, None, "booking.no_show", "office", office.code if office else str(office_id), {"bookings": ids})
    return sum(len(ids) for ids in marked.values())

"""Database reads behind the reports; the arithmetic lives in ``figures``, the roll-ups are stored by ``service``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from reception.accounts.models import User
from reception.leadership.models import Appointment, ReceptionRecord, ReceptionSession
from reception.offices import suspension
from reception.offices.models import Desk, Office, Service
from reception.queue.models import OPEN_SQL, DeskEvent, Ticket, TicketEvent
from reception.reports.figures import (
    EntryRow,
    EventRow,
    Interval,
    Tally,
    is_current,
    merge_intervals,
    paused_seconds,
    tally_entries,
)
from reception.reports.models import ReportRollup


def service_targets(s: Session, office_id: int) -> dict[int, float]:
    """Target waits from the services as configured *now*: used only where the issued event
    carries no ``target_wait_min`` of its own (see docs/decisions/015-reports.md)."""
    rows = s.execute(select(Service.id, Service.target_wait_min).where(Service.office_id == office_id))
    return {sid: float(target) for sid, target in rows if target is not None}


def suspension_intervals(s: Session, office_id: int, start: datetime, end: datetime,
                         now: datetime | None = None) -> list[Interval]:
    """When the office was suspended within [start, end), never past ``now`` (an open suspension
    or a resume scheduled later has not happened yet), merged so nothing counts twice."""
    until = min(end, now) if now is not None else end
    if until <= start:
        return []
    return merge_intervals(suspension.suspension_intervals(s, office_id, start, until))


def desk_paused_seconds(s: Session, office_id: int, start: datetime, end: datetime) -> dict[int, float]:
    """Per desk of the office, seconds paused within [start, end), from the desk event log."""
    last_before = (select(DeskEvent.desk_id, func.max(DeskEvent.id).label("id"))
                   .where(DeskEvent.office_id == office_id, DeskEvent.at < start)
                   .group_by(DeskEvent.desk_id).subquery())
    before = {desk: kind for desk, kind in s.execute(select(DeskEvent.desk_id, DeskEvent.kind)
                                                        .join(last_before, DeskEvent.id == last_before.c.id))}
    rows = [(desk, kind, at) for desk, kind, at in s.execute(
        select(DeskEvent.desk_id, DeskEvent.kind, DeskEvent.at)
        .where(DeskEvent.office_id == office_id, DeskEvent.at >= start, DeskEvent.at < end)
        .order_by(DeskEvent.at, DeskEvent.id))]
    return paused_seconds(rows, start, end, before)


def open_days(s: Session, office_ids: list[int], day_from: date, day_to: date) -> dict[int, set[date]]:
    """Per office, the days of the period that still have a ticket in the queue or at a desk (not final).

    The status condition is the literal predicate of the partial index ``ix_tickets_open_office_day``:
    only then may SQLite use that index (a bound parameter could be anything).
    """
    out: dict[int, set[date]] = {oid: set() for oid in office_ids}
    for office_id, day in s.execute(select(Ticket.office_id, Ticket.day).distinct().where(
            Ticket.office_id.in_(office_ids), text(OPEN_SQL), Ticket.day >= day_from, Ticket.day <= day_to)):
        out[office_id].add(day)
    return out


def stored_rollups(s: Session, office_ids: list[int], period: str, day_from: date, day_to: date
                   ) -> dict[int, dict[date, Tally]]:
    """Per office, the stored roll-ups of one kind (day | month) starting within [day_from, day_to]."""
    out: dict[int, dict[date, Tally]] = {oid: {} for oid in office_ids}
    for office_id, start, data in s.execute(select(ReportRollup.office_id, ReportRollup.start, ReportRollup.data)
                                            .where(ReportRollup.office_id.in_(office_ids),
                                                   ReportRollup.period == period, ReportRollup.start >= day_from,
                                                   ReportRollup.start <= day_to)):
        if is_current(data):
            out[office_id][start] = Tally.load(data)
    return out


def raw_tallies(s: Session, office: Office, day_from: date, day_to: date,
                suspended: list[Interval]) -> dict[date, Tally]:
    """Per-day tallies of the office's tickets issued in [day_from, day_to], from the event log."""
    tickets = select(Ticket.id).where(Ticket.office_id == office.id, Ticket.day >= day_from, Ticket.day <= day_to)
    entries = [EntryRow(tid, office.id, sid, day) for tid, sid, day in s.execute(
        select(Ticket.id, Ticket.service_id, Ticket.day).where(
            Ticket.office_id == office.id, Ticket.day >= day_from, Ticket.day <= day_to))]
    events: dict[int, list[EventRow]] = defaultdict(list)
    query = (select(TicketEvent.ticket_id, TicketEvent.kind, TicketEvent.at, TicketEvent.desk_id,
                    TicketEvent.actor_user_id, TicketEvent.data)
             .where(TicketEvent.ticket_id.in_(tickets)).order_by(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.id))
    for tid, kind, at, desk_id, user_id, data in s.execute(query):
        events[tid].append(EventRow(tid, kind, at, desk_id, user_id, data or {}))
    per_key = tally_entries(entries, events, {office.id: ZoneInfo(office.timezone)},
                            service_targets(s, office.id), {office.id: suspended})
    return {day: tally for (_office, day), tally in per_key.items()}


# --- labels and leadership ---------------------------------------------------------------------------


def labels(s: Session, service_ids: Iterable[int], desk_ids: Iterable[int], user_ids: Iterable[int]
           ) -> dict[str, dict[int, dict[str, Any]]]:
    """Today's codes and names of the groups (labels only: figures never depend on them)."""
    offices = {o.id: o.code for o in s.scalars(select(Office))}
    services = {sv.id: {"office": offices[sv.office_id], "service": sv.code, "name_uk": sv.name_uk,
                        "name_en": sv.name_en, "_sort": (offices[sv.office_id], sv.sort_order, sv.code)}
                for sv in s.scalars(select(Service).where(Service.id.in_(list(service_ids))))}
    desks = {d.id: {"office": offices[d.office_id], "desk": d.code, "name_uk": d.name_uk, "name_en": d.name_en,
                    "_sort": (offices[d.office_id], d.code)}
             for d in s.scalars(select(Desk).where(Desk.id.in_(list(desk_ids))))}
    users = {u.id: {"user": u.username, "name": u.full_name or u.username, "_sort": (u.username,)}
             for u in s.scalars(select(User).where(User.id.in_(list(user_ids))))}
    return {"service": services, "desk": desks, "user": users}


def leadership_counts(s: Session, today_by_office: dict[int, date], day_from: date, day_to: date,
                      now: datetime) -> dict[str, int]:
    """Personal reception by leadership in the period, over the offices given (from the booking and
    record tables: appointments keep no event log). ``today_by_office`` decides what is overdue."""
    ids = list(today_by_office)
    rows = s.execute(select(Appointment.status, ReceptionSession.ends_at, Ticket.status, func.count())
                     .join(ReceptionSession, Appointment.session_id == ReceptionSession.id)
                     .outerjoin(Ticket, Appointment.ticket_id == Ticket.id)
                     .where(ReceptionSession.office_id.in_(ids), ReceptionSession.day >= day_from,
                            ReceptionSession.day <= day_to)
                     .group_by(Appointment.status, ReceptionSession.ends_at, Ticket.status))
    out = {"booked": 0, "checked_in": 0, "no_show": 0, "records": 0, "overdue": 0}
    for status, ends_at, ticket_status, n in rows:
        if status == "cancelled":
            continue
        out["booked"] += n
        if status == "checked_in":
            out["checked_in"] += n
        if (status == "booked" and ends_at < now) or ticket_status == "no_show":
            out["no_show"] += n
    deadline = func.coalesce(ReceptionRecord.extended_to, ReceptionRecord.due_date)
    for office_id, due, open_, n in s.execute(
            select(ReceptionRecord.office_id, deadline, ReceptionRecord.removed_from_control.is_(None), func.count())
            .where(ReceptionRecord.office_id.in_(ids), ReceptionRecord.reception_date >= day_from,
                   ReceptionRecord.reception_date <= day_to)
            .group_by(ReceptionRecord.office_id, deadline, ReceptionRecord.removed_from_control.is_(None))):
        out["records"] += n
        if open_ and due < today_by_office[office_id]:
            out["overdue"] += n
    return out

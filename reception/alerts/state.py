"""Reading what the alert rules need: one office's state as an :class:`~reception.alerts.rules.OfficeSnapshot`.

Read in the evaluating transaction, from the tables the slices keep: waiting tickets, desks, devices
(heartbeat, the paper sensor as last read, the print outcomes), suspensions and today's leadership
sessions. Nothing here decides: that is ``rules.py``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reception.accounts.models import Device
from reception.alerts.rules import (
    AppealsState,
    DeviceState,
    LeaderSession,
    OfficeSnapshot,
    ServiceState,
    Thresholds,
)
from reception.leadership.models import Appointment, ReceptionRecord, ReceptionSession
from reception.leadership.records import control_list, deadline_column
from reception.offices.models import Desk, DeskService, Office, Service
from reception.offices.rules import is_open, office_day
from reception.offices.suspension import suspension_in_effect, suspension_intervals
from reception.queue.estimates import callable_now
from reception.queue.models import Ticket, TicketEvent
from reception.queue.states import Status
from reception.reports.figures import merge_intervals, overlap_s


def thresholds(office: Office) -> Thresholds:
    """The office's thresholds: ``settings["alerts"]`` over the defaults."""
    return Thresholds.from_json((office.settings or {}).get("alerts"))


def _services(s: Session, office: Office, now: datetime) -> tuple[ServiceState, ...]:
    suspended = merge_intervals(suspension_intervals(s, office.id, now - timedelta(days=1), now))
    waiting = {sid: (int(n), oldest) for sid, n, oldest in s.execute(
        select(Ticket.service_id, func.count(Ticket.id), func.min(Ticket.queued_at))
        .where(Ticket.office_id == office.id, Ticket.status == Status.WAITING).group_by(Ticket.service_id))}
    statuses: dict[int, list[str]] = {}
    for service_id, status in s.execute(select(DeskService.service_id, Desk.status).join(Desk)
                                        .where(Desk.office_id == office.id)):
        statuses.setdefault(service_id, []).append(status)
    out = []
    for svc in s.scalars(select(Service).where(Service.office_id == office.id, Service.is_active.is_(True))
                         .order_by(Service.sort_order, Service.code)):
        n, oldest = waiting.get(svc.id, (0, None))
        longest = None
        if oldest is not None:  # the oldest entry has the longest net wait (suspended time left out)
            longest = max((now - oldest).total_seconds() - overlap_s(oldest, now, suspended), 0.0)
        out.append(ServiceState(svc.code, n, longest, svc.target_wait_min, callable_now(statuses.get(svc.id, ()))))
    return tuple(out)


def _devices(s: Session, office: Office, now: datetime, limits: Thresholds) -> tuple[DeviceState, ...]:
    devices = s.scalars(select(Device).where(Device.office_id == office.id, Device.is_active.is_(True))
                        .order_by(Device.id)).all()
    since = now - timedelta(minutes=limits.printer_failures_window_min)
    failures = dict(s.execute(
        select(TicketEvent.actor_device_id, func.count(TicketEvent.id))
        .where(TicketEvent.office_id == office.id, TicketEvent.kind == "print_failed", TicketEvent.at >= since,
               TicketEvent.actor_device_id.is_not(None))
        .group_by(TicketEvent.actor_device_id)).all())
    out = []
    for d in devices:
        last_ok = None
        if d.printer_url and failures.get(d.id):
            kind = s.scalar(select(TicketEvent.kind).where(
                TicketEvent.actor_device_id == d.id, TicketEvent.kind.in_(("printed", "print_failed")))
                .order_by(TicketEvent.at.desc(), TicketEvent.id.desc()).limit(1))
            last_ok = None if kind is None else kind == "printed"
        out.append(DeviceState(d.id, d.kind, d.name, d.last_seen_at, has_printer=bool(d.printer_url),
                               paper=d.printer_paper, recent_failures=int(failures.get(d.id, 0)),
                               last_print_ok=last_ok))
    return tuple(out)


def _sessions(s: Session, office: Office, now: datetime) -> tuple[LeaderSession, ...]:
    """Today's sessions under way (started, not ended, held in the room) with visitors checked in."""
    rows = s.execute(
        select(ReceptionSession.id, ReceptionSession.leader_id, Desk.code, Desk.status, ReceptionSession.starts_at,
               func.count(Appointment.id))
        .join(Desk, Desk.id == ReceptionSession.desk_id)
        .join(Appointment, Appointment.session_id == ReceptionSession.id)
        .where(ReceptionSession.office_id == office.id, ReceptionSession.day == office_day(now, office.timezone),
               ReceptionSession.status == "scheduled", ReceptionSession.remote.is_(False),
               ReceptionSession.starts_at <= now, ReceptionSession.ends_at > now,
               Appointment.status == "checked_in")
        .group_by(ReceptionSession.id, ReceptionSession.leader_id, Desk.code, Desk.status, ReceptionSession.starts_at)
    ).all()
    return tuple(LeaderSession(sid, leader, room, starts, int(n), status != "closed")
                 for sid, leader, room, status, starts, n in rows)


def _appeals(s: Session, office: Office, now: datetime, limits: Thresholds) -> AppealsState:
    """The journal's overdue and near-due lists of the office, counted (the same conditions as the lists)."""
    today = office_day(now, office.timezone)
    mine = ReceptionRecord.office_id == office.id
    overdue, earliest = s.execute(select(func.count(ReceptionRecord.id), func.min(deadline_column()))
                                  .where(mine, *control_list(today, overdue=True, near_due_days=None))).one()
    near = s.scalar(select(func.count(ReceptionRecord.id)).where(
        mine, *control_list(today, overdue=False, near_due_days=limits.appeals_near_due_days)))
    if isinstance(earliest, str):  # SQLite answers the min of a date expression as text
        earliest = date.fromisoformat(earliest)
    late = (today - earliest).days if overdue and earliest is not None else 0
    return AppealsState(overdue=int(overdue or 0), most_overdue_days=late, near_due=int(near or 0))


def snapshot(s: Session, office: Office, now: datetime, limits: Thresholds | None = None) -> OfficeSnapshot:
    limits = limits or thresholds(office)
    row = suspension_in_effect(s, office.id, now)
    return OfficeSnapshot(
        now=now, is_open=is_open(office.opening_hours, now, office.timezone),
        suspended_since=row.since if row is not None else None,
        suspended_by=row.source if row is not None else None,
        services=_services(s, office, now), devices=_devices(s, office, now, limits),
        sessions=_sessions(s, office, now), appeals=_appeals(s, office, now, limits))

"""Dated reception sessions: materialised from the rules for a horizon, and read back.

Materialising is idempotent: one session per (rule, rule date), inserted with
``ON CONFLICT DO NOTHING``, so running it again — or from two processes at once — never
duplicates a session nor touches one that already has bookings.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from reception.kernel.phones import display_phone
from reception.kernel.unit_of_work import SqlUnitOfWork, UnitOfWork
from reception.leadership import texts  # noqa: F401  (registers messages)
from reception.leadership.models import (
    ACTIVE_APPOINTMENT,
    Appointment,
    ReceptionException,
    ReceptionRule,
    ReceptionSession,
)
from reception.leadership.rules import (
    Exception_,
    Rule,
    WorkCalendar,
    booking_last_day,
    expand,
    hhmm,
    local_instant,
    parse_hhmm,
    session_capacity,
    slot_starts,
)
from reception.leadership.settings import LeadershipSettings
from reception.offices.models import Office
from reception.offices.rules import office_day
from reception.platform.clock import Clock
from reception.platform.db import Database
from reception.platform.i18n import localized
from reception.queue.reads import iso_local


def work_calendar(office: Office, first: date, last: date) -> WorkCalendar:
    cfg = LeadershipSettings.from_json(office.settings)
    return WorkCalendar.for_years(range(first.year - 1, last.year + 2), observe_holidays=cfg.observe_public_holidays,
                                  eve_shorten_min=cfg.holiday_eve_shorten_min)


def rule_of(row: ReceptionRule) -> Rule:
    return Rule(weekday=row.weekday, nth=row.nth, start=parse_hhmm(row.start), end=parse_hhmm(row.end),
                slot_min=row.slot_min, capacity=row.capacity, valid_from=row.valid_from, valid_to=row.valid_to)


def exceptions_of(session: Session, rule_id: int) -> list[Exception_]:
    rows = session.scalars(select(ReceptionException).where(ReceptionException.rule_id == rule_id)).all()
    return [
        Exception_(e.rule_date, e.action, e.new_date, parse_hhmm(e.new_start) if e.new_start else None,
                   parse_hhmm(e.new_end) if e.new_end else None)
        for e in rows
    ]


def _insert(session: Session) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def materialise_rule(session: Session, office: Office, row: ReceptionRule, today: date, until: date, *,
                     advance: bool = True) -> int:
    """Create the missing sessions of one rule for rule dates in [today, until]; returns how many.

    ``advance`` records that the horizon is covered up to ``until`` (False for a one-off date).
    """
    if not row.is_active:
        return 0
    cal = work_calendar(office, today, until)
    created = 0
    for occ in expand(rule_of(row), today, until, cal, exceptions_of(session, row.id)):
        values = session_values(office, row, occ.day, occ.start, occ.end) | {
            "origin_date": occ.origin, "note": occ.note}
        stmt = _insert(session)(ReceptionSession).values(**values).on_conflict_do_nothing(
            index_elements=["rule_id", "origin_date"]).returning(ReceptionSession.id)
        created += len(session.execute(stmt).all())  # rowcount is not reliable here on psycopg
    if advance:
        row.materialised_until = max(until, row.materialised_until or until)
    return created


def session_values(office: Office, row: ReceptionRule, day: date, start: Any, end: Any) -> dict[str, Any]:
    return {
        "office_id": office.id,
        "leader_id": row.leader_id,
        "rule_id": row.id,
        "desk_id": row.desk_id,
        "day": day,
        "starts_at": local_instant(day, start, office.timezone),
        "ends_at": local_instant(day, end, office.timezone),
        "start": hhmm(start),
        "end": hhmm(end),
        "slot_min": row.slot_min,
        "capacity": session_capacity(start, end, row.slot_min, row.capacity),
        "booked": 0,
        "status": "scheduled",
        "remote": row.remote,
        "video_url": row.video_url,
    }


def horizon_end(office: Office, today: date) -> date:
    return today + timedelta(days=LeadershipSettings.from_json(office.settings).reception_horizon_days)


def materialise_office(uow: UnitOfWork, clock: Clock, office_id: int) -> int:
    """Top up every active rule of the office to the horizon (idempotent)."""
    s = uow.session
    office = s.get(Office, office_id)
    assert office is not None
    today = office_day(clock.now(), office.timezone)
    until = horizon_end(office, today)
    created = 0
    for row in _office_rules(s, office_id):
        created += materialise_rule(s, office, row, today, until)
    return created


def _office_rules(s: Session, office_id: int) -> list[ReceptionRule]:
    from reception.leadership.models import Leader

    return list(s.scalars(select(ReceptionRule).join(Leader).where(
        Leader.office_id == office_id, ReceptionRule.is_active.is_(True))))


def ensure_horizon(db: Database, clock: Clock, office_id: int) -> None:
    """Readers call this: a cheap read, and a write at most once a day per office.

    The one leadership write no caller frames: a read (the sessions list, the public page)
    triggers it, so it runs :func:`materialise_office` in a unit of work of its own.  It
    collects no events, so there is nothing for a bus to do after the commit.
    """
    with db.read() as s:
        office = s.get(Office, office_id)
        if office is None:
            return
        until = horizon_end(office, office_day(clock.now(), office.timezone))
        stale = any((r.materialised_until or date.min) < until for r in _office_rules(s, office_id))
    if stale:
        with SqlUnitOfWork(db) as uow:
            materialise_office(uow, clock, office_id)
            uow.commit()


# --- read side ---------------------------------------------------------------------------------


def slot_instants(rs: ReceptionSession, tz: str) -> list[datetime]:
    return slot_starts(rs.day, parse_hhmm(rs.start), parse_hhmm(rs.end), rs.slot_min, tz)


def taken_slots(session: Session, session_id: int) -> set[int]:
    return set(session.scalars(select(Appointment.slot_index).where(
        Appointment.session_id == session_id, Appointment.status.in_(ACTIVE_APPOINTMENT))))


def free_slots(session: Session, rs: ReceptionSession, tz: str) -> list[tuple[int, datetime, bool]]:
    """(index, start, free) of each slot of a session: the one read of what is free (the call-centre's
    session view and the public booking both use it)."""
    taken = taken_slots(session, rs.id)
    full = rs.booked >= rs.capacity
    return [(i, at, not full and i not in taken and rs.status == "scheduled")
            for i, at in enumerate(slot_instants(rs, tz))]


def booking_window(office: Office, rs: ReceptionSession) -> date:
    cfg = LeadershipSettings.from_json(office.settings)
    cal = work_calendar(office, rs.day - timedelta(days=30), rs.day)
    return booking_last_day(rs.day, cfg.booking_cutoff_working_days, cal)


def booking_open(office: Office, rs: ReceptionSession, now: datetime) -> bool:
    today = office_day(now, office.timezone)
    return rs.status == "scheduled" and today <= booking_window(office, rs) and now < rs.starts_at


def session_view(session: Session, rs: ReceptionSession, office: Office, now: datetime, *,
                 public: bool = False) -> dict[str, Any]:
    """A session as the API shows it: ``{id, leader, date, start, end, desk, capacity, booked, slots: [{at, free}]}``.

    ``public`` drops what the public schedule must not show (bookings, the video link).
    """
    tz = office.timezone
    leader, desk = rs.leader, rs.desk
    view: dict[str, Any] = {
        "id": rs.id,
        "leader": leader.id,
        "leader_name_uk": leader.name_uk,
        "leader_name_en": leader.name_en,
        "position_uk": leader.position_uk,
        "position_en": leader.position_en,
        "office": office.code,
        "date": rs.day.isoformat(),
        "weekday": rs.day.isoweekday(),
        "start": rs.start,
        "end": rs.end,
        "starts_at": iso_local(rs.starts_at, tz),
        "ends_at": iso_local(rs.ends_at, tz),
        "desk": desk.code,
        "desk_name_uk": desk.name_uk,
        "desk_name_en": desk.name_en,
        "status": rs.status,
        "note": rs.note,
        "remote": rs.remote,
        "rule": rs.rule_id,
    }
    if public:
        return view
    view |= {
        "capacity": rs.capacity,
        "booked": rs.booked,
        "free": max(rs.capacity - rs.booked, 0),
        "video_url": rs.video_url,
        "booking_open": booking_open(office, rs, now),
        "booking_last_day": booking_window(office, rs).isoformat(),
        "slots": [
            {"index": i, "at": iso_local(at, tz), "time": local_hhmm(at, tz), "free": free}
            for i, at, free in free_slots(session, rs, tz)
        ],
    }
    return view


def local_hhmm(moment: datetime, tz: str) -> str:
    from reception.offices.rules import to_local

    return to_local(moment, tz).strftime("%H:%M")


def list_sessions(db: Database, clock: Clock, office_id: int, start: date, end: date, *,
                  public: bool = False, leader_id: int | None = None,
                  include_cancelled: bool = True) -> list[dict[str, Any]]:
    ensure_horizon(db, clock, office_id)
    now = clock.now()
    with db.read() as s:
        office = s.get(Office, office_id)
        assert office is not None
        query = (select(ReceptionSession)
                 .where(ReceptionSession.office_id == office_id, ReceptionSession.day >= start,
                        ReceptionSession.day <= end)
                 .order_by(ReceptionSession.starts_at, ReceptionSession.id))
        if leader_id is not None:
            query = query.where(ReceptionSession.leader_id == leader_id)
        if not include_cancelled:
            query = query.where(ReceptionSession.status == "scheduled")
        return [session_view(s, rs, office, now, public=public) for rs in s.scalars(query).unique()]


def public_schedule(db: Database, clock: Clock, office_id: int, lang: str, days: int = 28) -> dict[str, Any]:
    """The public page's data: upcoming held sessions, localised, no personal data of visitors."""
    with db.read() as s:
        office = s.get(Office, office_id)
        assert office is not None
        today = office_day(clock.now(), office.timezone)
        office_name = localized(office, "name", lang)
        phone = LeadershipSettings.from_json(office.settings).contact_phone
    sessions = list_sessions(db, clock, office_id, today, today + timedelta(days=days), public=True,
                             include_cancelled=False)
    return {"office": office_name, "today": today.isoformat(), "sessions": sessions,
            "contact_phone": phone, "contact_phone_text": display_phone(phone)}

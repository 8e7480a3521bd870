"""Managing the schedule: leaders, their rules, exceptions to one date, remote sessions.

Every command works in the unit of work its caller frames (``Services.run``) and never
commits; a refusal changes nothing.  Adding a rule or an exception materialises (or updates)
the affected sessions in the same transaction.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.accounts.models import User
from reception.audit.writer import audit
from reception.kernel.errors import BadValue, Conflict, NotFound, ValidationFailed
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import texts  # noqa: F401
from reception.leadership.links import clean_video_url
from reception.leadership.models import (
    ACTIVE_APPOINTMENT,
    LEADER_TEXT_MAX,
    Appointment,
    Leader,
    ReceptionException,
    ReceptionRule,
    ReceptionSession,
)
from reception.leadership.rules import (
    CANCEL,
    MOVE,
    Rule,
    first_shared_date,
    hhmm,
    holds_on,
    hours_overlap,
    local_instant,
    parse_hhmm,
    rule_dates,
    session_capacity,
    slot_starts,
)
from reception.leadership.sessions import horizon_end, materialise_rule, rule_of
from reception.leadership.texts import rule_problem
from reception.offices.lookups import office_by_code
from reception.offices.models import Desk, Office
from reception.offices.rules import office_day
from reception.platform.clock import Clock
from reception.platform.db import Database


def leader_view(leader: Leader, username: str | None = None) -> dict[str, Any]:
    return {"id": leader.id, "office": leader.office.code, "name_uk": leader.name_uk, "name_en": leader.name_en,
            "position_uk": leader.position_uk, "position_en": leader.position_en,
            "user": username, "is_active": leader.is_active}


def rule_view(row: ReceptionRule) -> dict[str, Any]:
    return {"id": row.id, "leader": row.leader_id, "desk": row.desk.code, "weekday": row.weekday, "nth": row.nth,
            "start": row.start, "end": row.end, "slot_min": row.slot_min, "capacity": row.capacity,
            "valid_from": row.valid_from.isoformat(), "valid_to": row.valid_to.isoformat() if row.valid_to else None,
            "remote": row.remote, "video_url": row.video_url, "is_active": row.is_active}


def _leader(s: Session, actor: Actor, leader_id: int) -> Leader:
    leader = s.get(Leader, leader_id)
    if leader is None or not actor.can_access_office(leader.office_id):
        raise NotFound("error.unknown_leader")
    return leader


def _user_id(s: Session, username: str | None) -> int | None:
    if not username:
        return None
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise ValidationFailed("error.unknown_user", user=username)
    return user.id


def create_leader(uow: UnitOfWork, clock: Clock, actor: Actor, *, office: str, name_uk: str, name_en: str,
                  position_uk: str, position_en: str, user: str | None = None) -> dict[str, Any]:
    authorize(actor, Action.SCHEDULE_MANAGE)
    for field, value in (("name_uk", name_uk), ("name_en", name_en), ("position_uk", position_uk),
                         ("position_en", position_en)):
        if len(value) > LEADER_TEXT_MAX:  # refused, never cut: a name is not ours to shorten
            raise ValidationFailed("error.field_too_long", field=field, limit=LEADER_TEXT_MAX, length=len(value))
    s = uow.session
    row = office_by_code(s, office)
    actor.require_office(row.id)
    leader = Leader(office_id=row.id, name_uk=name_uk, name_en=name_en, position_uk=position_uk,
                    position_en=position_en, user_id=_user_id(s, user))
    leader.office = row
    s.add(leader)
    s.flush()
    audit(s, clock.now(), actor.user_id, "leader.create", "leader", leader.id, {"name": name_uk})
    return leader_view(leader, user)


def list_leaders(db: Database, actor: Actor, office: str | None = None) -> list[dict[str, Any]]:
    with db.read() as s:
        query = select(Leader, User.username).join(User, Leader.user_id == User.id, isouter=True).order_by(Leader.id)
        if office:
            query = query.where(Leader.office_id == office_by_code(s, office).id)
        return [leader_view(leader, username) for leader, username in s.execute(query)
                if actor.can_access_office(leader.office_id)]


def leaders_of_user(db: Database, user_id: int) -> list[int]:
    with db.read() as s:
        return list(s.scalars(select(Leader.id).where(Leader.user_id == user_id, Leader.is_active.is_(True))))


def _rule_problem(problem: str) -> ValidationFailed:
    """A rule check's complaint as a refusal people can read (the English text stays in ``detail``)."""
    return ValidationFailed("error.bad_rule", problem=rule_problem(problem), detail=problem)


def _check_rule(**fields: Any) -> Rule:
    try:
        return Rule(weekday=fields["weekday"], nth=fields.get("nth"), start=parse_hhmm(fields["start"]),
                    end=parse_hhmm(fields["end"]), slot_min=fields["slot_min"], capacity=fields.get("capacity"),
                    valid_from=fields["valid_from"], valid_to=fields.get("valid_to"))
    except ValueError as exc:
        raise _rule_problem(str(exc)) from exc


def _video_url(url: str | None) -> str | None:
    """The API and the back-office forms both end here: one check (``links.clean_video_url``)."""
    try:
        return clean_video_url(url)
    except BadValue as exc:
        raise ValidationFailed.because(exc.text("video_url")) from exc


def add_rule(uow: UnitOfWork, clock: Clock, actor: Actor, leader_id: int, *, desk: str, weekday: int, start: str,
             end: str, slot_min: int, valid_from: date, nth: int | None = None, capacity: int | None = None,
             valid_to: date | None = None, remote: bool = False, video_url: str | None = None) -> dict[str, Any]:
    """Store a rule and materialise its sessions up to the office's horizon."""
    authorize(actor, Action.SCHEDULE_MANAGE)
    rule = _check_rule(weekday=weekday, nth=nth, start=start, end=end, slot_min=slot_min, capacity=capacity,
                       valid_from=valid_from, valid_to=valid_to)
    video_url = _video_url(video_url)
    s = uow.session
    leader = _leader(s, actor, leader_id)
    desk_row = s.scalar(select(Desk).where(Desk.office_id == leader.office_id, Desk.code == desk))
    if desk_row is None:
        raise NotFound("error.unknown_desk", desk=desk)
    now = clock.now()
    _refuse_taken_room(s, desk_row, rule, office_day(now, leader.office.timezone))
    row = ReceptionRule(leader_id=leader.id, desk_id=desk_row.id, weekday=weekday, nth=nth, start=start, end=end,
                        slot_min=slot_min, capacity=capacity, valid_from=valid_from, valid_to=valid_to,
                        remote=remote, video_url=video_url, created_at=now)
    row.desk = desk_row
    s.add(row)
    s.flush()
    office = leader.office
    today = office_day(now, office.timezone)
    created = materialise_rule(s, office, row, today, horizon_end(office, today))
    audit(s, clock.now(), actor.user_id, "rule.create", "reception_rule", row.id, {"leader": leader.id})
    return rule_view(row) | {"sessions_created": created}


def list_rules(db: Database, actor: Actor, leader_id: int) -> list[dict[str, Any]]:
    with db.read() as s:
        _leader(s, actor, leader_id)
        rows = s.scalars(select(ReceptionRule).where(ReceptionRule.leader_id == leader_id).order_by(ReceptionRule.id))
        return [rule_view(r) for r in rows]


def get_rule(db: Database, actor: Actor, rule_id: int) -> dict[str, Any]:
    """One rule with its leader's and room's names (what a confirmation names)."""
    authorize(actor, Action.SCHEDULE_MANAGE)
    with db.read() as s:
        row = _rule(s, actor, rule_id)
        return rule_view(row) | {"leader_name_uk": row.leader.name_uk, "leader_name_en": row.leader.name_en,
                                 "desk_name_uk": row.desk.name_uk, "desk_name_en": row.desk.name_en}


def end_rule(uow: UnitOfWork, clock: Clock, actor: Actor, rule_id: int) -> dict[str, Any]:
    """Stop a rule: no new sessions; sessions already published (and their bookings) stay."""
    authorize(actor, Action.SCHEDULE_MANAGE)
    s = uow.session
    row = _rule(s, actor, rule_id)
    row.is_active = False
    audit(s, clock.now(), actor.user_id, "rule.end", "reception_rule", row.id)
    return rule_view(row)


def _rule(s: Session, actor: Actor, rule_id: int) -> ReceptionRule:
    row = s.get(ReceptionRule, rule_id)
    if row is None:
        raise NotFound("error.unknown_rule")
    _leader(s, actor, row.leader_id)
    return row


def add_exception(uow: UnitOfWork, clock: Clock, actor: Actor, rule_id: int, *, rule_date: date, action: str,
                  new_date: date | None = None, new_start: str | None = None, new_end: str | None = None,
                  reason: str = "") -> dict[str, Any]:
    """Cancel or move one date of a rule.

    Cancelling cancels its bookings (they are returned, with phones, for the call-centre to
    ring).  Moving keeps every booking in its slot position at the new date/time, and is
    refused if the new time holds fewer slots than there are bookings.
    """
    authorize(actor, Action.SCHEDULE_MANAGE)
    if action not in (CANCEL, MOVE):
        raise ValidationFailed("error.field_choice", field="action")
    try:
        start_t = parse_hhmm(new_start) if new_start else None
        end_t = parse_hhmm(new_end) if new_end else None
    except ValueError as exc:
        raise _rule_problem(str(exc)) from exc
    if action == MOVE and new_date is None and start_t is None and end_t is None:
        raise _rule_problem("a move needs a new date or time")
    s = uow.session
    row = _rule(s, actor, rule_id)
    rule = rule_of(row)
    if rule_date not in rule_dates(rule, rule_date, rule_date):
        raise ValidationFailed("error.not_rule_date", date=rule_date)
    if s.scalar(select(ReceptionException).where(ReceptionException.rule_id == row.id,
                                                 ReceptionException.rule_date == rule_date)):
        raise Conflict("error.exception_exists", date=rule_date)
    start_t, end_t = start_t or rule.start, end_t or rule.end
    if action == MOVE:
        try:
            Rule(weekday=1, start=start_t, end=end_t, slot_min=rule.slot_min, valid_from=rule.valid_from)
        except ValueError as exc:
            raise _rule_problem(str(exc)) from exc
        _refuse_taken_room_on(s, row, rule_date, new_date or rule_date, start_t, end_t)
    now = clock.now()
    exc_row = ReceptionException(rule_id=row.id, rule_date=rule_date, action=action, new_date=new_date,
                                 new_start=new_start, new_end=new_end, reason=reason.strip(), created_at=now,
                                 created_by=actor.user_id)
    s.add(exc_row)
    rs = s.scalar(select(ReceptionSession).where(ReceptionSession.rule_id == row.id,
                                                 ReceptionSession.origin_date == rule_date))
    affected: list[dict[str, Any]] = []
    if rs is not None and action == CANCEL:
        affected = _cancel_session(s, rs, now, reason)
    elif rs is not None:
        affected = _move_session(s, rs, new_date or rs.day, start_t, end_t, row.capacity)
    elif action == MOVE:
        s.flush()  # not materialised yet (beyond the horizon): create just this one, moved
        materialise_rule(s, row.leader.office, row, rule_date, rule_date, advance=False)
    s.flush()
    audit(s, clock.now(), actor.user_id, f"rule.exception.{action}", "reception_rule", row.id,
          {"date": rule_date.isoformat(), "new_date": new_date.isoformat() if new_date else None,
           "affected": [a["id"] for a in affected]})
    return {"id": exc_row.id, "rule": row.id, "date": rule_date.isoformat(), "action": action,
            "new_date": new_date.isoformat() if new_date else None, "new_start": new_start, "new_end": new_end,
            "reason": exc_row.reason, "affected_appointments": affected}


# --- one room, one reception at a time -------------------------------------------------------------


def _lock_room(s: Session, desk: Desk) -> None:
    """Serialise schedule changes of one room: the second of two concurrent ones waits here, then reads
    what the first committed (READ COMMITTED: each statement sees the latest commits). SQLite's
    ``BEGIN IMMEDIATE`` already lets one writer in at a time."""
    if s.get_bind().dialect.name != "sqlite":
        s.execute(select(Desk.id).where(Desk.id == desk.id).with_for_update())


def _room_taken(desk: Desk, leader: Leader, day: date, start: str, end: str) -> Conflict:
    return Conflict("error.room_taken", desk=desk.name_uk, desk_en=desk.name_en, leader=leader.name_uk,
                    leader_en=leader.name_en, leader_id=leader.id, date=day, day=day.strftime("%d.%m.%Y"),
                    start=start, end=end)


def _room_rules(s: Session, desk: Desk, but: int | None = None) -> list[ReceptionRule]:
    query = select(ReceptionRule).where(ReceptionRule.desk_id == desk.id, ReceptionRule.is_active.is_(True))
    if but is not None:
        query = query.where(ReceptionRule.id != but)
    return list(s.scalars(query.order_by(ReceptionRule.id)))


def _not_as_ruled(s: Session, rule_id: int) -> set[date]:
    """The rule's dates an exception cancelled or moved (a moved one is checked as its session)."""
    return set(s.scalars(select(ReceptionException.rule_date).where(ReceptionException.rule_id == rule_id)))


def _room_sessions(s: Session, desk: Desk, first: date, last: date | None = None) -> list[ReceptionSession]:
    query = select(ReceptionSession).where(ReceptionSession.desk_id == desk.id, ReceptionSession.day >= first,
                                           ReceptionSession.status == "scheduled")
    if last is not None:
        query = query.where(ReceptionSession.day <= last)
    return list(s.scalars(query.order_by(ReceptionSession.day, ReceptionSession.starts_at)).unique())


def _refuse_taken_room(s: Session, desk: Desk, rule: Rule, today: date) -> None:
    """A new rule may not share a minute of the room with any reception from today on: another rule's
    (as far ahead as both hold) or a published session's (moved ones, those of an ended rule)."""
    _lock_room(s, desk)
    clashes: list[tuple[date, str, Leader, str, str]] = []  # the earliest is the one to name
    for other in _room_rules(s, desk):
        day = first_shared_date(rule, rule_of(other), today, skip=_not_as_ruled(s, other.id))
        if day is not None:
            clashes.append((day, other.start, other.leader, other.start, other.end))
    for rs in _room_sessions(s, desk, max(today, rule.valid_from), rule.valid_to):
        if holds_on(rule, rs.day) and hours_overlap(rule.start, rule.end, parse_hhmm(rs.start), parse_hhmm(rs.end)):
            clashes.append((rs.day, rs.start, rs.leader, rs.start, rs.end))
            break  # by date: the first is the earliest of them
    if clashes:
        day, _, leader, start, end = min(clashes, key=lambda c: (c[0], c[1]))
        raise _room_taken(desk, leader, day, start, end)


def _refuse_taken_room_on(s: Session, row: ReceptionRule, rule_date: date, day: date, start: time, end: time) -> None:
    """A date moved to ``day`` ``start``–``end`` may not share a minute of its room with another reception then."""
    desk = row.desk
    _lock_room(s, desk)
    for other in _room_rules(s, desk, but=row.id):
        theirs = rule_of(other)
        if holds_on(theirs, day) and day not in _not_as_ruled(s, other.id) \
                and hours_overlap(start, end, theirs.start, theirs.end):
            raise _room_taken(desk, other.leader, day, other.start, other.end)
    for rs in _room_sessions(s, desk, day, day):
        moving = rs.rule_id == row.id and rs.origin_date == rule_date
        if not moving and hours_overlap(start, end, parse_hhmm(rs.start), parse_hhmm(rs.end)):
            raise _room_taken(desk, rs.leader, rs.day, rs.start, rs.end)


def _active(s: Session, rs: ReceptionSession) -> list[Appointment]:
    return list(s.scalars(select(Appointment).where(Appointment.session_id == rs.id,
                                                    Appointment.status.in_(ACTIVE_APPOINTMENT))
                          .order_by(Appointment.slot_index)))


def _brief(a: Appointment) -> dict[str, Any]:
    return {"id": a.id, "booking_code": a.booking_code, "surname": a.surname, "name": a.name, "phone": a.phone,
            "slot_index": a.slot_index}


def _cancel_session(s: Session, rs: ReceptionSession, now: Any, reason: str) -> list[dict[str, Any]]:
    rs.status = "cancelled"
    affected = []
    for a in _active(s, rs):
        a.status, a.cancelled_at, a.cancel_reason = "cancelled", now, "session_cancelled"
        affected.append(_brief(a))
    rs.booked = 0
    return affected


def _move_session(s: Session, rs: ReceptionSession, day: date, start: time, end: time,
                  rule_capacity: int | None) -> list[dict[str, Any]]:
    tz = rs.office.timezone
    bookings = _active(s, rs)
    slots = slot_starts(day, start, end, rs.slot_min, tz)
    capacity = session_capacity(start, end, rs.slot_min, rule_capacity)
    if bookings and (len(bookings) > capacity or max(a.slot_index for a in bookings) >= len(slots)):
        raise Conflict("error.session_has_bookings", booked=len(bookings))
    rs.day, rs.start, rs.end, rs.capacity, rs.note = day, hhmm(start), hhmm(end), capacity, "moved"
    rs.starts_at, rs.ends_at = local_instant(day, start, tz), local_instant(day, end, tz)
    for a in bookings:
        a.slot_at = slots[a.slot_index]
    return [_brief(a) for a in bookings]


def set_remote(uow: UnitOfWork, clock: Clock, actor: Actor, session_id: int, *, remote: bool,
               video_url: str | None) -> dict[str, Any]:
    """Hold a session by video link (the link goes into booked visitors' confirmation)."""
    authorize(actor, Action.SCHEDULE_MANAGE)
    video_url = _video_url(video_url)
    if remote and video_url is None:
        raise ValidationFailed("error.video_url_required")
    s = uow.session
    rs = s.get(ReceptionSession, session_id)
    if rs is None or not actor.can_access_office(rs.office_id):
        raise NotFound("error.unknown_session")
    rs.remote, rs.video_url = remote, video_url if remote else None
    audit(s, clock.now(), actor.user_id, "session.remote", "reception_session", rs.id, {"remote": remote})
    from reception.leadership.sessions import session_view

    office = s.get(Office, rs.office_id)
    assert office is not None
    return session_view(s, rs, office, clock.now())

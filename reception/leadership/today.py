"""Read models for the back-office pages: the leader's day, and the office's leadership settings."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from reception.audit.writer import audit
from reception.kernel.errors import NotFound, ValidationFailed
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership.booking import sessions_with_visitors
from reception.leadership.indexes import validate_pattern
from reception.leadership.models import Leader, ReceptionSession
from reception.leadership.settings import LeadershipSettings
from reception.offices.lookups import office_by_code
from reception.offices.models import Desk, Office, Outcome, PriorityCategory, Service
from reception.offices.rules import office_day
from reception.platform.clock import Clock
from reception.platform.db import Database
from reception.queue.models import Ticket
from reception.queue.reads import iso_local
from reception.queue.states import Status


def leader_day(db: Database, clock: Clock, actor: Actor, leader_id: int, day: date | None = None) -> dict[str, Any]:
    """Today's sessions of a leader, each with visitors in slot order, the room's desk state and its call."""
    now = clock.now()
    with db.read() as s:
        leader = s.get(Leader, leader_id)
        if leader is None or not actor.can_access_office(leader.office_id):
            raise NotFound("error.unknown_leader")
        office = leader.office
        day = day or office_day(now, office.timezone)
        out = sessions_with_visitors(s, actor, ReceptionSession.leader_id == leader.id, day, office, now,
                                     extra=lambda rs: {"desk_state": _desk_state(s, rs.desk, office, actor)})
        return {"leader": {"id": leader.id, "name_uk": leader.name_uk, "name_en": leader.name_en,
                           "position_uk": leader.position_uk, "position_en": leader.position_en},
                "office": office.code, "date": day.isoformat(), "sessions": out,
                "outcomes": _outcomes(s), "categories": categories(s)}


def _desk_state(s: Any, desk: Desk, office: Office, actor: Actor) -> dict[str, Any]:
    current = s.scalar(select(Ticket).where(Ticket.desk_id == desk.id,
                                            Ticket.status.in_([Status.CALLED, Status.SERVING])))
    served = [ds.service_id for ds in desk.services]
    walk_ins = s.scalars(select(Ticket).where(Ticket.service_id.in_(served), Ticket.status == Status.WAITING,
                                              Ticket.priority.is_distinct_from("appointment"))).all()
    return {
        "code": desk.code,
        "status": desk.status,
        "mine": desk.user_id == actor.user_id and desk.status != "closed",
        "taken": desk.user_id not in (None, actor.user_id) and desk.status != "closed",
        "current": None if current is None else {
            "id": current.id, "code": current.code, "status": current.status,
            "appointment_id": current.appointment_id, "called_at": iso_local(current.called_at, office.timezone)},
        "walk_ins_waiting": len(walk_ins),
    }


def _outcomes(s: Any) -> list[dict[str, Any]]:
    return [{"code": o.code, "name_uk": o.name_uk, "name_en": o.name_en, "opens_record": o.opens_record}
            for o in s.scalars(select(Outcome).where(Outcome.service_kind == "leadership",
                                                     Outcome.is_active.is_(True)).order_by(Outcome.sort_order))]


def categories(s: Any) -> list[dict[str, Any]]:
    return [{"code": c.code, "name_uk": c.name_uk, "name_en": c.name_en}
            for c in s.scalars(select(PriorityCategory).where(PriorityCategory.is_active.is_(True))
                               .order_by(PriorityCategory.sort_order))]


def priority_categories(db: Database) -> list[dict[str, Any]]:
    with db.read() as s:
        return categories(s)


def office_choices(db: Database, actor: Actor) -> list[dict[str, Any]]:
    with db.read() as s:
        return [{"code": o.code, "name_uk": o.name_uk, "name_en": o.name_en, "id": o.id, "timezone": o.timezone}
                for o in s.scalars(select(Office).where(Office.is_active.is_(True)).order_by(Office.code))
                if actor.can_access_office(o.id)]


def office_desks(db: Database, office_code: str) -> list[dict[str, Any]]:
    """Rooms first: the desks a leader may receive at (those serving a leadership service)."""
    with db.read() as s:
        office = office_by_code(s, office_code)
        leadership = set(s.scalars(select(Service.id).where(Service.office_id == office.id,
                                                            Service.kind == "leadership")))
        desks = s.scalars(select(Desk).where(Desk.office_id == office.id).order_by(Desk.code)).all()
        return sorted(({"code": d.code, "name_uk": d.name_uk, "name_en": d.name_en,
                        "leadership": any(ds.service_id in leadership for ds in d.services)} for d in desks),
                      key=lambda d: (not d["leadership"], d["code"]))


def office_settings(db: Database, office_code: str) -> LeadershipSettings:
    with db.read() as s:
        return LeadershipSettings.from_json(office_by_code(s, office_code).settings)


SETTING_LIMITS = {"holiday_eve_shorten_min": (0, 240), "booking_cutoff_working_days": (0, 30),
                  "reception_horizon_days": (7, 366), "checkin_early_min": (5, 240), "checkin_late_min": (0, 240)}


def update_settings(uow: UnitOfWork, clock: Clock, actor: Actor, office_code: str, values: dict[str, Any]) -> None:
    """Change the office's leadership-reception settings (manager); validated as a whole, audited."""
    authorize(actor, Action.SCHEDULE_MANAGE)
    clean: dict[str, Any] = {"observe_public_holidays": bool(values.get("observe_public_holidays"))}
    for key, (lo, hi) in SETTING_LIMITS.items():
        try:
            number = int(values.get(key, getattr(LeadershipSettings(), key)))
        except (TypeError, ValueError) as exc:
            raise ValidationFailed("error.field_number", field=key) from exc
        if not lo <= number <= hi:
            raise ValidationFailed("error.field_range", field=key, low=lo, high=hi)
        clean[key] = number
    clean["record_index_pattern"] = validate_pattern(str(values.get("record_index_pattern") or "").strip())
    s = uow.session
    office = office_by_code(s, office_code)
    actor.require_office(office.id)
    office.settings = dict(office.settings or {}) | clean
    audit(s, clock.now(), actor.user_id, "office.leadership_settings", "office", office.code, clean)

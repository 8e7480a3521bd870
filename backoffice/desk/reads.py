"""Read model of the desk console: which desks a user may pick, and one desk's live state.

One short read transaction each.  Scope is checked through ``lookups.desk_for_actor``: a desk
of another office is reported as missing, exactly as the JSON API does.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from reception.accounts.models import User
from reception.alerts.evaluate import alerts_view
from reception.devices.status import printer_faults
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, permits
from reception.offices.lookups import desk_for_actor
from reception.offices.models import Desk, Office, PriorityCategory, Service
from reception.offices.rules import OfficeSettings, office_day, to_local
from reception.offices.suspension import suspension_view
from reception.platform import i18n
from reception.platform.db import Database
from reception.platform.i18n import localized
from reception.queue.desk_day import served_today
from reception.queue.models import Ticket
from reception.queue.reads import desk_view, iso_local, ticket_view
from reception.queue.states import Status, recalls_missing_for_no_show

MAX_WAITING_LISTED = 100  # the call-specific picker; a longer queue is called in order anyway
RECENT_NO_SHOWS = 5


def desk_choices(db: Database, actor: Actor, lang: str) -> list[dict[str, Any]]:
    """The actor's offices with their desks, for the "choose your desk" page."""
    with db.read() as s:
        offices = s.scalars(select(Office).where(Office.id.in_(actor.office_ids), Office.is_active.is_(True))
                            .order_by(Office.code)).all()
        holders = {u.id: (u.full_name or u.username) for u in s.scalars(
            select(User).join(Desk, Desk.user_id == User.id))}
        result = []
        for office in offices:
            desks = []
            for desk in office.desks:
                taken = desk.status != "closed" and desk.user_id not in (None, actor.user_id)
                desks.append({
                    "code": desk.code,
                    "name": localized(desk, "name", lang),
                    "kind": desk.kind,
                    "status": desk.status,
                    "mine": desk.status != "closed" and desk.user_id == actor.user_id,
                    "taken_by": holders.get(desk.user_id or 0) if taken else None,
                    "services": [localized(ds.service, "name", lang) for ds in desk.services],
                })
            result.append({"code": office.code, "name": localized(office, "name", lang), "desks": desks})
        return result


def my_open_desk(choices: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The desk the user already holds (a user holds one desk at a time)."""
    for office in choices:
        for desk in office["desks"]:
            if desk["mine"]:
                return {"office": office["code"], **desk}
    return None


def _allows_call_specific(desk: Desk, settings: OfficeSettings) -> bool:
    return bool(desk.allow_call_specific or settings.allow_call_specific)


def desk_exists(db: Database, office_code: str, desk_code: str) -> bool:
    with db.read() as s:
        return s.scalar(select(Desk.id).join(Office, Desk.office_id == Office.id)
                        .where(Office.code == office_code, Desk.code == desk_code)) is not None


def console_config(db: Database, actor: Actor, office_code: str, desk_code: str, lang: str) -> dict[str, Any]:
    """What the console page needs once: the desk, what it serves, where it may transfer to."""
    with db.read() as s:
        desk = desk_for_actor(s, actor, desk_code, office_code)
        office = desk.office
        settings = OfficeSettings.from_json(office.settings)
        services = s.scalars(select(Service).where(Service.office_id == office.id, Service.is_active.is_(True))
                             .order_by(Service.sort_order, Service.code)).all()
        served = {ds.service_id for ds in desk.services}
        return {
            "office": {"code": office.code, "name": localized(office, "name", lang), "timezone": office.timezone},
            "desk": desk_view(desk) | {"name": localized(desk, "name", lang)},
            "open_by_me": desk.status != "closed" and desk.user_id == actor.user_id,
            "services": [{"code": sv.code, "name": localized(sv, "name", lang), "kind": sv.kind,
                          "served": sv.id in served} for sv in services],
            "desks": [{"code": d.code, "name": localized(d, "name", lang)} for d in office.desks if d.id != desk.id],
            "settings": {
                "recalls_before_no_show": settings.recalls_before_no_show,
                "reactivation_window_min": settings.reactivation_window_min,
                "allow_call_specific": _allows_call_specific(desk, settings),
            },
        }


def printer_warnings(db: Database, actor: Actor, office_code: str, desk_code: str, now: datetime,
                     lang: str) -> list[str]:
    """One sentence per kiosk of the desk's office whose last ticket did not print."""
    with db.read() as s:
        office = desk_for_actor(s, actor, desk_code, office_code).office
        faults = printer_faults(s, office)
        today = office_day(now, office.timezone)
    out = []
    for fault in faults:
        at = to_local(fault["at"], office.timezone)
        when = at.strftime("%H:%M") if at.date() == today else at.strftime("%d.%m.%Y %H:%M")
        out.append(i18n.t("desk.printer_fault", lang, device=fault["device"], ticket=fault["ticket"], at=when))
    return out


def _current(s: Session, desk: Desk, lang: str) -> dict[str, Any] | None:
    ticket = s.scalar(select(Ticket).where(Ticket.desk_id == desk.id,
                                           Ticket.status.in_([Status.CALLED, Status.SERVING])))
    if ticket is None:
        return None
    view = ticket_view(s, ticket)
    view["service_kind"] = ticket.service.kind
    view["service_name"] = localized(ticket.service, "name", lang)
    view["note"] = ticket.note
    # The console only reflects the core's rule; it does not re-derive it.
    view["recalls_missing"] = recalls_missing_for_no_show(ticket.recall_count,
                                                          OfficeSettings.from_json(ticket.office.settings))
    if ticket.priority and ticket.priority != "appointment":
        category = s.scalar(select(PriorityCategory).where(PriorityCategory.code == ticket.priority))
        view["priority_name"] = localized(category, "name", lang) if category else ticket.priority
    return view


def _recent_no_shows(s: Session, desk: Desk, now: datetime, window_min: int) -> list[dict[str, Any]]:
    """No-shows of this desk still inside the reactivation window (the console's "undo")."""
    since = now - timedelta(minutes=window_min)
    rows = s.scalars(select(Ticket).where(Ticket.desk_id == desk.id, Ticket.status == Status.NO_SHOW,
                                          Ticket.finished_at >= since)
                     .order_by(Ticket.finished_at.desc()).limit(RECENT_NO_SHOWS)).all()
    tz = desk.office.timezone
    return [{"id": t.id, "code": t.code, "service": t.service.code,
             "until": iso_local(t.finished_at + timedelta(minutes=window_min), tz) if t.finished_at else None}
            for t in rows]


def _waiting_for(s: Session, desk: Desk, actor: Actor) -> list[dict[str, Any]]:
    """Waiting tickets this desk could call, oldest first (for calling one out of order)."""
    service_ids = [ds.service_id for ds in desk.services]
    rows = s.scalars(select(Ticket).where(
        Ticket.office_id == desk.office_id, Ticket.status == Status.WAITING,
        or_(Ticket.service_id.in_(service_ids), Ticket.target_desk_id == desk.id,
            Ticket.target_user_id == actor.user_id),
    ).order_by(Ticket.queued_at, Ticket.id).limit(MAX_WAITING_LISTED)).all()
    tz = desk.office.timezone
    return [{"id": t.id, "code": t.code, "service": t.service.code, "priority": t.priority,
             "queued_at": iso_local(t.queued_at, tz)} for t in rows]


def desk_state(db: Database, actor: Actor, office_code: str, desk_code: str, now: datetime,
               lang: str) -> dict[str, Any]:
    """The desk's live state: status, the visitor at it, recent no-shows, today's figures, (if allowed) who waits."""
    with db.read() as s:
        desk = desk_for_actor(s, actor, desk_code, office_code)
        office = desk.office
        settings = OfficeSettings.from_json(office.settings)
        return {
            "now": iso_local(now, office.timezone),
            "version": office.version,
            "desk": desk_view(desk),
            "mine": desk.status != "closed" and desk.user_id == actor.user_id,
            "current": _current(s, desk, lang),
            "no_shows": _recent_no_shows(s, desk, now, settings.reactivation_window_min),
            "waiting": _waiting_for(s, desk, actor) if _allows_call_specific(desk, settings) else None,
            "today": served_today(s, desk, now),
            "suspended": _suspended(s, office, now, lang),
            "alerts": _alerts(s, office, actor, lang),
        }


def _alerts(s: Session, office: Office, actor: Actor, lang: str) -> list[dict[str, Any]] | None:
    """A manager's console shows the office's open alerts (decision 040); None for everyone else."""
    if not permits(actor, Action.HALL_READ):
        return None
    return [{"kind": a["kind"], "severity": a["severity"], "since": a["since"], "title": a[f"title_{lang}"],
             "text": a[f"text_{lang}"]} for a in alerts_view(s, office, words=True)]


def _suspended(s: Session, office: Office, now: datetime, lang: str) -> dict[str, Any] | None:
    """The office's suspension (air-raid alert…) in the staff's words: Next is refused meanwhile."""
    view = suspension_view(s, office, now)
    if view is None:
        return None
    return {"reason": view["reason"], "title": view[f"title_{lang}"], "resume": view[f"resume_{lang}"],
            "message": i18n.t(f"suspension.staff.{view['reason']}", lang)}

"""What the kiosk offers right now: the office's menu with availability and expected waits.

A service's expected wait is the product's estimate for the ticket the kiosk would issue now
(``queue.estimates_read.walk_in_snapshot``): the figure on the menu is the one the ticket then shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from reception.offices.models import Office, PriorityCategory, Service, ServiceCategory
from reception.offices.rules import OfficeSettings, is_open, office_day, walk_in_refusal
from reception.offices.suspension import suspension_view
from reception.platform.clock import Clock
from reception.platform.db import Database
from reception.platform.i18n import localized, t
from reception.queue.estimates import served_now
from reception.queue.estimates_read import told, walk_in_snapshot
from reception.queue.models import TicketCounter
from reception.queue.reads import desk_statuses, waiting_counts


def kiosk_menu(db: Database, clock: Clock, office_id: int, lang: str) -> dict[str, Any]:
    now = clock.now()
    with db.read() as s:
        office = s.get(Office, office_id)
        assert office is not None
        office_open = is_open(office.opening_hours, now, office.timezone)
        suspended = suspension_view(s, office, now)
        waiting = waiting_counts(s, office.id)
        day = office_day(now, office.timezone)
        issued = {row.service_id: row.last_number for row in s.scalars(
            select(TicketCounter).where(TicketCounter.day == day))}
        statuses = desk_statuses(s, office.id)
        refuse_unserved = OfficeSettings.from_json(office.settings).refuse_unserved
        services = []
        for svc in s.scalars(select(Service).where(Service.office_id == office.id, Service.is_active.is_(True))
                             .order_by(Service.sort_order, Service.id)):
            services.append(_service_entry(s, svc, lang, office.opening_hours, now, office.timezone, day,
                                           waiting.get(svc.code, 0), issued.get(svc.id, 0),
                                           suspended["reason"] if suspended else None,
                                           statuses.get(svc.id, []), refuse_unserved))
        categories = [
            {"code": c.code, "name": localized(c, "name", lang), "parent": c.parent_id, "id": c.id}
            for c in s.scalars(select(ServiceCategory).where(ServiceCategory.office_id == office.id)
                               .order_by(ServiceCategory.sort_order, ServiceCategory.id))
        ]
        priority = [
            {"code": p.code, "name": localized(p, "name", lang)}
            for p in s.scalars(select(PriorityCategory).where(PriorityCategory.is_active.is_(True))
                               .order_by(PriorityCategory.sort_order, PriorityCategory.id))
        ]
        return {
            "office": {"code": office.code, "name": localized(office, "name", lang),
                       "name_uk": office.name_uk, "name_en": office.name_en, "timezone": office.timezone},
            "lang": lang,
            "open": office_open,
            "closed_message": None if office_open else t("error.office_closed", lang),
            # null, or the suspension in force with the words to show (``message``) in ``lang``.
            "suspended": _kiosk_notice(suspended, lang),
            "services": services,
            "categories": categories,
            "priority_categories": priority,
            "version": office.version,
        }


def _kiosk_notice(suspended: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    if suspended is None:
        return None
    return {"reason": suspended["reason"], "since": suspended["since"], "resume_at": suspended.get("resume_at"),
            "title": suspended[f"title_{lang}"], "message": suspended[f"kiosk_{lang}"],
            "body": suspended[f"kiosk_body_{lang}"],
            "resume_message": suspended[f"resume_{lang}"]}


def _service_entry(s: Any, svc: Service, lang: str, office_hours: dict[str, Any], now: Any, tz: str, day: date,
                   waiting: int, issued: int, suspended: str | None, desk_statuses: list[str],
                   refuse_unserved: bool) -> dict[str, Any]:
    served = served_now(desk_statuses)
    refusal = walk_in_refusal(office_hours, svc.code, svc.active_hours, kind=svc.kind, walk_ins=svc.walk_ins,
                              now_utc=now, tz=tz, daily_limit=svc.daily_limit, issued_today=issued,
                              suspended=suspended, refuse_unserved=refuse_unserved, served=served)
    reason = refusal.key.removeprefix("error.") if refusal is not None else None
    return {
        "code": svc.code,
        "prefix": svc.prefix,
        "name": localized(svc, "name", lang),
        "description": localized(svc, "description", lang),
        "kind": svc.kind,
        "category": svc.category_id,
        "available": reason is None,
        "unavailable_reason": reason,
        "unavailable_message": t(refusal.message_key, lang, **refusal.params) if refusal else None,
        "waiting": waiting,
        # False: nobody serves it now (decision 034); the kiosk says so, and no wait is promised.
        "served_now": served,
        "eta_min": told(walk_in_snapshot(s, svc, day, now)).eta_min if served else None,
    }

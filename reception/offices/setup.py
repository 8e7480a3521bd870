"""Configuration commands: offices, services, desks (used by the API, the CLI and the demo)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from reception.kernel.errors import Conflict, ValidationFailed
from reception.kernel.identity import Actor
from reception.offices.lookups import bump_version, office_by_code, service_by_code
from reception.offices.models import Desk, DeskService, Office, Service, ServiceCategory
from reception.offices.rules import validate_hours
from reception.platform.db import Database


def office_view(o: Office) -> dict[str, Any]:
    return {"code": o.code, "name_uk": o.name_uk, "name_en": o.name_en, "timezone": o.timezone,
            "opening_hours": o.opening_hours or {}}


def service_view(s: Service) -> dict[str, Any]:
    return {"code": s.code, "prefix": s.prefix, "name_uk": s.name_uk, "name_en": s.name_en, "kind": s.kind,
            "target_wait_min": s.target_wait_min, "description_uk": s.description_uk,
            "description_en": s.description_en, "default_service_min": s.default_service_min,
            "daily_limit": s.daily_limit, "is_active": s.is_active}


def desk_config_view(d: Desk) -> dict[str, Any]:
    return {"code": d.code, "name_uk": d.name_uk, "name_en": d.name_en, "zone": d.zone, "kind": d.kind,
            "status": d.status, "services": [ds.service.code for ds in d.services],
            "weights": {ds.service.code: ds.weight for ds in d.services}}


def _check_tz(tz: str) -> None:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationFailed(detail=f"timezone: unknown zone {tz!r}") from exc


def list_offices(db: Database, actor: Actor) -> list[dict[str, Any]]:
    with db.read() as s:
        return [office_view(o) for o in s.scalars(select(Office).order_by(Office.code)) if actor.can_access_office(o.id)]


def create_office(db: Database, *, code: str, name_uk: str, name_en: str, timezone: str = "Europe/Kyiv",
                  opening_hours: dict[str, Any] | None = None, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    _check_tz(timezone)
    try:
        hours = validate_hours(opening_hours or {})
    except (ValueError, TypeError) as exc:
        raise ValidationFailed(detail=f"opening_hours: {exc}") from exc
    try:
        with db.write() as s:
            if s.scalar(select(Office).where(Office.code == code)):
                raise Conflict("error.duplicate", value=code)
            office = Office(code=code, name_uk=name_uk, name_en=name_en, timezone=timezone,
                            opening_hours=hours, settings=settings or {})
            s.add(office)
            s.flush()
            return office_view(office)
    except IntegrityError as exc:  # a concurrent create with the same code
        raise Conflict("error.duplicate", value=code) from exc


def list_services(db: Database, actor: Actor, office_code: str) -> list[dict[str, Any]]:
    with db.read() as s:
        office = office_by_code(s, office_code)
        actor.require_office(office.id)
        return [service_view(x) for x in office.services]


def create_service(db: Database, actor: Actor, office_code: str, **fields: Any) -> dict[str, Any]:
    category_code = fields.pop("category", None)
    try:
        with db.write() as s:
            office = office_by_code(s, office_code)
            actor.require_office(office.id)
            for attr in ("code", "prefix"):
                if s.scalar(select(Service).where(Service.office_id == office.id, getattr(Service, attr) == fields[attr])):
                    raise Conflict("error.duplicate", value=fields[attr])
            category_id = None
            if category_code:
                category = s.scalar(select(ServiceCategory).where(
                    ServiceCategory.office_id == office.id, ServiceCategory.code == category_code))
                if category is None:
                    raise ValidationFailed(detail=f"category: unknown {category_code!r}")
                category_id = category.id
            service = Service(office_id=office.id, category_id=category_id,
                              sort_order=len(office.services), **fields)
            s.add(service)
            s.flush()
            bump_version(s, office.id)
            return service_view(service)
    except IntegrityError as exc:
        raise Conflict("error.duplicate", value=fields.get("code")) from exc


def list_desks(db: Database, actor: Actor, office_code: str) -> list[dict[str, Any]]:
    with db.read() as s:
        office = office_by_code(s, office_code)
        actor.require_office(office.id)
        return [desk_config_view(d) for d in office.desks]


def create_desk(db: Database, actor: Actor, office_code: str, *, services: list[str],
                weights: dict[str, float] | None = None, **fields: Any) -> dict[str, Any]:
    weights = weights or {}
    if any(w <= 0 for w in weights.values()) or set(weights) - set(services):
        raise ValidationFailed(detail="weights: positive numbers for listed services only")
    try:
        with db.write() as s:
            office = office_by_code(s, office_code)
            actor.require_office(office.id)
            if s.scalar(select(Desk).where(Desk.office_id == office.id, Desk.code == fields["code"])):
                raise Conflict("error.duplicate", value=fields["code"])
            desk = Desk(office_id=office.id, **fields)
            for code in dict.fromkeys(services):
                service = service_by_code(s, office.id, code)
                desk.services.append(DeskService(service=service, weight=weights.get(code, 1.0)))
            s.add(desk)
            s.flush()
            bump_version(s, office.id)
            return desk_config_view(desk)
    except IntegrityError as exc:
        raise Conflict("error.duplicate", value=fields.get("code")) from exc

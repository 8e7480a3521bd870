"""Offices, services and desks as the API lists them, and creating them where no server runs.

The rules of creating live once, in ``reception.offices.administration`` (validated, audited, the
office's clients hinted). ``create_office``, ``create_service`` and ``create_desk`` here run those
commands in a unit of work of their own for the demo, the simulator and the tests: no bus listens
there, so the hints they collect fall silent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from reception.audit.writer import audit
from reception.kernel.identity import Actor
from reception.kernel.messagebus import MessageBus
from reception.kernel.service_layer import Services
from reception.offices import administration
from reception.offices.lookups import office_by_code
from reception.offices.models import Desk, Office, Service
from reception.platform.clock import Clock, SystemClock
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


def list_offices(db: Database, actor: Actor) -> list[dict[str, Any]]:
    with db.read() as s:
        return [office_view(o) for o in s.scalars(select(Office).order_by(Office.code)) if actor.can_access_office(o.id)]


def list_services(db: Database, actor: Actor, office_code: str) -> list[dict[str, Any]]:
    with db.read() as s:
        office = office_by_code(s, office_code)
        actor.require_office(office.id)
        return [service_view(x) for x in office.services]


def list_desks(db: Database, actor: Actor, office_code: str) -> list[dict[str, Any]]:
    with db.read() as s:
        office = office_by_code(s, office_code)
        actor.require_office(office.id)
        return [desk_config_view(d) for d in office.desks]


def one_office(db: Database, code: str) -> dict[str, Any]:
    with db.read() as s:
        return office_view(office_by_code(s, code))


def one_service(db: Database, office_code: str, code: str) -> dict[str, Any]:
    with db.read() as s:
        office = office_by_code(s, office_code)
        return next(service_view(x) for x in office.services if x.code == code)


def one_desk(db: Database, office_code: str, code: str) -> dict[str, Any]:
    with db.read() as s:
        office = office_by_code(s, office_code)
        return next(desk_config_view(d) for d in office.desks if d.code == code)


CONSOLE = Actor(username="console", roles=frozenset({"admin"}))


def _run(db: Database, clock: Clock | None, command: Callable[..., str], actor: Actor, *args: Any,
         **fields: Any) -> str:
    return Services(db, clock or SystemClock(), MessageBus(), audit).value(command, actor, *args, **fields)


def create_office(db: Database, *, clock: Clock | None = None, **fields: Any) -> str:
    """:func:`administration.create_office` as an administrator (the console's actor); the office's code."""
    return _run(db, clock, administration.create_office, CONSOLE, **fields)


def create_service(db: Database, actor: Actor, office_code: str, *, clock: Clock | None = None,
                   **fields: Any) -> str:
    """:func:`administration.create_service` by ``actor``; the service's code."""
    return _run(db, clock, administration.create_service, actor, office_code, **fields)


def create_desk(db: Database, actor: Actor, office_code: str, *, clock: Clock | None = None, **fields: Any) -> str:
    """:func:`administration.create_desk` by ``actor``; the desk's code."""
    return _run(db, clock, administration.create_desk, actor, office_code, **fields)

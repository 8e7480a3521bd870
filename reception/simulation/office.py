"""The simulated office in the database: services, desks with weights, one operator per desk,
and (optionally) a leader's reception session with visitors booked by the call-centre."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from reception.accounts.models import User
from reception.bootstrap import bootstrap
from reception.kernel.identity import Actor
from reception.leadership.settings import LeadershipSettings
from reception.leadership.today import update_settings
from reception.offices.lookups import office_by_code
from reception.offices.models import Office
from reception.offices.setup import create_desk, create_office, create_service
from reception.platform.db import Database
from reception.simulation.clock import SimClock
from reception.simulation.scenarios import LEADERSHIP_SERVICE, Scenario, ServiceSpec

OFFICE = "SIM"
TZ = "Europe/Kyiv"
ROOM = "412"
ROOT = Actor(roles=frozenset({"admin"}))
NO_PASSWORD = "!"  # matches no argon2 hash: these accounts cannot sign in


@dataclass
class SimOffice:
    code: str
    office_id: int
    operators: dict[str, Actor] = field(default_factory=dict)  # desk code -> the operator at it
    kiosk: Actor = ROOT
    booker: Actor = ROOT
    session_id: int | None = None  # the day's leadership reception


def local_instant(scenario: Scenario, hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime.combine(scenario.day, time(hours, minutes), ZoneInfo(TZ))


def _service(db: Database, spec: ServiceSpec) -> None:
    create_service(db, ROOT, OFFICE, code=spec.code, prefix=spec.prefix, name_uk=spec.name_uk, name_en=spec.name_en,
                   kind=spec.kind, default_service_min=spec.default_min)


def _operator(db: Database, username: str, role: str, office_id: int) -> Actor:
    """A staff account that never signs in: no password (an argon2 hash costs ~0.1-1 s each)."""
    with db.write() as s:
        user = User(username=username, password_hash=NO_PASSWORD, roles=[role], full_name=username)
        user.offices = [office_by_code(s, OFFICE)]
        s.add(user)
        s.flush()
        user_id = user.id
    return Actor(user_id=user_id, username=username, roles=frozenset({role}), office_ids=frozenset({office_id}))


def build_office(db: Database, clock: SimClock, scenario: Scenario) -> SimOffice:
    with db.read() as s:
        if s.scalar(select(Office.id).where(Office.code == OFFICE)) is not None:
            raise RuntimeError(f"office {OFFICE} exists already: simulate into an empty database")
    weekdays = {str(d): [[scenario.opens, scenario.closes]] for d in range(1, 8)}  # a file may pick a Sunday
    create_office(db, clock=clock, code=OFFICE, name_uk="Змодельована установа", name_en="Simulated office",
                  timezone=TZ, opening_hours=weekdays, settings={"recalls_before_no_show": 0})
    # The settings form is saved whole: the pattern the office would have had anyway.
    bootstrap(db, clock).services.value(update_settings, ROOT, OFFICE, {
        "booking_cutoff_working_days": 0, "record_index_pattern": LeadershipSettings().record_index_pattern})
    with db.read() as s:
        office_id = office_by_code(s, OFFICE).id
    for spec in scenario.services:
        _service(db, spec)
    sim = SimOffice(OFFICE, office_id)
    scope = frozenset({office_id})
    sim.kiosk = Actor(roles=frozenset(), office_ids=scope, device_kind="kiosk")
    sim.booker = Actor(roles=frozenset({"call_centre"}), office_ids=scope)
    for desk in scenario.desks:
        create_desk(db, ROOT, OFFICE, code=desk.code, name_uk=f"Вікно {desk.code}", name_en=f"Window {desk.code}",
                    services=list(desk.services), weights=dict(desk.weights))
        sim.operators[desk.code] = _operator(db, f"operator{desk.code}", "operator", office_id)
    if scenario.leadership is not None:
        sim.session_id = _leadership(db, clock, scenario, sim)
    return sim


def _leadership(db: Database, clock: SimClock, scenario: Scenario, sim: SimOffice) -> int:
    from reception.leadership import schedule
    from reception.leadership.models import ReceptionSession

    spec = scenario.leadership
    assert spec is not None
    _service(db, LEADERSHIP_SERVICE)
    create_desk(db, ROOT, OFFICE, code=ROOM, name_uk=f"Кабінет {ROOM}", name_en=f"Room {ROOM}", kind="room",
                zone="floor4", services=[LEADERSHIP_SERVICE.code])
    sim.operators[ROOM] = _operator(db, "leader", "leader", sim.office_id)
    run = bootstrap(db, clock).services
    leader = run.value(schedule.create_leader, ROOT, office=OFFICE, name_uk="Андрій Бондаренко",
                       name_en="Andrii Bondarenko", position_uk="Заступник Міністра",
                       position_en="Deputy Minister", user="leader")
    run.value(schedule.add_rule, ROOT, int(leader["id"]), desk=ROOM, weekday=scenario.day.isoweekday(),
              start=spec.start, end=spec.end, slot_min=spec.slot_min, valid_from=scenario.day,
              valid_to=scenario.day)
    with db.read() as s:
        session_id = s.scalar(select(ReceptionSession.id).where(ReceptionSession.day == scenario.day))
    assert session_id is not None
    return int(session_id)

"""Shared set-up for leadership reception tests: a leadership service, a reception room, a leader."""

from __future__ import annotations

from datetime import date
from typing import Any

from reception.kernel.identity import Actor
from reception.leadership import schedule
from reception.offices.setup import create_desk, create_service
from reception.platform.db import Database
from tests.fakes import ROOT, add_user, services

LEADER = dict(name_uk="Андрій Бондаренко", name_en="Andrii Bondarenko", position_uk="Заступник Міністра",
              position_en="Deputy Minister")
MANAGER = Actor(user_id=None, roles=frozenset({"admin"}))


def add_leadership(db: Database, office: str = "T1") -> None:
    """The leadership service (prefix П) and reception room 412 serving it."""
    create_service(db, ROOT, office, code="leadership", prefix="П", name_uk="Особистий прийом громадян керівництвом",
                   name_en="Personal reception by leadership", kind="leadership")
    create_desk(db, ROOT, office, code="412", name_uk="Кабінет 412", name_en="Room 412", kind="room",
                services=["leadership"])


def add_leader(db: Database, clock: Any, office: str = "T1", user: str | None = None) -> int:
    if user:
        add_user(db, clock, user, ["leader"], [office])
    return int(services(db, clock).value(schedule.create_leader, MANAGER, office=office, user=user, **LEADER)["id"])


def add_rule(db: Database, clock: Any, leader_id: int, **kw: Any) -> dict[str, Any]:
    fields: dict[str, Any] = dict(desk="412", weekday=2, start="10:00", end="12:00", slot_min=15,
                                  valid_from=date(2026, 1, 1))
    return services(db, clock).value(schedule.add_rule, MANAGER, leader_id, **(fields | kw))


def set_settings(db: Database, office: str = "T1", **settings: Any) -> None:
    from sqlalchemy import select

    from reception.offices.models import Office

    with db.write() as s:
        row = s.scalar(select(Office).where(Office.code == office))
        assert row is not None
        row.settings = dict(row.settings or {}) | settings


def todays_reception(api: Any, db: Database, clock: Any) -> tuple[str, dict[str, Any]]:
    """Today (Tue 24 Nov, 10:00 Kyiv) a leader receives 11:00-13:00 in room 412 in 30-minute slots,
    booked up to the day itself: the call-centre's token and the day's reception session."""
    add_leadership(db)
    set_settings(db, booking_cutoff_working_days=0)
    leader = add_leader(db, clock, user="boss")
    add_rule(db, clock, leader, weekday=2, start="11:00", end="13:00", slot_min=30, valid_from=date(2026, 11, 1))
    cc = api.user("cc", ["call_centre"])
    return cc, api.call("GET", "/reception-sessions?office=T1", cc).get_json()[0]

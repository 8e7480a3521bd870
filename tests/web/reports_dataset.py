"""A small fixed data set for the report tests, built with the fake clock through the real queue commands.

Offices: T1 in Kyiv (UTC+2 in November), T2 in New York (UTC-5). Hand-computed figures are in the
tests that use it. Every queue command goes through ``Desk.cmd`` so a change of the commands'
signature (the lead's unit of work) is adapted here in one place.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from reception.kernel.identity import Actor
from reception.offices.models import Office
from reception.offices.setup import create_desk, create_office, create_service
from reception.platform.clock import FakeClock
from reception.platform.db import Database
from reception.queue import commands as queue
from tests.fakes import ROOT, add_user, services

KYIV, NEW_YORK = ZoneInfo("Europe/Kyiv"), ZoneInfo("America/New_York")


def cmd(db: Database, clock: FakeClock, fn: Any, *args: Any, **kw: Any) -> queue.CommandResult | Any:
    """The one place that calls a queue command (its own unit of work, as a request would)."""
    return services(db, clock).value(fn, *args, **kw)


class Day:
    """Drives one office: set the local time, issue, and act at desks as the operators."""

    def __init__(self, db: Database, clock: FakeClock, office: str, tz: ZoneInfo) -> None:
        self.db, self.clock, self.office, self.tz = db, clock, office, tz
        self.ops: dict[str, Actor] = {}

    def at(self, y: int, m: int, d: int, hh: int, mm: int) -> Day:
        self.clock.set(datetime(y, m, d, hh, mm, tzinfo=self.tz))
        return self

    def operator(self, username: str, desk: str, office_id: int) -> Actor:
        uid = add_user(self.db, self.clock, username, ["operator"], [self.office])
        actor = Actor(user_id=uid, username=username, roles=frozenset({"operator"}), office_ids=frozenset({office_id}))
        cmd(self.db, self.clock, queue.open_desk, actor, desk, self.office)
        self.ops[desk] = actor
        return actor

    def issue(self, service: str) -> int:
        result = cmd(self.db, self.clock, queue.issue_ticket, office_code=self.office, service_code=service)
        assert result.ticket_id is not None
        return int(result.ticket_id)

    def call(self, desk: str) -> int:
        result = cmd(self.db, self.clock, queue.call_next, self.ops[desk], desk, self.office)
        assert result.ticket_id is not None, "nobody was waiting"
        return int(result.ticket_id)

    def act(self, desk: str, fn: Any, ticket_id: int, *args: Any, **kw: Any) -> int | None:
        return cmd(self.db, self.clock, fn, self.ops[desk], ticket_id, *args, **kw).ticket_id


def _office(db: Database, code: str, tz: str, services: list[tuple[str, str, int]], desks: list[tuple[str, list[str]]]
            ) -> int:
    create_office(db, code=code, name_uk=f"Установа {code}", name_en=f"Office {code}", timezone=tz)
    for svc, prefix, target in services:
        create_service(db, ROOT, code, code=svc, prefix=prefix, name_uk=f"Послуга {svc}", name_en=f"Service {svc}",
                       target_wait_min=target)
    for desk, served in desks:
        create_desk(db, ROOT, code, code=desk, name_uk=f"Вікно {desk}", name_en=f"Window {desk}", services=served)
    with db.read() as s:
        return int(s.scalar(select(Office.id).where(Office.code == code)))  # type: ignore[arg-type]


def build(db: Database, clock: FakeClock) -> dict[str, int]:
    """Build both offices' visits; returns ticket ids by letter (see the module docstring of the tests)."""
    t1 = _office(db, "T1", "Europe/Kyiv", [("consult", "К", 10), ("appeal", "С", 20)],
                 [("1", ["consult"]), ("2", ["appeal"])])
    t2 = _office(db, "T2", "America/New_York", [("consult", "К", 15)], [("1", ["consult"])])
    ids: dict[str, int] = {}
    k = Day(db, clock, "T1", KYIV)
    k.at(2026, 11, 24, 9, 0)
    k.operator("op1", "1", t1)
    k.operator("op2", "2", t1)
    ids["A"] = k.at(2026, 11, 24, 10, 0).issue("consult")
    ids["B"] = k.at(2026, 11, 24, 10, 2).issue("consult")
    ids["C"] = k.at(2026, 11, 24, 10, 4).issue("appeal")
    ids["D"] = k.at(2026, 11, 24, 10, 6).issue("consult")
    assert k.at(2026, 11, 24, 10, 10).call("1") == ids["A"]
    k.at(2026, 11, 24, 10, 11).act("1", queue.start, ids["A"])
    assert k.at(2026, 11, 24, 10, 20).call("2") == ids["C"]
    k.at(2026, 11, 24, 10, 22).act("1", queue.finish, ids["A"], "consulted")
    assert k.call("1") == ids["B"]
    k.at(2026, 11, 24, 10, 25).act("1", queue.no_show, ids["B"])
    assert k.at(2026, 11, 24, 10, 26).call("1") == ids["D"]
    k.at(2026, 11, 24, 10, 30)
    ids["C2"] = int(k.act("2", queue.transfer, ids["C"], service_code="consult") or 0)
    k.act("1", queue.finish, ids["D"], None)
    assert k.at(2026, 11, 24, 10, 35).call("1") == ids["C2"]
    k.at(2026, 11, 24, 10, 36).act("1", queue.start, ids["C2"])
    ids["E"] = k.at(2026, 11, 24, 10, 40).issue("consult")
    k.at(2026, 11, 24, 10, 45).act("1", queue.cancel, ids["E"])
    k.at(2026, 11, 24, 10, 46).act("1", queue.finish, ids["C2"], "documents_accepted")
    # A visit across midnight: issued on the 24th, served on the 25th.
    ids["F"] = k.at(2026, 11, 24, 23, 50).issue("consult")
    assert k.at(2026, 11, 25, 0, 10).call("1") == ids["F"]
    k.at(2026, 11, 25, 0, 12).act("1", queue.start, ids["F"])
    ids["G"] = k.at(2026, 11, 25, 0, 15).issue("consult")
    k.at(2026, 11, 25, 0, 21).act("1", queue.finish, ids["F"], "explained")
    assert k.at(2026, 11, 25, 0, 22).call("1") == ids["G"]
    k.at(2026, 11, 25, 0, 31).act("1", queue.finish, ids["G"], "consulted")
    # New York: the second ticket is issued on 25 November UTC but on the 24th in New York.
    n = Day(db, clock, "T2", NEW_YORK)
    n.at(2026, 11, 24, 8, 0)
    n.operator("op9", "1", t2)
    ids["H"] = n.at(2026, 11, 24, 9, 0).issue("consult")
    assert n.at(2026, 11, 24, 9, 12).call("1") == ids["H"]
    n.at(2026, 11, 24, 9, 20).act("1", queue.finish, ids["H"], "consulted")
    ids["I"] = n.at(2026, 11, 24, 22, 0).issue("consult")
    assert clock.now() == datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    assert n.at(2026, 11, 24, 22, 4).call("1") == ids["I"]
    n.at(2026, 11, 24, 22, 10).act("1", queue.finish, ids["I"], None)
    return ids


def later(clock: FakeClock, days: int = 20) -> None:
    """Move the clock well past the data set, so its days are final (roll-ups are built)."""
    clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC) + timedelta(days=days))

"""Report figures that come from the event logs alone: the target at issue, desk pauses, suspensions.

Office R1 (Kyiv), 24 November 2026, consult target 10 min, one desk (op1), local times:
  09:00 desk 1 opened.  10:00 A issued, 10:03 B issued.
  10:05–10:20 the office suspended (air-raid alert; 15 min).
  10:25 A called: waited 25 − 15 = 10 min (within 10).  10:30 A finished.
  10:30–10:40 desk 1 paused («Перерва»); 10:41 B called: waited 38 − 15 = 23 min (over).  10:50 B finished.
  11:00 desk 1 paused («Обід»), 11:30 closed while paused: 30 min more.
Figures: wait mean (10 + 23) / 2 = 16.5; within target 1 of 2 = 50 %; suspended 15 min; desk 1 paused 40 min.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from reception.kernel.identity import Actor
from reception.offices import suspension
from reception.offices.lookups import office_by_code
from reception.offices.models import Service
from reception.queue import commands as queue
from reception.reports import service as reports
from reception.reports.figures import paused_seconds
from tests.fakes import ROOT, add_user, build_office, services

KYIV = ZoneInfo("Europe/Kyiv")
D24 = date(2026, 11, 24)


def at(clock: Any, hh: int, mm: int, day: int = 24) -> None:
    clock.set(datetime(2026, 11, day, hh, mm, tzinfo=KYIV))


@pytest.fixture
def day(db, clock):
    build_office(db, "R1", services=[dict(code="consult", prefix="К", name_uk="Консультація", name_en="Consultation",
                                          target_wait_min=10)],
                 desks=[dict(code="1", name_uk="Вікно 1", name_en="Window 1", services=["consult"])])
    run = services(db, clock)
    with db.read() as s:
        office_id = office_by_code(s, "R1").id
    at(clock, 9, 0)
    op = Actor(user_id=add_user(db, clock, "op1", ["operator"], ["R1"]), username="op1",
               roles=frozenset({"operator"}), office_ids=frozenset({office_id}))
    run.value(queue.open_desk, op, "1", "R1")
    at(clock, 10, 0)
    a = run.value(queue.issue_ticket, office_code="R1", service_code="consult").ticket_id
    at(clock, 10, 3)
    b = run.value(queue.issue_ticket, office_code="R1", service_code="consult").ticket_id
    assert a is not None and b is not None
    at(clock, 10, 5)
    run.value(suspension.suspend_office, ROOT, "R1", "air_raid")
    at(clock, 10, 20)
    run.value(suspension.resume_office, ROOT, "R1")
    at(clock, 10, 25)
    assert run.value(queue.call_next, op, "1", "R1").ticket_id == a
    at(clock, 10, 30)
    run.value(queue.finish, op, a, "consulted")
    run.value(queue.pause_desk, op, "1", "Перерва", "R1")
    at(clock, 10, 40)
    run.value(queue.resume_desk, op, "1", "R1")
    at(clock, 10, 41)
    assert run.value(queue.call_next, op, "1", "R1").ticket_id == b
    at(clock, 10, 50)
    run.value(queue.finish, op, b, "consulted")
    at(clock, 11, 0)
    run.value(queue.pause_desk, op, "1", "Обід", "R1")
    at(clock, 11, 30)
    run.value(queue.close_desk, op, "1", "R1")
    at(clock, 12, 0)


def _report(db: Any, clock: Any) -> dict[str, Any]:
    return reports.summary(db, clock, ROOT, "R1", D24, D24)


def test_suspension_and_pauses_by_hand(db, clock, day) -> None:
    report = _report(db, clock)
    assert report["suspended_min"] == 15.0
    assert report["wait_min"]["mean"] == 16.5 and report["wait_min"]["max"] == 23.0
    assert report["within_target_pct"] == 50.0
    assert [(r["desk"], r["served"], r["paused_min"]) for r in report["by_desk"]] == [("1", 2, 40.0)]


def test_a_running_suspension_counts_only_up_to_now(db, clock, day) -> None:
    run = services(db, clock)
    at(clock, 11, 40)
    run.value(suspension.suspend_office, ROOT, "R1", "blackout")
    at(clock, 12, 0)
    assert _report(db, clock)["suspended_min"] == 15.0 + 20.0


def test_a_target_changed_later_leaves_the_past_alone(db, clock, day) -> None:
    before = _report(db, clock)  # today: replayed from the events, no roll-up yet
    with db.write() as s:
        s.execute(update(Service).values(target_wait_min=30))  # would make both waits "within"
    after = _report(db, clock)
    assert before["within_target_pct"] == after["within_target_pct"] == 50.0
    clock.set(datetime(2026, 12, 20, 12, 0, tzinfo=KYIV))  # the day is final: from its roll-up, still 50 %
    assert _report(db, clock)["within_target_pct"] == 50.0


def test_paused_seconds_by_hand() -> None:
    t0 = datetime(2026, 11, 24, 8, 0, tzinfo=KYIV)
    m = lambda n: t0 + timedelta(minutes=n)  # noqa: E731
    events = [(1, "paused", m(10)), (1, "paused", m(15)), (1, "resumed", m(20)),  # a new reason continues: 10
              (2, "opened", m(5)), (2, "paused", m(50))]  # still paused at the end of the window: 10
    assert paused_seconds(events, t0, m(60), before={3: "paused", 4: "open"}) == {1: 600.0, 2: 600.0, 3: 3600.0}

"""Report figures against hand-computed answers on the fixed data set of ``reports_dataset``.

T1 (Kyiv), 24 November 2026, consult target 10 min, appeal target 20 min (times local):
  A К-001 issued 10:00, called 10:10 (wait 10), started 10:11, finished 10:22 (service 11), consulted
  B К-002 issued 10:02, called 10:22 (wait 20), no-show 10:25
  C С-001 issued 10:04, called 10:20 at desk 2 (wait 16), transferred to consult 10:30
  C2 (its copy) queued 10:30, called 10:35 (wait 5), started 10:36, finished 10:46 (10), documents_accepted
  D К-003 issued 10:06, called 10:26 (wait 20), finished 10:30 straight from called (4), no outcome
  E К-004 issued 10:40, cancelled 10:45 (never called: no wait sample)
  F К-005 issued 23:50, called 00:10 on the 25th (wait 20), started 00:12, finished 00:21 (9), explained
T1, 25 November: G К-001 issued 00:15, called 00:22 (wait 7), finished 00:31 (9), consulted.
T2 (New York), 24 November local: H issued 09:00, called 09:12, finished 09:20; I issued 22:00 local
  (03:00 UTC on the 25th), called 22:04, finished 22:10.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, update

from reception.kernel.errors import Forbidden, NotFound, ValidationFailed
from reception.kernel.identity import Actor
from reception.offices.models import Office, Service
from reception.reports import service as reports
from reception.reports.models import ReportRollup
from tests.fakes import ROOT
from tests.web import reports_dataset as ds

D24, D25 = date(2026, 11, 24), date(2026, 11, 25)


@pytest.fixture
def data(db, clock):
    return ds.build(db, clock)


def _summary(db: Any, clock: Any, office: str | None, a: date, b: date, actor: Actor = ROOT) -> dict[str, Any]:
    return reports.summary(db, clock, actor, office, a, b)


def test_one_day_of_one_office(db, clock, data) -> None:
    r = _summary(db, clock, "T1", D24, D24)
    assert r["office"] == "T1" and (r["from"], r["to"]) == ("2026-11-24", "2026-11-24")
    assert r["totals"] == {"issued": 6, "served": 4, "no_show": 1, "cancelled": 1, "transferred": 1}
    # waits 10, 20, 16, 5, 20, 20
    assert r["wait_min"] == {"mean": 15.2, "median": 18.0, "p90": 20.0, "max": 20.0}
    # services 11, 10, 4, 9
    assert r["service_min"] == {"mean": 8.5, "median": 9.5, "p90": 11.0, "max": 11.0}
    assert r["within_target_pct"] == 50.0  # A, C, C2 of six
    assert r["suspended_min"] == 0.0
    consult, appeal = r["by_service"]
    assert consult | {} == consult and consult["service"] == "consult"
    assert {k: consult[k] for k in ("issued", "served", "no_show", "cancelled", "transferred", "wait_min",
                                    "service_min", "within_target_pct")} == \
        {"issued": 5, "served": 4, "no_show": 1, "cancelled": 1, "transferred": 0, "wait_min": 15.0,
         "service_min": 8.5, "within_target_pct": 40.0}
    assert {k: appeal[k] for k in ("service", "issued", "served", "transferred", "wait_min", "service_min",
                                   "within_target_pct")} == \
        {"service": "appeal", "issued": 1, "served": 0, "transferred": 1, "wait_min": 16.0, "service_min": None,
         "within_target_pct": 100.0}
    assert [(d["desk"], d["served"], d["service_min"]) for d in r["by_desk"]] == [("1", 4, 8.5)]
    assert [(u["user"], u["served"], u["service_min"]) for u in r["by_staff"]] == [("op1", 4, 8.5)]
    hours = {h["hour"]: (h["issued"], h["served"]) for h in r["by_hour"]}
    assert hours[10] == (5, 3) and hours[23] == (1, 0) and hours[0] == (0, 1)  # F: issued 23:50, served 00:21
    assert sum(i for i, _s in hours.values()) == 6
    assert r["outcomes"] == {"consulted": 1, "documents_accepted": 1, "explained": 1}
    assert [d["date"] for d in r["by_day"]] == ["2026-11-24"]
    assert r["leadership"] == {"booked": 0, "checked_in": 0, "no_show": 0, "records": 0, "overdue": 0}


def test_two_days_include_the_visit_after_midnight_once(db, clock, data) -> None:
    r = _summary(db, clock, "T1", D24, D25)
    assert r["totals"] == {"issued": 7, "served": 5, "no_show": 1, "cancelled": 1, "transferred": 1}
    assert r["wait_min"] == {"mean": 14.0, "median": 16.0, "p90": 20.0, "max": 20.0}
    assert r["service_min"] == {"mean": 8.6, "median": 9.0, "p90": 11.0, "max": 11.0}
    assert r["within_target_pct"] == 57.1  # 4 of 7
    days = {d["date"]: (d["issued"], d["served"]) for d in r["by_day"]}
    assert days == {"2026-11-24": (6, 4), "2026-11-25": (1, 1)}
    # The 25th alone holds G only: F belongs to the day it was issued.
    assert _summary(db, clock, "T1", D25, D25)["totals"]["served"] == 1


def test_days_are_office_local_in_each_time_zone(db, clock, data) -> None:
    ny = _summary(db, clock, "T2", D24, D24)
    assert ny["totals"]["issued"] == 2 and ny["totals"]["served"] == 2
    assert ny["wait_min"] == {"mean": 8.0, "median": 8.0, "p90": 12.0, "max": 12.0}
    assert {h["hour"] for h in ny["by_hour"] if h["issued"]} == {9, 22}
    assert _summary(db, clock, "T2", D25, D25)["totals"]["issued"] == 0  # 03:00 UTC on the 25th is the 24th there
    both = _summary(db, clock, None, D24, D24)
    assert both["office"] is None and [o["code"] for o in both["offices"]] == ["T1", "T2"]
    assert both["totals"] == {"issued": 8, "served": 6, "no_show": 1, "cancelled": 1, "transferred": 1}
    # waits 4, 5, 10, 12, 16, 20, 20, 20
    assert both["wait_min"] == {"mean": 13.4, "median": 14.0, "p90": 20.0, "max": 20.0}
    assert [(s["office"], s["service"]) for s in both["by_service"]] == [("T1", "consult"), ("T1", "appeal"),
                                                                         ("T2", "consult")]


def test_an_empty_period(db, clock, data) -> None:
    r = _summary(db, clock, "T1", date(2026, 11, 20), date(2026, 11, 21))
    assert r["totals"] == {"issued": 0, "served": 0, "no_show": 0, "cancelled": 0, "transferred": 0}
    assert r["wait_min"] == r["service_min"] == {"mean": None, "median": None, "p90": None, "max": None}
    assert r["within_target_pct"] is None
    assert r["by_service"] == r["by_desk"] == r["by_staff"] == r["by_hour"] == []
    assert [d["date"] for d in r["by_day"]] == ["2026-11-20", "2026-11-21"]
    assert r["outcomes"] == {}


def test_final_days_come_from_rollups_with_the_same_figures(db, clock, data) -> None:
    live = _summary(db, clock, "T1", date(2026, 11, 1), date(2026, 11, 30))
    with db.read() as s:
        stored = {(r.period, r.start) for r in s.scalars(select(ReportRollup))}
    assert ("day", date(2026, 11, 22)) in stored  # two days back and nothing open: final
    assert not {("day", D24), ("day", D25), ("month", date(2026, 11, 1))} & stored  # not final yet
    ds.later(clock)
    first = _summary(db, clock, "T1", date(2026, 11, 1), date(2026, 11, 30))
    with db.read() as s:
        kinds = {(r.period, r.start) for r in s.scalars(select(ReportRollup))}
    assert ("month", date(2026, 11, 1)) in kinds and ("day", D24) in kinds
    again = _summary(db, clock, "T1", date(2026, 11, 1), date(2026, 11, 30))  # now read from the month roll-up
    partial = _summary(db, clock, "T1", D24, D25)  # day roll-ups
    for r in (first, again):  # but the time at desks left open, which grows while they stay open
        assert {k: r[k] for k in r if k != "utilisation"} == {k: live[k] for k in live if k != "utilisation"}
    assert partial["totals"] == {"issued": 7, "served": 5, "no_show": 1, "cancelled": 1, "transferred": 1}
    assert partial["wait_min"] == {"mean": 14.0, "median": 16.0, "p90": 20.0, "max": 20.0}


def test_a_past_report_keeps_its_figures_when_configuration_changes(db, clock, data) -> None:
    ds.later(clock)
    before = _summary(db, clock, "T1", D24, D24)
    with db.write() as s:
        s.execute(update(Service).values(target_wait_min=1, name_uk="Нова назва"))
    after = _summary(db, clock, "T1", D24, D24)
    assert after["within_target_pct"] == before["within_target_pct"] == 50.0
    assert after["by_service"][0]["name_uk"] == "Нова назва"  # labels are today's, figures are the period's


def test_scope_and_bad_periods(db, clock, data) -> None:
    with db.read() as s:
        t1 = s.scalar(select(Office.id).where(Office.code == "T1"))
    manager = Actor(user_id=None, roles=frozenset({"manager"}), office_ids=frozenset({t1}))
    assert [o["code"] for o in _summary(db, clock, None, D24, D24, manager)["offices"]] == ["T1"]
    with pytest.raises(Forbidden):
        _summary(db, clock, "T2", D24, D24, manager)
    with pytest.raises(NotFound):
        _summary(db, clock, "NOPE", D24, D24)
    with pytest.raises(Forbidden):
        _summary(db, clock, "T1", D24, D24, Actor(user_id=None, roles=frozenset({"operator"}),
                                                  office_ids=frozenset({t1})))
    for a, b in ((D25, D24), (date(9999, 1, 1), date(9999, 1, 2)), (date(2025, 1, 1), date(2026, 6, 1))):
        with pytest.raises(ValidationFailed):
            _summary(db, clock, "T1", a, b)


def test_leadership_figures(db, clock, data) -> None:
    """Bookings of sessions held in the period, and reception records registered in it."""
    from datetime import UTC, datetime, timedelta

    from reception.leadership.models import Appointment, Leader, ReceptionRecord, ReceptionSession
    from reception.offices.models import Desk

    now = clock.now()  # 25 November, 05:10 in Kyiv
    with db.write() as s:
        t1 = s.scalar(select(Office.id).where(Office.code == "T1"))
        desk = s.scalar(select(Desk.id).where(Desk.office_id == t1, Desk.code == "1"))
        leader = Leader(office_id=t1, name_uk="Керівник", name_en="Leader", position_uk="Посада", position_en="Post")
        s.add(leader)
        s.flush()

        def session(day: date, hour: int) -> ReceptionSession:
            start = datetime(day.year, day.month, day.day, hour - 2, 0, tzinfo=UTC)
            rs = ReceptionSession(office_id=t1, leader_id=leader.id, origin_date=day, desk_id=desk, day=day,
                                  starts_at=start, ends_at=start + timedelta(hours=2), start=f"{hour}:00",
                                  end=f"{hour + 2}:00", slot_min=30, capacity=4)
            s.add(rs)
            s.flush()
            return rs

        past, coming, outside = session(D24, 10), session(D25, 14), session(date(2026, 11, 10), 10)
        for i, (rs, status) in enumerate([(past, "booked"), (past, "checked_in"), (past, "cancelled"),
                                          (coming, "booked"), (outside, "booked")]):
            s.add(Appointment(session_id=rs.id, slot_index=i, slot_at=rs.starts_at, booking_code=f"C{i}",
                              status=status, surname="П", name="І", topic="т", created_at=now))

        def record(n: int, received: date, due: date, removed: date | None) -> None:
            s.add(ReceptionRecord(office_id=t1, reg_index=f"R-{n}", reg_seq=n, reg_date=received,
                                  reception_date=received, received_by_name="К", kind="application",
                                  due_date=due, removed_from_control=removed, created_at=now, updated_at=now))

        record(1, D24, date(2026, 11, 24), None)  # overdue on the 25th
        record(2, D24, date(2026, 12, 24), None)
        record(3, D25, date(2026, 11, 20), D25)  # closed: never overdue
        record(4, date(2026, 11, 10), date(2026, 11, 11), None)  # outside the period
    got = _summary(db, clock, "T1", D24, D25)["leadership"]
    # booked: 2 past (one no-show, one checked in) + 1 coming; the cancelled one and the 10th do not count
    assert got == {"booked": 3, "checked_in": 1, "no_show": 1, "records": 3, "overdue": 1}


def test_rollups_can_be_built_ahead_of_the_first_report(db, clock, data) -> None:
    ds.later(clock)
    assert reports.build_rollups(db, clock) == 2
    with db.read() as s:
        stored = {(r.office_id, r.period, r.start) for r in s.scalars(select(ReportRollup))}
        t1 = s.scalar(select(Office.id).where(Office.code == "T1"))
    assert (t1, "month", date(2026, 11, 1)) in stored and (t1, "day", D24) in stored
    assert _summary(db, clock, "T1", D24, D25)["totals"]["served"] == 5



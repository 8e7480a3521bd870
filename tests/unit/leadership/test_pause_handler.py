# ruff: noqa: F811
# (the fixtures db, clock, … come from test_leadership_commands; tests take them as arguments)
"""The leadership slice's in-transaction handler of ``Resumed`` (decision 023) on a fake unit of work:
the office resumes, the day's bookings move by the pause in the same transaction, once; the event
leaves with what moved.  The offices slice never imports it: the bus runs it as the event is collected."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from reception.audit.models import AuditLog
from reception.kernel.events import Resumed
from reception.kernel.messagebus import MessageBus
from reception.leadership import booking, schedule
from reception.leadership.models import Appointment, ReceptionSession
from reception.leadership.pause import shift_bookings
from reception.offices.models import Suspension
from reception.offices.suspension import resume_due, resume_office, suspend_office
from tests.fakes import FakeUnitOfWork, run
from tests.unit.leadership.test_leadership_commands import CALL_CENTRE, VISITOR, clock, db  # noqa: F401
from tests.web.leadership.builders import LEADER, MANAGER


@pytest.fixture
def day(db, clock) -> list[int]:
    """Today 11:00–13:00 in room 412, 30-minute slots, every slot booked; the appointments' ids."""
    made, _ = run(db, clock, schedule.create_leader, MANAGER, office="T1", **LEADER)
    run(db, clock, schedule.add_rule, MANAGER, int(made["id"]), desk="412", weekday=2, start="11:00", end="13:00",
        slot_min=30, valid_from=date(2026, 11, 1))
    with db.read() as s:
        today = s.scalars(select(ReceptionSession.id).order_by(ReceptionSession.starts_at)).first()
    return [run(db, clock, booking.book, CALL_CENTRE, today, slot=datetime.fromisoformat(f"2026-11-24T{hhmm}:00+02:00"),
                **VISITOR)[0]["id"] for hhmm in ("11:00", "11:30", "12:00", "12:30")]


def slots(db: Any) -> list[tuple[str, bool]]:
    with db.read() as s:
        return [(a.slot_at.astimezone(datetime.fromisoformat("2026-11-24T00:00+02:00").tzinfo).strftime("%H:%M"),
                 a.needs_rebooking) for a in s.scalars(select(Appointment).order_by(Appointment.id))]


def test_a_resume_shifts_the_day_in_its_transaction_and_says_what_moved(db, clock, day) -> None:
    clock.advance(minutes=30)  # alert 10:30
    run(db, clock, suspend_office, MANAGER, "T1", "air_raid")
    clock.advance(minutes=45)  # resumed 11:15: a 45-minute pause
    _, [event] = run(db, clock, resume_office, MANAGER, "T1")
    # 11:00 -> 11:45, 11:30 pushed to 12:15; 12:45 and 13:15 would run past 13:00: to rebook.
    assert slots(db) == [("11:45", False), ("12:15", False), ("12:00", True), ("12:30", True)]
    assert (event.appointments_moved, event.appointments_to_rebook) == (2, 2)
    with db.read() as s:
        [entry] = s.scalars(select(AuditLog).where(AuditLog.action == "appointment.shift")).all()
    assert entry.detail["moved"][0]["id"] == day[0] and entry.detail["rebook"] == day[2:]


def test_a_scheduled_resume_shifts_when_the_job_records_it_and_only_then(db, clock, day) -> None:
    run(db, clock, suspend_office, MANAGER, "T1", "air_raid")  # 10:00
    run(db, clock, resume_office, MANAGER, "T1", after_min=70)  # reopening 11:10
    clock.advance(minutes=75)
    assert slots(db)[0] == ("11:00", False)  # due, not yet recorded: nothing moved
    _, [event] = run(db, clock, resume_due)
    # 11:00 + the 70-minute pause = 12:10; the rest would run past 13:00.
    assert (event.appointments_moved, event.appointments_to_rebook) == (1, 3)
    assert slots(db) == [("12:10", False), ("11:30", True), ("12:00", True), ("12:30", True)]
    assert run(db, clock, resume_due) == (0, [])
    assert slots(db)[0] == ("12:10", False)  # not twice


def test_the_handler_alone_completes_the_event(db, clock, day) -> None:
    moment = datetime.fromisoformat
    event = Resumed(office_code="T1", version=9, reason="blackout", since=moment("2026-11-24T10:50:00+02:00"),
                    resumed_at=moment("2026-11-24T11:20:00+02:00"), recorded_at=moment("2026-11-24T11:20:00+02:00"))
    uow = FakeUnitOfWork(db)
    with uow:
        completed = shift_bookings(uow, event)
        uow.commit()
    assert completed == Resumed(**{**event.__dict__, "appointments_moved": 3, "appointments_to_rebook": 1})
    assert slots(db) == [("11:30", False), ("12:00", False), ("12:30", False), ("12:30", True)]


def test_a_failing_handler_rolls_the_resume_back(db, clock, day) -> None:
    run(db, clock, suspend_office, MANAGER, "T1", "air_raid")
    clock.advance(minutes=30)

    def broken(uow: Any, event: Resumed) -> Resumed:
        raise RuntimeError("the bookings could not be shifted")

    uow = FakeUnitOfWork(db, MessageBus(in_transaction={Resumed: [broken]}))
    with pytest.raises(RuntimeError), uow:
        resume_office(uow, clock, MANAGER, "T1")
        uow.commit()
    with db.read() as s:
        assert s.scalar(select(Suspension.ended_at)) is None  # still suspended: resume again
    assert slots(db)[0] == ("11:00", False)

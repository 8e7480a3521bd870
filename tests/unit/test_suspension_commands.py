# ruff: noqa: F811
# (the fixtures db, clock, … come from test_queue_commands; tests take them as arguments)
"""Suspend and resume on a fake unit of work and a fake clock (decision 012), without an app.

The hot path (issuing, calling) asks only whether the suspension is in force at its minute; a
scheduled resume is recorded by a command (``resume_due``, the server's periodic job), once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from reception.audit.models import AuditLog
from reception.bootstrap import wire
from reception.kernel.errors import Conflict, Forbidden, OfficeSuspended, ValidationFailed
from reception.kernel.events import Resumed, Suspended
from reception.kernel.identity import Actor
from reception.offices.models import Suspension
from reception.offices.suspension import resume_due, resume_office, suspend_office
from reception.queue import commands as queue
from tests.fakes import refused, run
from tests.unit.test_queue_commands import clock, db, op  # noqa: F401  (the fixtures)

MANAGER = Actor(user_id=None, roles=frozenset({"manager"}), office_ids=frozenset({1}))


@pytest.fixture
def at_desk(db, clock, op) -> Actor:
    """The queue tests' operator, at desk 1."""
    run(db, clock, queue.open_desk, op, "1")
    return op


def issue(db: Any, clock: Any) -> Any:
    return run(db, clock, queue.issue_ticket, office_code="T1", service_code="consult")


def rows(db: Any) -> list[Suspension]:
    with db.read() as s:
        return list(s.scalars(select(Suspension).order_by(Suspension.id)))


def test_suspend_collects_a_typed_event_audits_and_refuses_tickets_and_calls(db, clock, at_desk) -> None:
    issue(db, clock)
    state, events = run(db, clock, suspend_office, MANAGER, "T1", "air_raid", note=" Сирена ")
    assert state.suspended is not None and state.suspended["note"] == "Сирена"
    [event] = events
    assert isinstance(event, Suspended)
    assert (event.office_code, event.reason, event.resume_at, event.minutes_left) == ("T1", "air_raid", None, None)
    assert event.since.isoformat() == "2026-11-24T10:00:00+02:00"  # office-local, as screens show it
    with db.read() as s:
        assert s.scalars(select(AuditLog.action)).all()[-1] == "office.suspend"
    refused(db, clock, OfficeSuspended, queue.issue_ticket, office_code="T1", service_code="consult")
    assert refused(db, clock, OfficeSuspended, queue.call_next, at_desk, "1").status == 409
    refused(db, clock, Conflict, suspend_office, MANAGER, "T1", "blackout")  # already suspended


def test_refusals_change_nothing(db, clock) -> None:
    refused(db, clock, ValidationFailed, suspend_office, MANAGER, "T1", "rain")
    refused(db, clock, Conflict, resume_office, MANAGER, "T1")  # not suspended
    stranger = Actor(user_id=None, roles=frozenset({"manager"}), office_ids=frozenset({2}))
    refused(db, clock, Forbidden, suspend_office, stranger, "T1", "air_raid")
    run(db, clock, suspend_office, MANAGER, "T1", "air_raid")
    refused(db, clock, ValidationFailed, resume_office, MANAGER, "T1", after_min=241)
    assert [r.ended_at for r in rows(db)] == [None]


def test_resume_by_hand_records_the_end_and_says_resumed(db, clock) -> None:
    _, suspended = run(db, clock, suspend_office, MANAGER, "T1", "blackout")
    clock.advance(minutes=25)
    state, events = run(db, clock, resume_office, MANAGER, "T1")
    assert state.suspended is None
    [event] = events
    assert isinstance(event, Resumed) and event.reason == "blackout"
    assert event.resumed_at == event.recorded_at == event.since + timedelta(minutes=25)
    assert event.version > suspended[0].version
    assert event.appointments_moved == 0  # the leadership handler ran in the transaction: no bookings
    assert rows(db)[0].ended_at == rows(db)[0].since + timedelta(minutes=25)
    assert issue(db, clock)[0].ticket["code"] == "К-001"


def test_a_scheduled_resume_holds_at_its_minute_before_anything_records_it(db, clock, at_desk) -> None:
    run(db, clock, suspend_office, MANAGER, "T1", "air_raid")
    clock.advance(minutes=30)
    _, events = run(db, clock, resume_office, MANAGER, "T1", after_min=10)
    assert isinstance(events[0], Suspended) and events[0].minutes_left == 10
    assert events[0].resume_at is not None and events[0].resume_at.strftime("%H:%M") == "10:40"

    clock.advance(minutes=10, seconds=-1)  # a second before: still suspended
    refused(db, clock, OfficeSuspended, queue.issue_ticket, office_code="T1", service_code="consult")
    refused(db, clock, OfficeSuspended, queue.call_next, at_desk, "1")
    clock.advance(seconds=1)  # at resume_at: a ticket and a call, and nothing recorded by them
    ticket, events = issue(db, clock)
    assert [type(e) for e in events] == [type(events[0])] and not isinstance(events[0], Resumed)
    assert run(db, clock, queue.call_next, at_desk, "1")[0].ticket["code"] == ticket.ticket["code"]
    assert rows(db)[0].ended_at is None


def test_the_job_records_a_due_resume_once_as_of_its_scheduled_time(db, clock) -> None:
    run(db, clock, suspend_office, MANAGER, "T1", "air_raid")
    run(db, clock, resume_office, MANAGER, "T1", after_min=10)
    clock.advance(minutes=9)
    assert run(db, clock, resume_due) == (0, [])  # not yet due
    clock.advance(minutes=4)  # 10:13: due since 10:10
    closed, events = run(db, clock, resume_due)
    assert closed == 1 and [type(e) for e in events] == [Resumed]
    assert events[0].resumed_at.strftime("%H:%M") == "10:10" and events[0].recorded_at.strftime("%H:%M") == "10:13"
    assert events[0].by_user_id is None
    row = rows(db)[0]
    assert row.ended_at == row.resume_at == row.since + timedelta(minutes=10)
    assert run(db, clock, resume_due) == (0, [])  # recorded: the next run finds nothing


def test_a_new_alert_after_a_due_resume_records_it_and_opens_a_new_row(db, clock) -> None:
    run(db, clock, suspend_office, MANAGER, "T1", "air_raid")
    run(db, clock, resume_office, MANAGER, "T1", after_min=10)
    clock.advance(minutes=30)
    _, events = run(db, clock, suspend_office, MANAGER, "T1", "blackout")
    assert [type(e) for e in events] == [Resumed, Suspended]
    assert [(r.reason, r.ended_at is None) for r in rows(db)] == [("air_raid", False), ("blackout", True)]


def test_a_new_alert_before_the_scheduled_resume_cancels_it(db, clock) -> None:
    run(db, clock, suspend_office, MANAGER, "T1", "air_raid")
    run(db, clock, resume_office, MANAGER, "T1", after_min=10)
    clock.advance(minutes=5)
    _, events = run(db, clock, suspend_office, MANAGER, "T1", "air_raid")
    assert isinstance(events[0], Suspended) and events[0].resume_at is None
    clock.advance(minutes=30)
    assert run(db, clock, resume_due) == (0, [])
    refused(db, clock, OfficeSuspended, queue.issue_ticket, office_code="T1", service_code="consult")


def test_the_events_go_out_under_their_names_with_the_words_to_show(db, clock) -> None:
    _, [alert] = run(db, clock, suspend_office, MANAGER, "T1", "air_raid")
    clock.advance(minutes=20)
    _, [scheduled] = run(db, clock, resume_office, MANAGER, "T1", after_min=10)
    sent = wire(scheduled)
    assert (sent.name, sent.office_code, sent.version) == ("suspended", "T1", scheduled.version)
    assert sent.payload["resume_at"] == "2026-11-24T10:30:00+02:00" and sent.payload["since"] == "2026-11-24T10:00:00+02:00"
    assert sent.payload["resume_uk"] == "Прийом відновиться о 10:30."
    assert sent.payload["announce_uk"] == ("Відбій повітряної тривоги. "
                                           "Прийом відвідувачів відновиться через десять хвилин.")
    assert "resume_at" not in wire(alert).payload and wire(alert).payload["office"] == "T1"
    clock.advance(minutes=10)
    _, [resumed] = run(db, clock, resume_due)
    sent = wire(resumed)
    assert sent.name == "resumed" and sent.payload["resumed_at"] == "2026-11-24T10:30:00+02:00"
    assert sent.payload["appointments_moved"] == 0 and sent.payload["announce_uk"]
    bare = wire(Resumed(office_code="T1", version=1, reason="air_raid", since=resumed.since,
                        resumed_at=resumed.resumed_at, recorded_at=resumed.recorded_at))
    assert "appointments_moved" not in bare.payload  # no leadership handler ran: nothing to say

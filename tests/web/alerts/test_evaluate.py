"""Each alert kind raised once and cleared when its condition ends (fake clock), audited both ways,
told to the office's subscribed managers (the outbox) with a quiet period; the live event on each change.

Office A1 (tests/web/alerts/conftest.py): consult (target 10 min) at desks 1 and 2, appeal (target 30)
at desk 1 only, always open.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from reception.accounts.models import Device
from reception.accounts.service import create_device
from reception.devices.printing import PrintHandler, PrintRequested
from reception.devices.status import Heartbeat, record_paper
from reception.leadership.models import Appointment, Leader, ReceptionSession
from reception.offices import suspension
from reception.offices.models import Desk, Office
from reception.queue import commands as queue
from reception.queue.models import Ticket
from tests.fakes import RecordingPrinter, build_office
from tests.web.alerts.conftest import KYIV, at


def issue(a1: Any, service: str) -> int:
    result = a1.run.value(queue.issue_ticket, office_code="A1", service_code=service)
    return int(result.ticket["id"])


def test_wait_over_target_is_raised_once_told_once_and_cleared(a1) -> None:
    at(a1.clock, 10, 0)
    a1.run.value(queue.open_desk, a1.op, "1", "A1")
    issue(a1, "consult")
    at(a1.clock, 10, 5)
    assert a1.evaluate() == 0 and a1.open_alerts() == []

    at(a1.clock, 10, 11)  # 11 min > 10: over target
    assert a1.evaluate() == 1
    assert a1.open_alerts() == [("wait_over_target", "consult", "warning")]
    alert = a1.all_alerts("wait_over_target")[0]
    assert alert.detail == {"service": "consult", "longest_wait_min": 11, "target_wait_min": 10, "waiting": 1}
    assert a1.audits("alert.raised") == [{"office": "A1", "kind": "wait_over_target", "subject": "consult",
                                          "severity": "warning"}]
    sent = a1.messages()
    # The subscribed manager on both channels; not the operator, not the reports topic, not the other office.
    assert [(m.channel, m.address, m.kind, m.user_id is not None) for m in sent] == [
        ("telegram", "100500", "alert", True), ("email", "boss@example.org", "alert", True)]
    assert [m.idempotency_key for m in sent] == [f"alert:{alert.id}:raised:{sub}" for sub in a1.subs]
    assert "Очікування понад ціль" in sent[0].body and "«Консультація»" in sent[0].body and "11 хв" in sent[0].body
    assert sent[1].subject and sent[0].subject is None
    assert a1.changed_events() == 1

    at(a1.clock, 10, 12)
    assert a1.evaluate() == 0  # holds still: no second alert, audit entry, message or event
    assert len(a1.all_alerts("wait_over_target")) == 1 and len(a1.audits("alert.raised")) == 1
    assert len(a1.messages()) == 2 and a1.changed_events() == 1
    assert a1.all_alerts("wait_over_target")[0].detail["longest_wait_min"] == 12  # its figures follow

    at(a1.clock, 10, 25)  # 25 > 2 x 10: critical now, still the same alert
    a1.evaluate()
    assert a1.open_alerts() == [("wait_over_target", "consult", "critical")]

    a1.run.value(queue.call_next, a1.op, "1", "A1")
    assert a1.evaluate() == 1
    assert a1.open_alerts() == []
    cleared = a1.all_alerts("wait_over_target")[0]
    assert cleared.cleared_at is not None
    assert a1.audits("alert.cleared") == [{"office": "A1", "kind": "wait_over_target", "subject": "consult"}]
    assert a1.changed_events() == 2 and len(a1.messages()) == 2  # a clearing sends no message


def test_quiet_period_no_second_message_of_a_kind_within_it(a1) -> None:
    at(a1.clock, 10, 0)
    a1.run.value(queue.open_desk, a1.op, "1", "A1")
    issue(a1, "consult")
    at(a1.clock, 10, 11)
    a1.evaluate(quiet_min=15)
    assert len(a1.messages()) == 2
    a1.run.value(queue.call_next, a1.op, "1", "A1")
    a1.evaluate(quiet_min=15)  # cleared
    issue(a1, "consult")
    at(a1.clock, 10, 22)  # over target again, 11 min after the first message: quiet
    a1.evaluate(quiet_min=15)
    assert len(a1.all_alerts("wait_over_target")) == 2 and len(a1.audits("alert.raised")) == 2
    assert len(a1.messages()) == 2
    assert a1.all_alerts("wait_over_target")[1].last_notified_at is None

    a1.run.value(queue.call_next, a1.op, "1", "A1")
    a1.evaluate(quiet_min=15)
    issue(a1, "consult")
    at(a1.clock, 10, 34)  # 23 min after the last message: told again
    a1.evaluate(quiet_min=15)
    assert len(a1.all_alerts("wait_over_target")) == 3 and len(a1.messages()) == 4


def test_nobody_serves_raised_and_cleared_when_a_desk_opens(a1) -> None:
    at(a1.clock, 10, 0)
    issue(a1, "appeal")
    a1.evaluate()
    assert a1.open_alerts() == [("nobody_serves", "appeal", "critical")]
    a1.evaluate()
    assert len(a1.all_alerts("nobody_serves")) == 1
    a1.run.value(queue.open_desk, a1.op, "2", "A1")  # desk 2 does not serve appeal
    a1.evaluate()
    assert a1.open_alerts() == [("nobody_serves", "appeal", "critical")]
    a1.run.value(queue.close_desk, a1.op, "2", "A1")
    a1.run.value(queue.open_desk, a1.op, "1", "A1")
    a1.evaluate()
    assert a1.open_alerts() == []
    assert [d["kind"] for d in a1.audits("alert.cleared")] == ["nobody_serves"]


def test_device_offline_during_opening_hours_only(a1, db, clock) -> None:
    at(clock, 10, 0)
    device_id, _token = create_device(db, clock, kind="display", office_code="A1", name="Табло зали")
    beat = Heartbeat(every=timedelta(0))
    beat.seen(db, clock, device_id)
    at(clock, 10, 4)
    a1.evaluate()
    assert a1.open_alerts() == []
    at(clock, 10, 6)  # silent for 6 min > 5
    a1.evaluate()
    assert a1.open_alerts() == [("device_offline", str(device_id), "critical")]
    assert a1.all_alerts("device_offline")[0].detail == {"device": device_id, "kind": "display",
                                                          "name": "Табло зали", "minutes": 6}
    a1.evaluate()
    assert len(a1.all_alerts("device_offline")) == 1
    beat.seen(db, clock, device_id)
    a1.evaluate()
    assert a1.open_alerts() == []

    # An office that is closed now: a silent device is no alert.
    build_office(db, "A3", hours={str(d): [["09:00", "18:00"]] for d in range(1, 6)})
    create_device(db, clock, kind="kiosk", office_code="A3", name="Кіоск")
    at(clock, 20, 0)
    a1.evaluate()
    with db.read() as s:
        a3 = s.scalar(select(Office.id).where(Office.code == "A3"))
    from reception.alerts.models import Alert
    with db.read() as s:
        assert s.scalars(select(Alert).where(Alert.office_id == a3)).all() == []


class Paper:
    def __init__(self, paper: str) -> None:
        self.paper, self.online, self.error = paper, True, None


def test_printer_paper_from_the_sensor_as_recorded_on_the_device(a1, db, clock) -> None:
    at(clock, 10, 0)
    kiosk, _ = create_device(db, clock, kind="kiosk", office_code="A1", name="Кіоск 1", printer_url="tcp://10.1.1.1")
    create_device(db, clock, kind="kiosk", office_code="A1", name="Без принтера")
    sensor = {"paper": "near_end"}
    assert record_paper(db, clock, lambda url: Paper(sensor["paper"])) == 1
    with db.read() as s:
        row = s.get(Device, kiosk)
        assert row is not None and row.printer_paper == "near_end" and row.printer_checked_at == clock.now()
    a1.evaluate()
    assert ("printer_paper", str(kiosk), "warning") in a1.open_alerts()
    sensor["paper"] = "out"
    record_paper(db, clock, lambda url: Paper(sensor["paper"]))
    a1.evaluate()
    assert ("printer_paper", str(kiosk), "critical") in a1.open_alerts()
    assert len(a1.all_alerts("printer_paper")) == 1  # the same alert, now critical
    sensor["paper"] = "ok"
    record_paper(db, clock, lambda url: Paper(sensor["paper"]))
    a1.evaluate()
    assert [k for k in a1.open_alerts() if k[0] == "printer_paper"] == []
    # A printer that does not answer is "unknown": no paper alert, and never "ok".
    record_paper(db, clock, lambda url: (_ for _ in ()).throw(TimeoutError("silent")))
    with db.read() as s:
        row = s.get(Device, kiosk)
        assert row is not None and row.printer_paper == "unknown"


def test_printer_failing_from_the_print_outcomes(a1, db, clock) -> None:
    at(clock, 10, 0)
    kiosk, _ = create_device(db, clock, kind="kiosk", office_code="A1", name="Кіоск 1", printer_url="tcp://10.1.1.1")
    a1.run.value(queue.open_desk, a1.op, "1", "A1")

    def print_one(ok: bool) -> None:
        ticket_id = issue(a1, "consult")
        printer = RecordingPrinter(ok=ok, error=None if ok else "tcp 10.1.1.1:9100 connect: timed out")
        PrintHandler(lambda url: printer, db, clock)(
            PrintRequested(ticket_id=ticket_id, office_id=a1.id, printer_url="tcp://10.1.1.1", slip=None,  # type: ignore[arg-type]
                           device_id=kiosk))

    print_one(False)
    a1.evaluate()
    assert [k for k in a1.open_alerts() if k[0] == "printer_failing"] == []  # one failure: not yet
    at(clock, 10, 1)
    print_one(False)
    a1.evaluate()
    assert ("printer_failing", str(kiosk), "critical") in a1.open_alerts()
    a1.evaluate()
    assert len(a1.all_alerts("printer_failing")) == 1
    at(clock, 10, 2)
    print_one(True)
    a1.evaluate()
    assert [k for k in a1.open_alerts() if k[0] == "printer_failing"] == []


def test_suspended_long_and_nothing_else_while_suspended(a1, clock) -> None:
    at(clock, 10, 0)
    issue(a1, "appeal")  # nobody serves it, but the office is suspended: that is the point
    a1.run.value(suspension.suspend_office, a1.boss, "A1", "air_raid")
    at(clock, 11, 0)
    a1.evaluate()
    assert a1.open_alerts() == []
    at(clock, 11, 1)
    a1.evaluate()
    assert a1.open_alerts() == [("suspended_long", "", "warning")]
    assert a1.all_alerts("suspended_long")[0].detail == {"minutes": 61, "by": "manager"}
    a1.evaluate()
    assert len(a1.all_alerts("suspended_long")) == 1
    a1.run.value(queue.open_desk, a1.op, "1", "A1")
    a1.run.value(suspension.resume_office, a1.boss, "A1")
    a1.evaluate()
    assert a1.open_alerts() == []
    assert [d["kind"] for d in a1.audits("alert.cleared")] == ["suspended_long"]


def test_leader_absent_when_visitors_checked_in_and_the_room_stays_closed(a1, db, clock) -> None:
    at(clock, 11, 0)
    from reception.offices.setup import create_desk
    from tests.fakes import ROOT

    create_desk(db, ROOT, "A1", code="R1", name_uk="Кімната 412", name_en="Room 412", kind="room", services=[])
    with db.write() as s:
        room = s.scalar(select(Desk.id).where(Desk.office_id == a1.id, Desk.code == "R1"))
        leader = Leader(office_id=a1.id, name_uk="Керівник", name_en="Head", position_uk="Голова", position_en="Head")
        s.add(leader)
        s.flush()
        start = datetime(2026, 11, 24, 11, 0, tzinfo=KYIV)
        session = ReceptionSession(office_id=a1.id, leader_id=leader.id, origin_date=start.date(), desk_id=room,
                                   day=start.date(), starts_at=start, ends_at=start + timedelta(hours=2),
                                   start="11:00", end="13:00", slot_min=20, capacity=6, booked=1)
        s.add(session)
        s.flush()
        s.add(Appointment(session_id=session.id, slot_index=0, slot_at=start, booking_code="AB12CD", status="checked_in",
                          surname="Петренко", name="Іван", topic="Питання", created_at=start, checked_in_at=start))
        session_id, leader_id = session.id, leader.id
    at(clock, 11, 9)
    a1.evaluate()
    assert a1.open_alerts() == []
    at(clock, 11, 10)  # 10 min after the start, visitors in, nobody in the room
    a1.evaluate()
    assert a1.open_alerts() == [("leader_absent", str(session_id), "critical")]
    detail = a1.all_alerts("leader_absent")[0].detail
    assert detail == {"session": session_id, "leader": leader_id, "room": "R1", "checked_in": 1, "late_min": 10}
    assert "Петренко" not in str(detail)  # ids and figures only
    a1.evaluate()
    assert len(a1.all_alerts("leader_absent")) == 1
    with db.write() as s:  # the reception desk is opened
        s.execute(update(Desk).where(Desk.id == room).values(status="open"))
    a1.evaluate()
    assert a1.open_alerts() == []


def test_each_office_sees_its_own_alerts_only(a1, db, clock) -> None:
    at(clock, 10, 0)
    issue(a1, "appeal")
    a1.evaluate()
    with db.read() as s:
        assert s.scalars(select(Ticket.office_id)).all() == [a1.id]
    from reception.alerts.models import Alert
    with db.read() as s:
        assert {row.office_id for row in s.scalars(select(Alert))} == {a1.id}

"""Booked leadership visitors after a suspension (decision 023): shifted by the pause where the
session has room, else flagged for the call-centre to rebook — by hand or on a scheduled resume
(recorded by the periodic job or a check-in), once, in the resume's transaction; seen at the kiosk,
on the slip, the leader's and the booking page."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from reception.accounts.models import User
from reception.audit.models import AuditLog
from reception.devices.printing import build_slip
from reception.http.realtime import RecordingPublisher
from reception.kernel.messagebus import MessageBus
from reception.kernel.unit_of_work import SqlUnitOfWork
from reception.offices.models import Office, Suspension
from reception.offices.suspension import _close, open_suspension, resume_due
from reception.queue import commands as queue
from reception.queue.models import Ticket
from tests.fakes import CSRF_TOKEN, IN_TRANSACTION, add_user, services, signed_in
from tests.web.leadership.builders import add_leader, add_leadership, add_rule, set_settings
from tests.web.test_bad_input import fingerprint

PHONE = "+380501234567"


@pytest.fixture
def day(api, db, clock) -> dict[str, Any]:
    """Today (Tue 24 Nov, 10:00 Kyiv) 10:30-13:00 in room 412, 30-min slots; booked 10:30, 11:00, 12:00, 12:30."""
    add_leadership(db)
    set_settings(db, booking_cutoff_working_days=0)
    leader = add_leader(db, clock, user="boss")
    add_rule(db, clock, leader, weekday=2, start="10:30", end="13:00", slot_min=30, valid_from=date(2026, 11, 1))
    cc = api.user("cc", ["call_centre"])
    sessions = api.call("GET", "/reception-sessions?office=T1", cc).get_json()
    today = sessions[0]
    assert today["date"] == "2026-11-24" and sessions[1]["date"] == "2026-12-01"
    booked = []
    for i, index in enumerate((0, 1, 3, 4)):
        visitor = {"surname": f"Коваль{i}", "name": "Олена", "phone": PHONE if i == 3 else None}
        r = api.call("POST", f"/reception-sessions/{today['id']}/appointments", cc,
                     json={"visitor": visitor, "topic": "Спадщина", "slot": today["slots"][index]["at"]})
        assert r.status_code == 201, r.get_json()
        booked.append(r.get_json())
    return {"booked": booked, "cc": cc, "manager": api.user("chief", ["manager"]), "next": sessions[1],
            "kiosk": api.device("kiosk", printer_url="dummy://")}


def times(api: Any, token: str) -> list[tuple[str, str]]:
    visitors = api.call("GET", "/desks/412/appointments?date=2026-11-24", token).get_json()[0]["appointments"]
    return [(v["slot_time"], v["effective_status"]) for v in visitors]


def pause(api: Any, day: dict[str, Any], minutes: int, **resume: Any) -> Any:
    assert api.call("POST", "/offices/T1/suspend", day["manager"], json={"reason": "air_raid"}).status_code == 200
    api.clock.advance(minutes=minutes)
    return api.call("POST", "/offices/T1/resume", day["manager"], json=resume)


def test_a_resume_by_hand_shifts_the_day_and_flags_who_no_longer_fits(api, db, app, day) -> None:
    r = pause(api, day, 60)  # 10:00-11:00
    assert r.status_code == 200
    # 10:30 -> 11:30 (plus the hour), 11:00 and 12:00 pushed behind it; 12:30 would end at 13:30.
    assert times(api, day["cc"]) == [("11:30", "booked"), ("12:00", "booked"), ("12:30", "booked"),
                                     ("12:30", "needs_rebooking")]
    resumed = [e for e in app.config["publisher"].events if e.name == "resumed"]
    assert len(resumed) == 1
    assert resumed[0].payload["appointments_moved"] == 3 and resumed[0].payload["appointments_to_rebook"] == 1
    with db.read() as s:
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "appointment.shift")).all()
    assert len(audit) == 1 and audit[0].object_id == "T1"
    assert [m["id"] for m in audit[0].detail["moved"]] == [a["id"] for a in day["booked"][:3]]
    assert audit[0].detail["rebook"] == [day["booked"][3]["id"]]

    # The kiosk: the first visitor checks in for 11:30 (the window follows the new time); the slip says so.
    api.clock.advance(minutes=5)
    r = api.call("POST", "/kiosk/checkin", day["kiosk"], json={"booking_code": day["booked"][0]["booking_code"]})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["appointment_at"] == "2026-11-24T11:30:00+02:00"
    with db.read() as s:
        ticket = s.get(Ticket, r.get_json()["id"])
        assert ticket is not None
        slip = build_slip(ticket, None, None, "http://test/t/x", room="Кабінет 412")
    assert slip.appointment_label is not None and slip.appointment_label.endswith("11:30, Кабінет 412")
    # The one without room cannot check in; the kiosk says what happens next.
    r = api.call("POST", "/kiosk/checkin", day["kiosk"], json={"booking_code": day["booked"][3]["booking_code"]})
    assert r.status_code == 409 and r.get_json()["code"] == "checkin_needs_rebooking"
    assert "Вам зателефонують із контакт-центру" in r.get_json()["detail"]


def test_the_leaders_page_shows_the_new_times_and_the_booking_page_the_calls_to_make(api, db, client, clock,
                                                                                      day) -> None:
    assert pause(api, day, 60).status_code == 200
    with db.read() as s:
        boss = s.scalar(select(User).where(User.username == "boss"))
        assert boss is not None
        boss_id = boss.id
    signed_in(client, db, clock, boss_id)
    page = client.get("/backoffice/reception/today").get_data(as_text=True)
    assert "<s class=\"of-was\" title=\"Перенесено з 10:30 через призупинення прийому\">10:30</s> 11:30" in page
    assert "Потрібно перенести" in page

    signed_in(client, db, clock, add_user(db, clock, "cc2", ["call_centre"], ["T1"]))
    page = client.get("/backoffice/booking").get_data(as_text=True)
    listed = page[page.index('id="to-rebook"'):page.index("</section>", page.index('id="to-rebook"'))]
    assert "Потрібно перенести після призупинення прийому (1)" in listed
    assert "Коваль3 Олена" in listed and PHONE in listed and "Коваль0" not in listed
    target = day["booked"][3]
    r = client.post(f"/backoffice/booking/{target['id']}/rebook",
                    data={"csrf_token": CSRF_TOKEN, "office": "T1", "session": day["next"]["id"]})
    assert r.status_code == 302
    after = api.call("GET", "/appointments", day["cc"], query_string={"code": target["booking_code"]}).get_json()[0]
    assert after["session"] == day["next"]["id"] and after["booking_code"] == target["booking_code"]
    assert after["needs_rebooking"] is False and after["shifted_from_time"] is None
    assert 'id="to-rebook"' not in client.get("/backoffice/booking").get_data(as_text=True)


def test_a_check_in_records_a_due_resume_before_its_window_is_checked(api, db, day) -> None:
    r = pause(api, day, 20, after_min=20)  # alert 10:00, all-clear 10:20, reopening 10:40
    assert r.status_code == 200 and r.get_json()["suspended"]["resume_at"].startswith("2026-11-24T10:40")
    api.clock.advance(minutes=25)  # 10:45: due, not yet recorded
    # No job has run yet: the check-in records the resume (10:30 -> 11:10) before the window check.
    r = api.call("POST", "/kiosk/checkin", day["kiosk"], json={"booking_code": day["booked"][0]["booking_code"]})
    assert r.status_code == 201 and r.get_json()["appointment_at"] == "2026-11-24T11:10:00+02:00"
    assert times(api, day["cc"]) == [("11:10", "waiting"), ("11:40", "booked"), ("12:10", "booked"),
                                     ("12:30", "needs_rebooking")]
    with db.read() as s:
        row = s.scalar(select(Suspension))
        assert row is not None and row.ended_at is not None
        assert row.ended_at.isoformat().startswith("2026-11-24T08:40")  # exact, though recorded at 10:45


def test_a_bad_or_repeated_resume_changes_nothing_and_nothing_shifts_twice(api, db, day) -> None:
    assert api.call("POST", "/offices/T1/suspend", day["manager"], json={"reason": "air_raid"}).status_code == 200
    api.clock.advance(minutes=60)
    before = fingerprint(db)
    bad = api.call("POST", "/offices/T1/resume", day["manager"], json={"after_min": -5})
    assert bad.status_code == 422
    assert api.call("POST", "/offices/T1/resume", day["cc"], json={}).status_code == 403
    assert fingerprint(db) == before
    assert api.call("POST", "/offices/T1/resume", day["manager"], json={}).status_code == 200
    shifted = fingerprint(db)
    again = api.call("POST", "/offices/T1/resume", day["manager"], json={})
    assert again.status_code == 409 and again.get_json()["code"] == "not_suspended"
    assert fingerprint(db) == shifted
    assert [t for t, _ in times(api, day["cc"])] == ["11:30", "12:00", "12:30", "12:30"]


def test_two_writers_recording_one_due_resume_shift_once(api, db, day) -> None:
    """Two writers (jobs of two processes, a job and a check-in) loaded the open row; only the first claim shifts."""
    assert api.call("POST", "/offices/T1/suspend", day["manager"], json={"reason": "air_raid"}).status_code == 200
    api.clock.advance(minutes=60)
    now = api.clock.now()
    with db.read() as s:
        stale = open_suspension(s, 1)  # loaded by the second writer before the first one commits
        assert stale is not None and stale.ended_at is None
    for expected in (True, False):
        with SqlUnitOfWork(db, MessageBus(in_transaction=IN_TRANSACTION).within) as uow:
            row = uow.session.merge(stale, load=False)  # the row as that writer last saw it
            office = uow.session.get(Office, row.office_id)
            assert office is not None
            assert _close(uow, office, row, now, now, None) is expected
            uow.commit()
    assert [t for t, _ in times(api, day["cc"])] == ["11:30", "12:00", "12:30", "12:30"]
    with db.read() as s:
        assert len(s.scalars(select(AuditLog).where(AuditLog.action == "appointment.shift")).all()) == 1


def test_eight_jobs_and_kiosks_racing_over_a_due_resume_shift_the_day_once(api, db, day) -> None:
    """Real threads on the real database: four processes' resume jobs and four kiosks at once. The
    kiosks get their tickets without recording anything; one job records the resume and shifts."""
    r = pause(api, day, 20, after_min=40)  # reopening at 11:00: a one-hour pause
    assert r.status_code == 200
    api.clock.advance(minutes=45)
    publisher = RecordingPublisher()
    barrier = threading.Barrier(8)

    def writer(n: int) -> str:
        barrier.wait()
        run = services(db, api.clock, publisher)
        if n % 2:
            return f"job:{run.value(resume_due)}"
        result = run.value(queue.issue_ticket, office_code="T1", service_code="consult")
        return str(result.ticket["code"])  # type: ignore[index]

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(writer, range(8)))
    tickets = [o for o in outcomes if not o.startswith("job:")]
    assert len(set(tickets)) == 4
    assert sorted(o for o in outcomes if o.startswith("job:")) == ["job:0", "job:0", "job:0", "job:1"]
    resumed = [e for e in publisher.events if e.name == "resumed"]
    assert len(resumed) == 1 and resumed[0].payload["appointments_moved"] == 3
    assert [t for t, _ in times(api, day["cc"])] == ["11:30", "12:00", "12:30", "12:30"]
    with db.read() as s:
        assert len(s.scalars(select(AuditLog).where(AuditLog.action == "appointment.shift")).all()) == 1

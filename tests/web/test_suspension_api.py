"""Air-raid and blackout suspension through the contract: kiosks 503, desks 409, the queue kept,
resume by hand or scheduled (fake clock), roles, the phone page and the reports' intervals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from reception.audit.models import AuditLog
from reception.offices.models import Office, Suspension
from reception.offices.suspension import suspension_intervals
from reception.queue.models import Ticket
from tests.web.test_bad_input import fingerprint

UK_ALERT = "Повітряна тривога. Видача талонів призупинена. Пройдіть в укриття."


@pytest.fixture
def hall(api) -> dict[str, str]:
    tokens = {"kiosk": api.device("kiosk"), "op": api.user("op", ["operator"]),
              "manager": api.user("boss", ["manager"])}
    assert api.call("POST", "/desks/1/open", tokens["op"]).status_code == 200
    return tokens


def take(api: Any, kiosk: str, service: str = "consult", **kw: Any) -> Any:
    return api.call("POST", "/kiosk/tickets", kiosk, json={"service": service}, **kw)


def suspend(api: Any, token: str | None, reason: str = "air_raid", office: str = "T1", **body: Any) -> Any:
    return api.call("POST", f"/offices/{office}/suspend", token, json={"reason": reason, **body})


def resume(api: Any, token: str, office: str = "T1", **body: Any) -> Any:
    return api.call("POST", f"/offices/{office}/resume", token, json=body)


def events(app: Any) -> list[str]:
    return [e.name for e in app.config["publisher"].events]


def test_suspended_kiosk_refuses_with_503_in_plain_ukrainian_and_issues_nothing(api, db, hall, app) -> None:
    first = take(api, hall["kiosk"]).get_json()
    r = suspend(api, hall["manager"], note="Сирена о 10:00")
    assert r.status_code == 200
    state = r.get_json()
    assert state["code"] == "T1" and state["suspended"]["reason"] == "air_raid"
    assert state["suspended"]["since"].startswith("2026-11-24T10:00") and "resume_at" not in state["suspended"]
    assert events(app)[-1] == "suspended"

    before = fingerprint(db)
    refused = take(api, hall["kiosk"])
    assert refused.status_code == 503 and refused.mimetype == "application/problem+json"
    problem = refused.get_json()
    assert problem["code"] == "office_suspended" and problem["detail"] == UK_ALERT
    english = take(api, hall["kiosk"], query_string={"lang": "en"}).get_json()
    assert english["detail"].startswith("Air-raid alert.")
    assert fingerprint(db) == before  # nothing issued, nothing numbered

    menu = api.call("GET", "/kiosk/menu", hall["kiosk"]).get_json()
    assert menu["suspended"]["reason"] == "air_raid" and menu["suspended"]["message"] == UK_ALERT
    assert menu["suspended"]["title"] == "Повітряна тривога"
    assert all(not s["available"] and s["unavailable_reason"] == "office_suspended" for s in menu["services"])

    phone = api.call("GET", f"/tickets/{first['public_token']}").get_json()
    assert phone["suspended"]["title_uk"] == "Повітряна тривога" and phone["status"] == "waiting"
    assert "Ваш талон зберігає місце в черзі." in phone["suspended"]["message_uk"]


def test_desk_cannot_call_while_suspended_and_the_waiting_keep_their_places(api, db, hall) -> None:
    tickets = [take(api, hall["kiosk"]).get_json() for _ in range(3)]
    suspend(api, hall["manager"], "blackout")
    with db.read() as s:
        before = [(t.id, t.status, t.queued_at) for t in s.scalars(select(Ticket).order_by(Ticket.id))]
    r = api.call("POST", "/desks/1/call-next", hall["op"])
    assert r.status_code == 409
    assert r.get_json()["code"] == "office_suspended"
    assert r.get_json()["detail"].startswith("Знеструмлення: прийом призупинено.")
    with db.read() as s:
        assert [(t.id, t.status, t.queued_at) for t in s.scalars(select(Ticket).order_by(Ticket.id))] == before

    assert resume(api, hall["manager"]).get_json() == {"code": "T1", "suspended": None}
    called = [api.call("POST", f"/desks/{d}/call-next", hall["op"]).get_json()["code"] for d in ("1",)]
    assert called == [tickets[0]["code"]]  # the queue carries on in the same order


def test_resume_by_hand_lets_kiosks_issue_and_numbering_continues(api, hall, app) -> None:
    assert take(api, hall["kiosk"]).get_json()["code"] == "К-001"
    suspend(api, hall["manager"])
    assert take(api, hall["kiosk"]).status_code == 503
    r = resume(api, hall["manager"])
    assert r.status_code == 200 and r.get_json()["suspended"] is None
    assert events(app)[-1] == "resumed"
    assert take(api, hall["kiosk"]).get_json()["code"] == "К-002"
    assert api.call("GET", "/kiosk/menu", hall["kiosk"]).get_json()["suspended"] is None


def test_scheduled_resume_happens_at_its_time_without_a_request(api, db, hall, clock, app) -> None:
    suspend(api, hall["manager"])
    clock.advance(minutes=40)
    state = resume(api, hall["manager"], after_min=10).get_json()
    assert state["suspended"]["resume_at"].startswith("2026-11-24T10:50")
    assert events(app)[-1] == "suspended"  # the notice now carries the time it ends
    said = app.config["publisher"].events[-1].payload["announce_uk"]
    assert said == "Відбій повітряної тривоги. Прийом відвідувачів відновиться через десять хвилин."

    clock.advance(minutes=9)
    assert take(api, hall["kiosk"]).status_code == 503
    assert api.call("GET", "/kiosk/menu", hall["kiosk"]).get_json()["suspended"]["resume_message"] == \
        "Прийом відновиться о 10:50."

    clock.advance(minutes=1)
    # Reads see the office working at once, before anything is written.
    assert api.call("GET", "/kiosk/menu", hall["kiosk"]).get_json()["suspended"] is None
    assert api.call("GET", "/offices/T1/suspension", hall["op"]).get_json()["suspended"] is None
    # Issuing asks the rule, records nothing: the visitor gets a ticket before any job has run.
    assert take(api, hall["kiosk"]).status_code == 201
    assert events(app)[-1] == "issued"
    with db.read() as s:
        assert s.scalar(select(Suspension)).ended_at is None
    # The periodic job records the end (at the scheduled minute) and tells the displays, once.
    clock.advance(minutes=3)
    job = app.extensions["reception.resume_scheduler"]
    assert job.tick() is True
    assert events(app)[-1] == "resumed"
    assert app.config["publisher"].events[-1].payload["resumed_at"] == "2026-11-24T10:50:00+02:00"
    with db.read() as s:
        row = s.scalar(select(Suspension))
        assert row.ended_at == row.resume_at == row.since + timedelta(minutes=50)
    clock.advance(seconds=30)
    assert job.tick() is True and events(app)[-1] == "resumed"  # ran again, found nothing to record
    assert events(app).count("resumed") == 1


def test_all_clear_follows_the_offices_rule(api, hall, clock) -> None:
    suspend(api, hall["manager"])
    clock.advance(minutes=25)
    state = resume(api, hall["manager"], all_clear=True).get_json()
    assert state["suspended"]["resume_at"].startswith("2026-11-24T10:35")  # 10 minutes after the all-clear


def test_a_new_alert_before_the_scheduled_resume_cancels_it(api, hall, clock) -> None:
    suspend(api, hall["manager"])
    resume(api, hall["manager"], after_min=10)
    clock.advance(minutes=5)
    again = suspend(api, hall["manager"])
    assert again.status_code == 200 and "resume_at" not in again.get_json()["suspended"]
    clock.advance(minutes=30)
    assert take(api, hall["kiosk"]).status_code == 503


def test_a_new_alert_after_the_scheduled_resume_opens_a_new_record(api, db, hall, clock, app) -> None:
    suspend(api, hall["manager"])
    resume(api, hall["manager"], after_min=10)
    clock.advance(minutes=30)  # reopened at 10:10, nobody wrote since
    assert suspend(api, hall["manager"], "blackout").status_code == 200
    assert events(app)[-2:] == ["resumed", "suspended"]
    with db.read() as s:
        rows = s.scalars(select(Suspension).order_by(Suspension.id)).all()
        assert [(r.reason, r.ended_at is None) for r in rows] == [("air_raid", False), ("blackout", True)]
        assert rows[0].ended_at == rows[0].since + timedelta(minutes=10)


def test_suspending_twice_or_resuming_a_working_office_is_a_clear_409(api, db, hall) -> None:
    before = fingerprint(db)
    r = resume(api, hall["manager"])
    assert r.status_code == 409 and r.get_json()["code"] == "not_suspended"
    assert fingerprint(db) == before
    suspend(api, hall["manager"])
    r = suspend(api, hall["manager"], "blackout")
    assert r.status_code == 409 and r.get_json()["code"] == "already_suspended"
    assert "вже призупинено (з 10:00)" in r.get_json()["detail"]


@pytest.mark.parametrize("body", [{"reason": "war"}, {}, {"reason": "air_raid", "extra": 1},
                                  {"reason": "air_raid", "note": "x" * 501}])
def test_bad_suspend_input_is_422_and_changes_nothing(api, db, hall, body) -> None:
    before = fingerprint(db)
    r = api.call("POST", "/offices/T1/suspend", hall["manager"], json=body)
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert fingerprint(db) == before


@pytest.mark.parametrize("after_min", [-1, 241, "soon"])
def test_bad_resume_delay_is_422(api, hall, after_min) -> None:
    suspend(api, hall["manager"])
    assert resume(api, hall["manager"], after_min=after_min).status_code == 422


def test_only_a_manager_of_that_office_or_an_admin_may_suspend(api, db, hall) -> None:
    from tests.fakes import build_office

    build_office(db, "T2")
    other = api.user("boss2", ["manager"], ["T2"])
    before = fingerprint(db)
    assert suspend(api, hall["op"]).status_code == 403
    assert suspend(api, other).status_code == 403
    assert suspend(api, hall["kiosk"]).status_code == 403
    assert suspend(api, None).status_code == 401
    assert fingerprint(db) == before
    admin = api.user("root", ["admin"], [])
    assert suspend(api, admin).status_code == 200
    assert resume(api, other).status_code == 403
    assert resume(api, admin).status_code == 200
    assert suspend(api, admin, office="NOPE").status_code == 404
    with db.read() as s:
        actions = s.scalars(select(AuditLog.action).where(AuditLog.object_type == "office",
                                                          AuditLog.action != "office.create").order_by(AuditLog.id))
        assert list(actions) == ["office.suspend", "office.resume"]  # the refused attempts left no entry


def test_other_offices_keep_working(api, db, hall) -> None:
    from tests.fakes import build_office

    build_office(db, "T2")
    kiosk2 = api.device("kiosk", "T2")
    suspend(api, hall["manager"])
    assert take(api, kiosk2).status_code == 201


def test_suspension_intervals_clip_to_the_period(api, db, hall, clock) -> None:
    start = clock.now()
    suspend(api, hall["manager"])
    clock.advance(minutes=20)
    resume(api, hall["manager"])
    clock.advance(minutes=60)
    suspend(api, hall["manager"], "blackout")
    clock.advance(minutes=15)
    resume(api, hall["manager"], after_min=10)
    with db.read() as s:
        office_id = s.scalar(select(Office.id).where(Office.code == "T1"))
        whole = suspension_intervals(s, office_id, start - timedelta(hours=1), start + timedelta(hours=5))
        assert [(a - start, b - start) for a, b in whole] == [
            (timedelta(0), timedelta(minutes=20)), (timedelta(minutes=80), timedelta(minutes=105))]
        part = suspension_intervals(s, office_id, start + timedelta(minutes=10), start + timedelta(minutes=90))
        assert [(a - start, b - start) for a, b in part] == [
            (timedelta(minutes=10), timedelta(minutes=20)), (timedelta(minutes=80), timedelta(minutes=90))]
        assert suspension_intervals(s, office_id, start + timedelta(minutes=30), start + timedelta(minutes=70)) == []

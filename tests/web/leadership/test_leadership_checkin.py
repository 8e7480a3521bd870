"""Kiosk check-in by booking code, and the leader's desk calling booked visitors first."""

from __future__ import annotations

import pytest

from tests.web.leadership.builders import todays_reception

VISITOR = {"surname": "Коваль", "name": "Олена"}


@pytest.fixture
def booked(api, db, clock):
    """Today (Tue 24 Nov, 10:00 Kyiv) 11:00-13:00 in room 412; two bookings at 11:00 and 12:30."""
    cc, session = todays_reception(api, db, clock)
    assert session["date"] == "2026-11-24"
    codes = []
    for slot in (session["slots"][0]["at"], session["slots"][3]["at"]):
        r = api.call("POST", f"/reception-sessions/{session['id']}/appointments", cc,
                     json={"visitor": VISITOR, "topic": "Спадщина", "slot": slot})
        assert r.status_code == 201, r.get_json()
        codes.append(r.get_json()["booking_code"])
    return {"codes": codes, "kiosk": api.device("kiosk", printer_url="dummy://"), "cc": cc, "session": session}


def test_checkin_issues_the_appointment_ticket(api, booked) -> None:
    r = api.call("POST", "/kiosk/checkin", booked["kiosk"], json={"booking_code": booked["codes"][0].lower()})
    assert r.status_code == 201, r.get_json()
    ticket = r.get_json()
    assert ticket["code"] == "П-001" and ticket["service"] == "leadership"
    assert ticket["priority"] == "appointment" and ticket["appointment_at"] == "2026-11-24T11:00:00+02:00"
    assert ticket["status_url"].startswith("http://test/t/") and ticket["print"]["ok"] is True
    # told their slot and room, not a queue estimate
    assert ticket["appointment_room_uk"] == "Кабінет 412" and ticket["eta_min"] is None and ticket["position"] is None
    assert "Коваль" not in str(ticket)
    day = api.call("GET", "/desks/412/appointments?date=2026-11-24", booked["cc"]).get_json()
    visitors = day[0]["appointments"]
    assert [v["effective_status"] for v in visitors] == ["waiting", "booked"]
    assert visitors[0]["ticket_code"] == "П-001"


def test_checkin_refusals(api, booked) -> None:
    kiosk = booked["kiosk"]
    r = api.call("POST", "/kiosk/checkin?lang=uk", kiosk, json={"booking_code": "KKK-KKK"})
    assert r.status_code == 404 and "Код запису не знайдено" in r.get_json()["detail"]
    assert api.call("POST", "/kiosk/checkin", kiosk, json={"booking_code": "0O1"}).status_code == 404
    r = api.call("POST", "/kiosk/checkin?lang=uk", kiosk, json={"booking_code": booked["codes"][1]})
    assert r.status_code == 409 and r.get_json()["code"] == "checkin_too_early"
    assert "12:30" in r.get_json()["detail"] and "11:30" in r.get_json()["detail"]
    assert api.call("POST", "/kiosk/checkin", kiosk, json={"booking_code": booked["codes"][0]}).status_code == 201
    r = api.call("POST", "/kiosk/checkin?lang=en", kiosk, json={"booking_code": booked["codes"][0]})
    assert r.status_code == 409 and r.get_json()["code"] == "checkin_twice" and "П-001" in r.get_json()["detail"]
    # Staff tokens are not kiosks.
    assert api.call("POST", "/kiosk/checkin", booked["cc"], json={"booking_code": booked["codes"][0]}).status_code == 403


def test_cancelled_and_late_checkins_are_refused(api, booked, clock) -> None:
    found = api.call("GET", f"/appointments?code={booked['codes'][1]}", booked["cc"]).get_json()[0]
    api.call("POST", f"/appointments/{found['id']}/cancel", booked["cc"], json={})
    r = api.call("POST", "/kiosk/checkin", booked["kiosk"], json={"booking_code": booked["codes"][1]})
    assert r.status_code == 409 and r.get_json()["code"] == "checkin_cancelled"
    clock.advance(hours=1, minutes=31)  # 11:31: the 11:00 slot's window closed at 11:30
    r = api.call("POST", "/kiosk/checkin", booked["kiosk"], json={"booking_code": booked["codes"][0]})
    assert r.status_code == 409 and r.get_json()["code"] == "checkin_too_late"


def test_leadership_takes_no_walk_in_by_default(api, booked, db) -> None:
    before = _rows(db)
    r = api.call("POST", "/kiosk/tickets", booked["kiosk"], json={"service": "leadership"})
    assert r.status_code == 409 and r.get_json()["code"] == "booking_required"
    assert "код запису" in r.get_json()["detail"] and _rows(db) == before
    menu = api.call("GET", "/kiosk/menu", booked["kiosk"]).get_json()
    leadership = next(s for s in menu["services"] if s["code"] == "leadership")
    assert leadership["available"] is False and leadership["unavailable_reason"] == "booking_required"


def _rows(db) -> tuple[int, int]:
    from sqlalchemy import func, select

    from reception.queue.models import Ticket, TicketCounter

    with db.read() as s:
        return s.scalar(select(func.count(Ticket.id))), s.scalar(select(func.count(TicketCounter.day)))


def test_leader_calls_booked_visitor_before_walk_ins(api, booked, db, clock) -> None:
    from sqlalchemy import update

    from reception.offices.models import Service

    with db.write() as s:  # this office's leadership reception also takes walk-ins
        s.execute(update(Service).where(Service.code == "leadership").values(walk_ins=True))
    kiosk = booked["kiosk"]
    walk_in = api.call("POST", "/kiosk/tickets", kiosk, json={"service": "leadership"})
    assert walk_in.status_code == 201
    clock.advance(minutes=50)
    assert api.call("POST", "/kiosk/checkin", kiosk, json={"booking_code": booked["codes"][0]}).status_code == 201
    clock.advance(minutes=15)  # 11:05, the slot has come
    r = api.client.post("/api/v1/auth/token", json={"username": "boss", "password": "secret-pass-1"})
    boss = r.get_json()["token"]
    assert api.call("POST", "/desks/412/open", boss).status_code == 200
    first = api.call("POST", "/desks/412/call-next", boss).get_json()
    assert first["code"] == "П-002" and first["call_rule"] == "appointment"
    clock.advance(minutes=20)
    second = api.call("POST", "/desks/412/call-next", boss).get_json()
    assert second["code"] == "П-001"


def test_todays_hours_for_the_wall_display(api, booked, db, clock) -> None:
    from reception.leadership.public_schedule import todays_reception_hours

    hours = todays_reception_hours(db, clock, "T1", "uk")
    assert hours == [{"leader": "Андрій Бондаренко", "position": "Заступник Міністра", "start": "11:00",
                      "end": "13:00", "room": "Кабінет 412", "remote": False}]
    assert todays_reception_hours(db, clock, "T1", "en")[0]["room"] == "Room 412"
    assert todays_reception_hours(db, clock, "NOPE", "uk") == []
    assert "Коваль" not in str(hours)

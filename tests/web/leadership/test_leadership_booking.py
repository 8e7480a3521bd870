"""Schedules, sessions and call-centre booking through the API (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from reception.kernel.identity import Actor
from reception.leadership import booking
from reception.leadership.models import Appointment, ReceptionSession
from tests.fakes import race
from tests.web.leadership.builders import LEADER, add_leadership, set_settings

VISITOR = {"surname": "Петренко", "name": "Іван", "patronymic": "Олексійович", "phone": "+380501234567"}


@pytest.fixture
def setup(api, db, clock):
    add_leadership(db)
    tokens = {"mgr": api.user("mgr", ["manager"]), "cc": api.user("cc", ["call_centre"]),
              "aud": api.user("aud", ["auditor"])}
    return tokens


def _leader_and_rule(api, mgr: str, **rule):
    r = api.call("POST", "/leaders", mgr, json={"office": "T1", **LEADER})
    assert r.status_code == 201, r.get_json()
    leader = r.get_json()["id"]
    body = {"desk": "412", "weekday": 4, "start": "10:00", "end": "12:00", "slot_min": 15, "capacity": 8,
            "valid_from": "2026-11-01"} | rule
    r = api.call("POST", f"/leaders/{leader}/rules", mgr, json=body)
    assert r.status_code == 201, r.get_json()
    return leader, r.get_json()


def _sessions(api, token: str, **q: str):
    query = "&".join(f"{k}={v}" for k, v in ({"office": "T1"} | q).items())
    r = api.call("GET", f"/reception-sessions?{query}", token)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_rule_materialises_sessions_with_contract_shape(api, setup) -> None:
    leader, rule = _leader_and_rule(api, setup["mgr"])
    assert rule["sessions_created"] == 13  # Thursdays 26 Nov 2026 .. 18 Feb 2027 (90-day horizon)
    sessions = _sessions(api, setup["aud"], **{"from": "2026-11-24", "to": "2026-12-31"})
    first = sessions[0]
    assert {"id", "leader", "date", "start", "end", "desk", "capacity", "booked", "slots"} <= set(first)
    assert (first["leader"], first["date"], first["start"], first["end"], first["desk"]) == (
        leader, "2026-11-26", "10:00", "12:00", "412")
    assert first["capacity"] == 8 and first["booked"] == 0
    assert first["slots"][0] == {"index": 0, "at": "2026-11-26T10:00:00+02:00", "time": "10:00", "free": True}
    # Materialising again is idempotent.
    from reception.leadership.sessions import materialise_office

    w = api.client.application.extensions["reception"]
    office_id = w.db.read().__enter__().scalar(select(ReceptionSession.office_id))
    assert w.services.value(materialise_office, office_id) == 0
    assert len(_sessions(api, setup["aud"], **{"from": "2026-11-24", "to": "2026-12-31"})) == 6


def test_roles_and_bad_rules(api, setup) -> None:
    body = {"office": "T1", **LEADER}
    assert api.call("POST", "/leaders", setup["cc"], json=body).status_code == 403
    leader, _ = _leader_and_rule(api, setup["mgr"])
    bad = {"desk": "412", "weekday": 4, "start": "13:00", "end": "10:00", "slot_min": 15, "valid_from": "2026-11-01"}
    r = api.call("POST", f"/leaders/{leader}/rules?lang=uk", setup["mgr"], json=bad)
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert "Правило прийому некоректне" in r.get_json()["detail"]
    r = api.call("POST", f"/leaders/{leader}/rules", setup["mgr"], json=bad | {"start": "09:00", "desk": "nope"})
    assert r.status_code == 404
    assert api.call("POST", f"/leaders/{leader}/rules", setup["mgr"], json=bad | {"weekday": 8}).status_code == 422


def test_book_cancel_rebook(api, setup, db) -> None:
    _leader_and_rule(api, setup["mgr"])
    s1, s2 = _sessions(api, setup["cc"])[1:3]
    r = api.call("POST", f"/reception-sessions/{s1['id']}/appointments", setup["cc"],
                 json={"visitor": VISITOR, "topic": "Виконання судового рішення", "category": "war_disability"})
    assert r.status_code == 201, r.get_json()
    appt = r.get_json()
    assert {"id", "slot", "booking_code"} <= set(appt)
    assert appt["slot"] == s1["slots"][0]["at"] and len(appt["booking_code"]) == 7
    assert appt["booking_code"] in appt["confirmation"]["uk"] and "Кабінет 412" in appt["confirmation"]["uk"]
    assert "Room 412" in appt["confirmation"]["en"]
    # A chosen slot; the same slot again is refused; a time that is no slot is refused.
    slot = s1["slots"][3]["at"]
    r = api.call("POST", f"/reception-sessions/{s1['id']}/appointments", setup["cc"],
                 json={"visitor": VISITOR, "topic": "x", "slot": slot})
    assert r.status_code == 201 and r.get_json()["slot"] == slot
    r = api.call("POST", f"/reception-sessions/{s1['id']}/appointments", setup["cc"],
                 json={"visitor": VISITOR, "topic": "x", "slot": slot})
    assert r.status_code == 409 and r.get_json()["code"] == "slot_taken"
    r = api.call("POST", f"/reception-sessions/{s1['id']}/appointments", setup["cc"],
                 json={"visitor": VISITOR, "topic": "x", "slot": "2026-12-03T10:07:00+02:00"})
    assert r.status_code == 422
    assert _sessions(api, setup["cc"])[1]["booked"] == 2
    # Cancel frees the place; twice is refused.
    r = api.call("POST", f"/appointments/{appt['id']}/cancel", setup["cc"], json={"reason": "за проханням"})
    assert r.status_code == 200 and r.get_json()["status"] == "cancelled"
    assert api.call("POST", f"/appointments/{appt['id']}/cancel", setup["cc"], json={}).status_code == 409
    assert _sessions(api, setup["cc"])[1]["booked"] == 1
    # Rebook the other one into the next session: same code, counters follow.
    other = api.call("GET", f"/reception-sessions/{s1['id']}/appointments", setup["cc"]).get_json()
    active = [a for a in other if a["status"] == "booked"][0]
    r = api.call("POST", f"/appointments/{active['id']}/rebook", setup["cc"], json={"session": s2["id"]})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["booking_code"] == active["booking_code"] and r.get_json()["session"] == s2["id"]
    booked = {s["id"]: s["booked"] for s in _sessions(api, setup["cc"])}
    assert booked[s1["id"]] == 0 and booked[s2["id"]] == 1
    found = api.call("GET", f"/appointments?code={active['booking_code'].lower()}", setup["cc"]).get_json()
    assert [a["id"] for a in found] == [active["id"]]


def test_full_session_says_full(api, setup) -> None:
    _leader_and_rule(api, setup["mgr"], capacity=2)
    sid = _sessions(api, setup["cc"])[1]["id"]
    for _ in range(2):
        assert api.call("POST", f"/reception-sessions/{sid}/appointments", setup["cc"],
                        json={"visitor": VISITOR, "topic": "x"}).status_code == 201
    r = api.call("POST", f"/reception-sessions/{sid}/appointments?lang=en", setup["cc"],
                 json={"visitor": VISITOR, "topic": "x"})
    assert r.status_code == 409 and r.get_json()["code"] == "session_full"
    assert "fully booked" in r.get_json()["detail"]
    assert all(not s["free"] for s in _sessions(api, setup["cc"])[1]["slots"])


def test_booking_closes_working_days_before(api, setup, db) -> None:
    # Today is Tuesday 24 Nov; Thursday's session with a 2-working-day cut-off closed today.
    set_settings(db, booking_cutoff_working_days=2)
    _leader_and_rule(api, setup["mgr"])
    first, second = _sessions(api, setup["cc"])[:2]
    assert first["booking_open"] is False and first["booking_last_day"] == "2026-11-24" or first["date"] == "2026-11-26"
    set_settings(db, booking_cutoff_working_days=3)
    r = api.call("POST", f"/reception-sessions/{first['id']}/appointments", setup["cc"],
                 json={"visitor": VISITOR, "topic": "x"})
    assert r.status_code == 409 and r.get_json()["code"] == "booking_closed"
    assert api.call("POST", f"/reception-sessions/{second['id']}/appointments", setup["cc"],
                    json={"visitor": VISITOR, "topic": "x"}).status_code == 201


def test_exceptions_cancel_and_move(api, setup) -> None:
    _, rule = _leader_and_rule(api, setup["mgr"])
    s1 = _sessions(api, setup["cc"])[1]  # Thursday 3 Dec
    appt = api.call("POST", f"/reception-sessions/{s1['id']}/appointments", setup["cc"],
                    json={"visitor": VISITOR, "topic": "x"}).get_json()
    path = f"/reception-rules/{rule['id']}/exceptions"
    r = api.call("POST", path, setup["mgr"], json={"date": "2026-12-02", "action": "cancel"})
    assert r.status_code == 422 and r.get_json()["code"] == "not_rule_date"
    # Move 3 Dec to Friday 4 Dec 14:00-16:00: the booking keeps its slot position.
    r = api.call("POST", path, setup["mgr"], json={"date": "2026-12-03", "action": "move", "new_date": "2026-12-04",
                                                   "start": "14:00", "end": "16:00", "reason": "відрядження"})
    assert r.status_code == 201, r.get_json()
    assert [a["id"] for a in r.get_json()["affected_appointments"]] == [appt["id"]]
    moved = [s for s in _sessions(api, setup["cc"]) if s["id"] == s1["id"]][0]
    assert (moved["date"], moved["start"], moved["note"]) == ("2026-12-04", "14:00", "moved")
    found = api.call("GET", f"/appointments?code={appt['booking_code']}", setup["cc"]).get_json()[0]
    assert found["slot"] == "2026-12-04T14:00:00+02:00"
    assert api.call("POST", path, setup["mgr"], json={"date": "2026-12-03", "action": "cancel"}).status_code == 409
    # Cancel 10 Dec: session cancelled, its bookings cancelled and returned for the call-centre.
    s2 = _sessions(api, setup["cc"])[2]
    a2 = api.call("POST", f"/reception-sessions/{s2['id']}/appointments", setup["cc"],
                  json={"visitor": VISITOR, "topic": "x"}).get_json()
    r = api.call("POST", path, setup["mgr"], json={"date": "2026-12-10", "action": "cancel", "reason": "хвороба"})
    assert r.status_code == 201
    assert r.get_json()["affected_appointments"][0]["phone"] == VISITOR["phone"]
    after = [s for s in _sessions(api, setup["cc"]) if s["id"] == s2["id"]][0]
    assert after["status"] == "cancelled" and after["booked"] == 0
    assert api.call("GET", f"/appointments?code={a2['booking_code']}", setup["cc"]).get_json()[0]["status"] == "cancelled"


def test_remote_session_link_in_confirmation(api, setup) -> None:
    _leader_and_rule(api, setup["mgr"])
    sid = _sessions(api, setup["cc"])[1]["id"]
    r = api.call("PATCH", f"/reception-sessions/{sid}", setup["mgr"], json={"remote": True})
    assert r.status_code == 422
    r = api.call("PATCH", f"/reception-sessions/{sid}", setup["mgr"],
                 json={"remote": True, "video_url": "https://meet.example.gov.ua/abc"})
    assert r.status_code == 200 and r.get_json()["remote"] is True
    appt = api.call("POST", f"/reception-sessions/{sid}/appointments", setup["cc"],
                    json={"visitor": VISITOR, "topic": "x"}).get_json()
    assert "https://meet.example.gov.ua/abc" in appt["confirmation"]["uk"]
    assert "відеозвʼязком" in appt["confirmation"]["uk"] and "video link" in appt["confirmation"]["en"]


def test_public_views_hold_no_personal_data(api, setup, client) -> None:
    _leader_and_rule(api, setup["mgr"])
    sid = _sessions(api, setup["cc"])[1]["id"]
    api.call("POST", f"/reception-sessions/{sid}/appointments", setup["cc"], json={"visitor": VISITOR, "topic": "x"})
    page = client.get("/schedule?office=T1").get_data(as_text=True)
    assert "Андрій Бондаренко" in page and "Кабінет 412" in page
    assert "Петренко" not in page and "+380" not in page


def test_twenty_concurrent_bookings_for_eight_places(api, setup, db, db_url) -> None:
    _leader_and_rule(api, setup["mgr"], capacity=8, end="13:00")  # 12 slots, 8 places
    sid = _sessions(api, setup["cc"])[1]["id"]
    caller = Actor(user_id=None, roles=frozenset({"call_centre"}), office_ids=frozenset({1}))

    def book(uow: Any, clock: Any, i: int) -> Any:
        return booking.book(uow, clock, caller, sid, surname=f"Відвідувач{i}", name="Тест", topic="x")

    results = race(db_url, api.clock, book, [(i,) for i in range(20)])
    assert results.count("ok") == 8, results
    assert results.count("error.session_full") == 12
    with db.read() as s:
        rs = s.get(ReceptionSession, sid)
        slots = s.scalars(select(Appointment.slot_index).where(Appointment.session_id == sid)).all()
        assert rs is not None and rs.booked == 8
        assert sorted(slots) == list(range(8))  # eight distinct slots, the first eight
        assert s.scalar(select(func.count()).select_from(Appointment)) == 8




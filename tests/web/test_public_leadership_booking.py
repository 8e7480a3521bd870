"""Leadership reception booked from the public page where the office opens it, on both databases:
the sessions' free slots, the code, the leadership's own booking (its rules, a taken slot 409), the caps,
the cancel link, the kiosk's check-in; and where the office does not open it, nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from reception.booking.commands import confirm_booking
from reception.booking.models import BookingRule, LeadershipBooking
from reception.leadership.models import Appointment
from reception.offices.models import Office, Service
from tests.fakes import race
from tests.web.leadership.builders import add_leader, add_leadership, add_rule, set_settings
from tests.web.test_public_booking import code_of

WED_10 = "2026-11-25T10:00:00+02:00"  # the clock: Tuesday 24.11.2026 10:00 in Kyiv
VISITOR = {"surname": "Петренко", "name": "Олена", "email": "olena@example.com"}
TOPIC = "Ремонт дороги на вулиці Садовій"


def open_leadership(db, flag: bool = True) -> None:
    with db.write() as s:
        office = s.scalar(select(Office).where(Office.code == "T1"))
        service = s.scalar(select(Service).where(Service.code == "leadership"))
        assert office is not None and service is not None
        s.add(BookingRule(office_id=office.id, service_id=service.id,
                          settings={"leadership_public": flag, "verify_by": "email", "cap_per_day": 1}))


@pytest.fixture
def leadership(api, db, clock, office) -> int:
    """A leader receives on Wednesdays 10:00-12:00 in 15-minute slots, booked up to the day itself."""
    add_leadership(db)
    set_settings(db, booking_cutoff_working_days=0)
    leader = add_leader(db, clock)
    add_rule(db, clock, leader, weekday=3, start="10:00", end="12:00", slot_min=15, valid_from=date(2026, 11, 1))
    return leader


@pytest.fixture
def public(db, leadership) -> int:
    open_leadership(db)
    return leadership


def ask(api, at: str = WED_10, visitor: dict[str, Any] | None = None, topic: str | None = TOPIC):
    body: dict[str, Any] = {"office": "T1", "service": "leadership", "at": at, "visitor": visitor or VISITOR}
    if topic is not None:
        body["topic"] = topic
    return api.call("POST", "/public/bookings", json=body)


def confirm(api, db, request_id: str):
    return api.call("POST", f"/public/bookings/{request_id}/confirm", json={"code": code_of(db, request_id)})


def book(api, db, at: str = WED_10, visitor: dict[str, Any] | None = None) -> dict[str, Any]:
    r = ask(api, at, visitor)
    assert r.status_code == 202, r.get_json()
    r = confirm(api, db, r.get_json()["request_id"])
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def slots(api, day: str = "2026-11-25") -> list[dict[str, Any]]:
    r = api.call("GET", f"/public/slots?office=T1&service=leadership&date={day}")
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_listed_with_the_sessions_free_slots_then_booked_checked_in(api, db, public) -> None:
    (office,) = api.call("GET", "/public/offices").get_json()
    assert {"code": "leadership", "kind": "leadership"}.items() <= office["services"][-1].items()
    day = slots(api)
    assert len(day) == 8 and day[0] == {"at": WED_10, "free": 1} and all(set(s) == {"at", "free"} for s in day)
    assert slots(api, "2026-11-26") == []  # no reception on Thursday
    r = ask(api)
    assert r.status_code == 202 and r.get_json()["verify_by"] == "email"
    r = confirm(api, db, r.get_json()["request_id"])
    assert r.status_code == 201, r.get_json()
    booked = r.get_json()
    assert set(booked) == {"booking_code", "at", "service", "cancel_token"}
    assert booked["at"] == WED_10 and booked["service"] == "leadership"
    assert slots(api)[0]["free"] == 0
    cc = api.user("cc", ["call_centre"])
    (session,) = api.call("GET", "/reception-sessions?office=T1&from=2026-11-25&to=2026-11-25", cc).get_json()
    assert session["booked"] == 1 and session["slots"][0]["free"] is False  # the same read of what is free
    with db.read() as s:
        appt = s.scalar(select(Appointment))
        assert appt is not None and appt.topic == TOPIC and appt.surname == "Петренко" and appt.created_by is None
        link = s.get(LeadershipBooking, appt.id)
        assert link is not None and link.cancel_token_hash != booked["cancel_token"]
        assert "olena" not in str(link.email_key)
    # The kiosk checks the code in as any leadership booking.
    kiosk = api.device("kiosk")
    api.clock.advance(hours=23, minutes=50)  # Wednesday 09:50
    r = api.call("POST", "/kiosk/checkin", kiosk, json={"booking_code": booked["booking_code"]})
    assert r.status_code == 201, r.get_json()
    with db.read() as s:
        appt = s.scalar(select(Appointment))
        assert appt is not None and appt.status == "checked_in" and appt.ticket_id is not None


def test_cancel_by_the_token_frees_the_slot(api, db, public) -> None:
    booked = book(api, db)
    wrong = api.call("POST", f"/public/bookings/{booked['booking_code']}/cancel", json={"cancel_token": "nope"})
    assert wrong.status_code == 404
    r = api.call("POST", f"/public/bookings/{booked['booking_code']}/cancel",
                 json={"cancel_token": booked["cancel_token"]})
    assert r.status_code == 200 and r.get_json()["status"] == "cancelled"
    assert slots(api)[0]["free"] == 1
    with db.read() as s:
        appt = s.scalar(select(Appointment))
        assert appt is not None and appt.status == "cancelled" and appt.session.booked == 0
    assert book(api, db)["at"] == WED_10  # the cancelled one counts for no cap


def test_a_topic_is_required_in_words(api, db, public) -> None:
    for topic in (None, "   "):
        r = ask(api, topic=topic)
        assert r.status_code == 422 and "тему звернення" in r.get_json()["detail"], r.get_json()


def test_slot_taken_closed_and_caps(api, db, public) -> None:
    first = ask(api).get_json()["request_id"]
    second = ask(api, visitor={**VISITOR, "email": "other@example.com"}).get_json()["request_id"]
    assert confirm(api, db, first).status_code == 201
    r = confirm(api, db, second)
    assert r.status_code == 409 and r.get_json()["code"] == "slot_taken"
    r = ask(api, visitor={**VISITOR, "email": "third@example.com"})
    assert r.status_code == 409 and r.get_json()["code"] == "slot_taken"
    r = ask(api, "2026-11-25T10:15:00+02:00")  # one a day per e-mail
    assert r.status_code == 409 and r.get_json()["code"] == "booking_cap_reached"
    r = ask(api, "2026-11-25T10:05:00+02:00", {**VISITOR, "email": "x@example.com"})
    assert r.status_code == 422
    api.clock.advance(days=1, minutes=30)  # Wednesday 10:30: the 10:00 slots have begun
    r = ask(api, WED_10, {**VISITOR, "email": "late@example.com"})
    assert r.status_code == 409 and r.get_json()["code"] == "booking_closed"


def test_two_visitors_racing_for_one_slot_get_one_appointment(api, db, db_url, public) -> None:
    requests = [ask(api, visitor={**VISITOR, "email": f"v{i}@example.com"}).get_json()["request_id"]
                for i in range(4)]
    results = race(db_url, api.clock, confirm_booking, [(r, code_of(db, r)) for r in requests])
    assert sorted(results) == ["error.slot_taken"] * 3 + ["ok"], results
    with db.read() as s:
        assert len(s.scalars(select(Appointment)).all()) == 1
        assert len(s.scalars(select(LeadershipBooking)).all()) == 1
    assert slots(api)[0]["free"] == 0


@pytest.mark.parametrize("flag", [False, None])
def test_not_where_the_office_does_not_open_it(api, db, leadership, flag) -> None:
    if flag is not None:
        open_leadership(db, flag)
    assert all(s["code"] != "leadership" for o in api.call("GET", "/public/offices").get_json()
               for s in o["services"])
    assert api.call("GET", "/public/slots?office=T1&service=leadership&date=2026-11-25").status_code == 404
    assert ask(api).status_code == 404
    with db.read() as s:
        assert s.scalar(select(Appointment)) is None


def test_the_caps_digests_go_with_the_retention_run(api, db, public) -> None:
    from reception.leadership.retention import run_retention
    from tests.fakes import services

    book(api, db)
    with db.read() as s:
        link = s.scalar(select(LeadershipBooking))
        assert link is not None and link.email_key is not None
    api.clock.advance(days=95)
    services(db, api.clock).value(run_retention, None, None)
    with db.read() as s:
        link = s.scalar(select(LeadershipBooking))
        assert link is not None and link.email_key is None and link.phone_key is None


def test_the_call_centre_books_leadership_in_its_sessions_not_here(api, db, public) -> None:
    cc = api.user("cc", ["call_centre"])
    r = api.call("POST", "/bookings", cc, json={"office": "T1", "service": "leadership", "at": WED_10,
                                                "visitor": {**VISITOR, "phone": "050 111 22 33"}})
    assert r.status_code == 404
    with db.read() as s:
        assert s.scalar(select(Appointment)) is None

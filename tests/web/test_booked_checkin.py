"""A specialist booking at the kiosk and at the desk, on both databases: check-in, lateness, the call order."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from reception.booking.models import Booking
from reception.booking.setup import open_to_booking
from reception.queue.models import Ticket
from tests.web.test_public_booking import book

WED = "2026-11-25T{}:00+02:00"


def at_kyiv(hhmm: str) -> datetime:
    hours, minutes = hhmm.split(":")
    return datetime(2026, 11, 25, int(hours) - 2, int(minutes), tzinfo=UTC)


@pytest.fixture
def setup(api, db, office):
    open_to_booking(db, "T1", "consult", desks=["1"], per_slot=1,
                    office_rules={"verify_by": "email", "cap_per_day": 0, "cap_active": 0, "cap_per_month": 0,
                                  "late_after_min": 5, "late_action": "walk_in", "call_tolerance_min": 10})
    return {"kiosk": api.device("kiosk"), "op": api.user("op", ["operator"])}


def checkin(api, setup, code: str):
    return api.call("POST", "/kiosk/checkin", setup["kiosk"], json={"booking_code": code})


def test_checkin_on_time_issues_a_booked_ticket_called_before_the_live_queue(api, db, setup) -> None:
    booked = book(api, db, WED.format("10:00"))
    api.clock.set(at_kyiv("09:40"))
    walk_ins = [api.call("POST", "/kiosk/tickets", setup["kiosk"], json={"service": "consult"}).get_json()
                for _ in range(2)]
    api.clock.set(at_kyiv("09:52"))
    r = checkin(api, setup, booked["booking_code"].lower())
    assert r.status_code == 201, r.get_json()
    ticket = r.get_json()
    assert ticket["booked_for"] == WED.format("10:00")
    again = checkin(api, setup, booked["booking_code"])
    assert again.status_code == 409 and again.get_json()["code"] == "checkin_twice"
    with db.read() as s:
        booking = s.scalar(select(Booking))
        assert booking is not None and booking.status == "checked_in" and booking.ticket_id == ticket["id"]
    op = setup["op"]
    assert api.call("POST", "/desks/1/open", op, json={}).status_code == 200
    # 09:52: within the tolerance (10 min) of 10:00: the booked visitor goes before those who came earlier.
    called = api.call("POST", "/desks/1/call-next", op, json={}).get_json()
    assert called["code"] == ticket["code"] and called["booked_for"] == WED.format("10:00")
    api.clock.advance(minutes=3)  # past the double-click window
    nxt = api.call("POST", "/desks/1/call-next", op, json={}).get_json()
    assert nxt["code"] == walk_ins[0]["code"]


def test_checkin_too_early_then_late_becomes_a_walk_in(api, db, setup) -> None:
    booked = book(api, db, WED.format("10:15"))
    api.clock.set(at_kyiv("09:00"))
    r = checkin(api, setup, booked["booking_code"])
    assert r.status_code == 409 and r.get_json()["code"] == "checkin_too_early"
    api.clock.set(at_kyiv("10:21"))  # six minutes late: the rule says five
    r = checkin(api, setup, booked["booking_code"])
    assert r.status_code == 201 and r.get_json().get("booked_for") is None
    with db.read() as s:
        booking = s.scalar(select(Booking))
        assert booking is not None and booking.status == "lapsed"
        ticket = s.get(Ticket, booking.ticket_id)
        assert ticket is not None and ticket.booked_for is None


def test_late_refused_where_the_office_says_so_and_a_cancelled_booking(api, db, setup) -> None:
    open_to_booking(db, "T1", "appeal", office_rules={"late_action": "refuse", "late_after_min": 2})
    late = book(api, db, WED.format("10:15"))
    cancelled = book(api, db, WED.format("10:30"))
    api.call("POST", f"/public/bookings/{cancelled['booking_code']}/cancel", json={"cancel_token": cancelled["cancel_token"]})
    api.clock.set(at_kyiv("10:18"))
    r = checkin(api, setup, late["booking_code"])
    assert r.status_code == 409 and r.get_json()["code"] == "too_late" and "2" in r.get_json()["detail"]
    r = checkin(api, setup, cancelled["booking_code"])
    assert r.status_code == 409 and r.get_json()["code"] == "checkin_cancelled"
    with db.read() as s:
        assert s.scalar(select(Ticket)) is None
        assert s.scalar(select(Booking.status).where(Booking.booking_code == late["booking_code"].replace("-", ""))) \
            == "booked"


def test_another_offices_kiosk_does_not_know_the_code(api, db, setup) -> None:
    from tests.fakes import build_office

    booked = book(api, db, WED.format("10:00"))
    build_office(db, "T2")
    other = api.device("kiosk", "T2")
    api.clock.set(at_kyiv("09:55"))
    r = api.call("POST", "/kiosk/checkin", other, json={"booking_code": booked["booking_code"]})
    assert r.status_code == 404


def test_the_arrivals_report_splits_booked_remote_and_walk_in(api, db, setup) -> None:
    from reception.reports.arrivals import Visit, figures

    on_time = book(api, db, WED.format("10:00"))
    late = book(api, db, WED.format("10:15"))
    book(api, db, WED.format("10:30"))  # never comes
    book(api, db, WED.format("10:45"))  # an air-raid pause took its slot: to be booked again
    with db.write() as s:
        last = select(func.max(Booking.slot_at)).scalar_subquery()
        s.execute(update(Booking).where(Booking.slot_at == last).values(status="needs_rebooking"))
    api.clock.set(at_kyiv("09:50"))
    walk = api.call("POST", "/kiosk/tickets", setup["kiosk"], json={"service": "consult"}).get_json()
    assert checkin(api, setup, on_time["booking_code"]).status_code == 201
    op = setup["op"]
    api.call("POST", "/desks/1/open", op, json={})
    api.clock.set(at_kyiv("10:04"))
    assert api.call("POST", "/desks/1/call-next", op, json={}).get_json()["booked_for"]  # 4 min after the slot
    api.clock.set(at_kyiv("10:24"))
    assert checkin(api, setup, late["booking_code"]).status_code == 201  # nine minutes late: a walk-in
    api.clock.set(at_kyiv("10:30"))
    assert api.call("POST", "/desks/1/call-next", op, json={}).get_json()["code"] == walk["code"]  # waited 40 min
    api.clock.set(at_kyiv("11:00"))
    boss = api.user("boss", ["manager"])
    r = api.call("GET", "/reports/arrivals?office=T1&from=2026-11-25&to=2026-11-25", boss)
    assert r.status_code == 200, r.get_json()
    report = r.get_json()
    assert report["visitors"]["booked"] == {"tickets": 1, "called": 1, "no_show": 0, "wait_mean_min": 4.0,
                                            "wait_max_min": 4.0}
    assert report["visitors"]["walk_in"]["tickets"] == 2 and report["visitors"]["walk_in"]["wait_max_min"] == 40.0
    assert report["bookings"] | {"lateness_mean_min": None} == {
        "booked": 4, "checked_in": 1, "late_walk_in": 1, "cancelled": 0, "no_show": 1, "to_rebook": 1,
        "lateness_mean_min": None}
    assert report["bookings"]["lateness_mean_min"] == 9.0
    assert api.call("GET", "/reports/arrivals?office=T1", api.user("op2", ["operator"])).status_code == 403
    assert figures([Visit("remote", "no_show", None)])["remote"] == {
        "tickets": 1, "called": 0, "no_show": 1, "wait_mean_min": None, "wait_max_min": None}


def test_the_phone_page_of_a_booked_ticket_says_when_it_was_booked_for(api, db, setup, client) -> None:
    booked = book(api, db, WED.format("10:15"))
    api.clock.set(at_kyiv("10:05"))
    ticket = checkin(api, setup, booked["booking_code"]).get_json()
    walk_in = api.call("POST", "/kiosk/tickets", setup["kiosk"], json={"service": "consult"}).get_json()
    page = client.get(f"/t/{ticket['public_token']}").get_data(as_text=True)
    assert "Записано на 10:15" in page
    assert "Booked for 10:15" in client.get(f"/t/{ticket['public_token']}?lang=en").get_data(as_text=True)
    status = client.get(f"/api/v1/tickets/{ticket['public_token']}")  # what the page's script polls
    assert status.status_code == 200 and status.get_json()["booked_for"] == WED.format("10:15")
    plain = client.get(f"/t/{walk_in['public_token']}").get_data(as_text=True)
    assert "Записано на" not in plain.split('id="phone-config"')[0]


def test_bookings_nobody_came_for_become_no_shows_counted_by_the_report(app, api, db, setup) -> None:
    from reception.audit.models import AuditLog
    from reception.booking.no_show import mark_no_shows

    services = app.extensions["reception"].services
    came = book(api, db, WED.format("10:00"))
    book(api, db, WED.format("10:30"))  # never comes
    api.clock.set(at_kyiv("09:55"))
    assert checkin(api, setup, came["booking_code"]).status_code == 201
    api.clock.set(at_kyiv("11:00"))  # late visitors still become walk-ins today: not yet a no-show
    assert services.value(mark_no_shows) == 0
    api.clock.set(datetime(2026, 11, 25, 22, 5, tzinfo=UTC))  # 00:05 on the 26th in Kyiv: the day is over
    assert services.value(mark_no_shows) == 1
    assert services.value(mark_no_shows) == 0  # once
    with db.read() as s:
        statuses = sorted(s.scalars(select(Booking.status)))
        assert statuses == ["checked_in", "no_show"]
        entry = s.scalar(select(AuditLog).where(AuditLog.action == "booking.no_show"))
        assert entry is not None and "olena" not in str(entry.detail).lower() and "Петренко" not in str(entry.detail)
    r = api.call("GET", "/reports/arrivals?office=T1&from=2026-11-25&to=2026-11-25", api.user("boss", ["manager"]))
    assert r.status_code == 200 and r.get_json()["bookings"]["no_show"] == 1


def test_where_late_visitors_are_refused_the_no_show_comes_after_the_lateness_rule(app, api, db, office) -> None:
    from reception.booking.no_show import is_no_show, mark_no_shows
    from reception.booking.rules import BookingRules

    open_to_booking(db, "T1", "consult", per_slot=1, office_rules={
        "verify_by": "email", "cap_per_day": 0, "cap_active": 0, "cap_per_month": 0, "late_after_min": 5,
        "late_action": "refuse"})
    book(api, db, WED.format("10:00"))
    services = app.extensions["reception"].services
    api.clock.set(at_kyiv("10:05"))
    assert services.value(mark_no_shows) == 0
    api.clock.set(at_kyiv("10:06"))
    assert services.value(mark_no_shows) == 1
    rules = BookingRules(late_after_min=5, late_action="walk_in")
    assert not is_no_show(at_kyiv("10:00"), at_kyiv("12:00"), rules, "Europe/Kyiv")
    assert is_no_show(at_kyiv("10:00"), at_kyiv("10:06"), BookingRules(late_action="refuse"), "Europe/Kyiv")

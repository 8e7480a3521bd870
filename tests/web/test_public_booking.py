"""The public booking API on both databases: slots, the code, confirmation, cancel, the rules' 409s, the race."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from reception.booking.commands import confirm_booking
from reception.booking.models import Booking, BookingRequest
from reception.booking.setup import open_to_booking
from reception.notifications.models import Message
from tests.fakes import race
from tests.web.leadership.test_personal_data_document import document_words

WED_10 = "2026-11-25T10:00:00+02:00"  # the clock: Tuesday 24.11.2026 10:00 in Kyiv
VISITOR = {"surname": "Петренко", "name": "Олена", "email": "olena@example.com"}


@pytest.fixture
def bookable(db, office) -> str:
    open_to_booking(db, "T1", "consult", desks=["1"], per_slot=1,
                    office_rules={"verify_by": "email", "opens_days_ahead": 14, "opens_at": "06:00",
                                  "closes_hours_before": 1, "cap_per_day": 1, "cap_per_month": 4, "cap_active": 2})
    return "T1"


def ask(api, at: str = WED_10, visitor: dict[str, Any] | None = None, **extra: Any):
    return api.call("POST", "/public/bookings", json={"office": "T1", "service": "consult", "at": at,
                                                      "visitor": visitor or VISITOR, **extra})


def code_of(db, request_id: str) -> str:
    with db.read() as s:
        message = s.scalar(select(Message).where(Message.idempotency_key == f"booking-code:{request_id}"))
        assert message is not None and message.kind == "verification_code"
        found = re.search(r"\b(\d{6})\b", message.body)
        assert found, message.body
        return found.group(1)


def book(api, db, at: str = WED_10, visitor: dict[str, Any] | None = None) -> dict[str, Any]:
    r = ask(api, at, visitor)
    assert r.status_code == 202, r.get_json()
    request_id = r.get_json()["request_id"]
    r = api.call("POST", f"/public/bookings/{request_id}/confirm", json={"code": code_of(db, request_id)})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def slots(api, day: str = "2026-11-25") -> list[dict[str, Any]]:
    r = api.call("GET", f"/public/slots?office=T1&service=consult&date={day}")
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_offices_and_slots_are_public_and_show_counts_only(api, bookable) -> None:
    offices = api.call("GET", "/public/offices").get_json()
    assert [o["code"] for o in offices] == ["T1"]
    assert [s["code"] for s in offices[0]["services"]] == ["consult"]
    day = slots(api)
    assert len(day) == 12 and day[0] == {"at": WED_10, "free": 1}
    assert all(set(s) == {"at", "free"} for s in day)
    # Today: up to 11:00 booking has closed (one hour before); 11:15 is still open.
    today = slots(api, "2026-11-24")
    assert today[0]["at"] == "2026-11-24T11:15:00+02:00"
    assert api.call("GET", "/public/slots?office=T1&service=appeal&date=2026-11-25").status_code == 404


def test_book_with_the_emailed_code_then_cancel(api, db, bookable) -> None:
    r = ask(api)
    assert r.status_code == 202 and r.get_json()["verify_by"] == "email"
    request_id = r.get_json()["request_id"]
    with db.read() as s:
        message = s.scalar(select(Message).where(Message.kind == "verification_code"))
        assert message is not None and message.channel == "email" and message.address == "olena@example.com"
        req = s.scalar(select(BookingRequest))
        code = code_of(db, request_id)
        assert req is not None and code not in req.code_hash  # stored hashed
    r = api.call("POST", f"/public/bookings/{request_id}/confirm", json={"code": code})
    assert r.status_code == 201, r.get_json()
    booked = r.get_json()
    assert booked["at"] == WED_10 and booked["service"] == "consult" and re.fullmatch(r"\w{3}-\w{3}", booked["booking_code"])
    assert slots(api)[0]["free"] == 0
    with db.read() as s:
        booking = s.scalar(select(Booking))
        assert booking is not None and booking.status == "booked" and booking.email == "olena@example.com"
        assert booking.cancel_token_hash != booked["cancel_token"]
        confirmed = s.scalar(select(Message).where(Message.kind == "booking_confirmed"))
        assert confirmed is not None and booked["booking_code"] in confirmed.body and "25.11.2026 10:00" in confirmed.body
        assert s.scalar(select(BookingRequest)).payload == {"booking_id": booking.id}  # no personal data kept
    # The code is single-use.
    again = api.call("POST", f"/public/bookings/{request_id}/confirm", json={"code": code})
    assert again.status_code == 409 and again.get_json()["code"] == "code_dead"
    wrong = api.call("POST", f"/public/bookings/{booked['booking_code']}/cancel", json={"cancel_token": "nope"})
    assert wrong.status_code == 404
    r = api.call("POST", f"/public/bookings/{booked['booking_code']}/cancel", json={"cancel_token": booked["cancel_token"]})
    assert r.status_code == 200 and r.get_json()["status"] == "cancelled"
    assert slots(api)[0]["free"] == 1


def test_five_wrong_codes_kill_the_request(api, db, bookable) -> None:
    request_id = ask(api).get_json()["request_id"]
    code = code_of(db, request_id)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1, 0):
        r = api.call("POST", f"/public/bookings/{request_id}/confirm", json={"code": wrong})
        assert r.status_code == 422 and str(left) in r.get_json()["detail"], r.get_json()
    r = api.call("POST", f"/public/bookings/{request_id}/confirm", json={"code": code})
    assert r.status_code == 409 and r.get_json()["code"] == "code_dead"
    with db.read() as s:
        assert s.scalar(select(Booking)) is None and s.scalar(select(BookingRequest)).payload == {}


def test_an_expired_code_is_dead(api, db, bookable) -> None:
    request_id = ask(api).get_json()["request_id"]
    api.clock.advance(minutes=10)
    r = api.call("POST", f"/public/bookings/{request_id}/confirm", json={"code": code_of(db, request_id)})
    assert r.status_code == 409 and r.get_json()["code"] == "code_dead"


def test_window_closed_and_caps(api, db, bookable) -> None:
    late = ask(api, "2026-11-24T10:45:00+02:00")
    assert late.status_code == 409 and late.get_json()["code"] == "booking_closed"
    far = ask(api, "2026-12-09T10:00:00+02:00")  # 15 days ahead: opens on 25.11 at 06:00
    assert far.status_code == 409 and far.get_json()["code"] == "booking_closed"
    not_a_slot = ask(api, "2026-11-25T10:05:00+02:00")
    assert not_a_slot.status_code == 422
    book(api, db)
    same_day = ask(api, "2026-11-25T11:00:00+02:00")
    assert same_day.status_code == 409 and same_day.get_json()["code"] == "booking_cap_reached"
    book(api, db, "2026-11-26T11:00:00+02:00")
    at_once = ask(api, "2026-11-27T11:00:00+02:00")  # two ahead already
    assert at_once.status_code == 409 and at_once.get_json()["code"] == "booking_cap_reached"


def test_bad_input_is_refused_in_words_and_changes_nothing(api, db, bookable) -> None:
    r = ask(api, visitor={"surname": "Петренко", "name": "Олена", "phone": "050 111 22 33"})
    assert r.status_code == 422 and "пошт" in r.get_json()["detail"]  # the code goes by e-mail here
    r = ask(api, visitor={**VISITOR, "email": "not-an-address"})
    assert r.status_code == 422
    r = ask(api, consent=False)
    assert r.status_code == 422
    r = api.call("POST", "/public/bookings", json={"office": "T1"})
    assert r.status_code == 422
    with db.read() as s:
        assert s.scalar(select(BookingRequest)) is None and s.scalar(select(Message)) is None


def test_the_last_place_confirmed_second_is_slot_taken(api, db, bookable) -> None:
    first = ask(api).get_json()["request_id"]
    second = ask(api, visitor={**VISITOR, "email": "other@example.com"}).get_json()["request_id"]
    assert api.call("POST", f"/public/bookings/{first}/confirm", json={"code": code_of(db, first)}).status_code == 201
    r = api.call("POST", f"/public/bookings/{second}/confirm", json={"code": code_of(db, second)})
    assert r.status_code == 409 and r.get_json()["code"] == "slot_taken"
    r = ask(api, visitor={**VISITOR, "email": "third@example.com"})
    assert r.status_code == 409 and r.get_json()["code"] == "slot_taken"


def test_two_visitors_racing_for_the_last_place_get_one_booking(api, db, db_url, bookable) -> None:
    requests = [ask(api, visitor={**VISITOR, "email": f"v{i}@example.com"}).get_json()["request_id"] for i in range(4)]
    results = race(db_url, api.clock, confirm_booking, [(r, code_of(db, r)) for r in requests])
    assert sorted(results) == ["error.slot_taken"] * 3 + ["ok"], results
    with db.read() as s:
        assert len(s.scalars(select(Booking)).all()) == 1
    assert slots(api)[0]["free"] == 0


def test_rate_limited_per_address_and_per_contact(app, api, bookable) -> None:
    app.config["PUBLIC_BOOKING_RATE"] = "2 per hour"
    assert ask(api, "2026-11-25T10:00:00+02:00").status_code == 202
    assert ask(api, "2026-11-25T10:15:00+02:00").status_code == 202
    r = ask(api, "2026-11-25T10:30:00+02:00")
    assert r.status_code == 429
    # Another address, the same e-mail: still over.
    r = api.client.post("/api/v1/public/bookings", environ_base={"REMOTE_ADDR": "10.9.9.9"},
                        json={"office": "T1", "service": "consult", "at": WED_10, "visitor": VISITOR})
    assert r.status_code == 429


def test_bookings_in_the_personal_data_pages_and_the_retention_run(api, db, bookable) -> None:
    from reception.leadership.retention import run_retention
    from tests.fakes import services

    ahead = book(api, db, WED_10, {**VISITOR, "phone": "050 111 22 33"})
    boss = api.user("boss", ["manager"])
    held = api.call("GET", "/personal-data?phone=0501112233", boss).get_json()
    (item,) = held["bookings"]
    assert item["booking_code"] == ahead["booking_code"] and item["email"] == "olena@example.com"
    assert item["erasable"] is False and ahead["booking_code"] in item["explanation"]["uk"]
    r = api.call("POST", "/personal-data/erase", boss, json={"phone": "050 111 22 33"})
    assert r.status_code == 409  # still ahead: cancel first
    exported = api.call("GET", "/personal-data/export?surname=Петренко", boss)
    assert exported.status_code == 200 and "olena@example.com" in exported.get_data(as_text=True)
    words = document_words(exported.get_json())  # and the citizen's readable copy
    for shown in ("Записи до спеціалістів", ahead["booking_code"], "Записано", "olena@example.com", "25.11.2026"):
        assert shown in words, (shown, words[-1500:])
    api.clock.advance(days=2)  # the slot has passed
    r = api.call("POST", "/personal-data/erase", boss, json={"phone": "050 111 22 33"})
    assert r.status_code == 200 and r.get_json()["erased"]["bookings"] == [item["id"]]
    with db.read() as s:
        booking = s.get(Booking, item["id"])
        assert booking is not None and booking.surname is None and booking.email is None and booking.phone is None
    # The retention run: another booking 90 days after its slot; the dead code requests emptied.
    other = book(api, db, "2026-11-27T10:00:00+02:00", {**VISITOR, "email": "x@example.com"})
    ask(api, "2026-11-27T10:15:00+02:00", {**VISITOR, "email": "y@example.com"})
    api.clock.advance(days=95)
    outcome = services(db, api.clock).value(run_retention, None, None)
    assert dict(outcome.others)["bookings"] == 1
    with db.read() as s:
        assert s.scalar(select(Booking).where(Booking.booking_code == other["booking_code"].replace("-", ""))) \
            .surname is None
        assert s.scalar(select(BookingRequest)) is None  # dead for more than a day: gone


def test_the_call_centre_books_through_the_same_rules_and_may_pass_a_cap_audited(api, db, bookable) -> None:
    from reception.audit.models import AuditLog

    cc = api.user("cc", ["call_centre"])
    body = {"office": "T1", "service": "consult", "at": WED_10, "visitor": {**VISITOR, "phone": "050 111 22 33"}}
    r = api.call("POST", "/bookings", cc, json=body)
    assert r.status_code == 201 and r.get_json()["cap_overridden"] is False
    taken = api.call("POST", "/bookings", cc, json=body)
    assert taken.status_code == 409 and taken.get_json()["code"] == "slot_taken"
    second = {**body, "at": "2026-11-25T11:00:00+02:00"}
    capped = api.call("POST", "/bookings", cc, json=second)
    assert capped.status_code == 409 and capped.get_json()["code"] == "booking_cap_reached"
    closed = api.call("POST", "/bookings", cc, json={**body, "at": "2026-11-24T10:30:00+02:00", "override_cap": True})
    assert closed.status_code == 409 and closed.get_json()["code"] == "booking_closed"  # only the cap may be passed
    r = api.call("POST", "/bookings", cc, json={**second, "override_cap": True})
    assert r.status_code == 201 and r.get_json()["cap_overridden"] is True
    with db.read() as s:
        made = s.scalars(select(AuditLog).where(AuditLog.action == "booking.create").order_by(AuditLog.id)).all()
        assert [a.detail.get("cap_overridden", False) for a in made] == [False, True]
        assert all(a.user_id is not None for a in made) and "Петренко" not in str([a.detail for a in made])
        assert s.scalar(select(Booking).where(Booking.id == int(made[1].object_id))).created_by_user_id is not None
    operator = api.user("op", ["operator"])
    assert api.call("POST", "/bookings", operator, json=second).status_code == 403

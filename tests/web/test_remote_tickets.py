"""Joining the live queue from a phone, on both databases: verified, a place in time, held once, then lapsed."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from reception.booking.models import RemotePlace
from reception.booking.setup import open_to_booking
from reception.queue.models import Ticket
from tests.web.leadership.test_personal_data_document import document_words
from tests.web.test_public_booking import code_of


@pytest.fixture
def setup(api, db, office) -> dict[str, Any]:
    open_to_booking(db, "T1", "consult", office_rules={"verify_by": "sms", "remote_queue": True,
                                                       "remote_cap_per_day": 1, "remote_hold_places": 1})
    return {"kiosk": api.device("kiosk"), "op": api.user("op", ["operator"])}


def join(api, db, phone: str = "050 111 22 33") -> dict[str, Any]:
    api.clock.advance(seconds=30)
    r = api.call("POST", "/public/remote-tickets", json={"office": "T1", "service": "consult", "phone": phone})
    assert r.status_code == 202, r.get_json()
    assert r.get_json()["verify_by"] == "sms"
    request_id = r.get_json()["request_id"]
    r = api.call("POST", f"/public/remote-tickets/{request_id}/confirm", json={"code": code_of(db, request_id)})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def walk_in(api, setup) -> str:
    api.clock.advance(minutes=1)
    return api.call("POST", "/kiosk/tickets", setup["kiosk"], json={"service": "consult"}).get_json()["code"]


def call(api, setup) -> str:
    api.clock.advance(minutes=1)  # past the double-click window
    return api.call("POST", "/desks/1/call-next", setup["op"], json={}).get_json()["code"]


def test_not_where_the_office_does_not_allow_it(api, db, office) -> None:
    open_to_booking(db, "T1", "consult", office_rules={"verify_by": "sms"})
    r = api.call("POST", "/public/remote-tickets", json={"office": "T1", "service": "consult", "phone": "0501112233"})
    assert r.status_code == 409 and r.get_json()["code"] == "booking_closed"
    r = api.call("POST", "/public/remote-tickets", json={"office": "T1", "service": "consult"})
    assert r.status_code == 422


def test_a_remote_place_keeps_its_time_and_is_capped_per_phone(api, db, setup) -> None:
    first = walk_in(api, setup)
    place = join(api, db)
    status = api.call("GET", f"/public/remote-tickets/{place['public_token']}").get_json()
    assert status["ahead"] == 1 and status["status"] == "waiting" and status["come_within_min"] == 10
    assert "phone" not in status and "+380" not in str(status)
    later = walk_in(api, setup)
    again = api.call("POST", "/public/remote-tickets", json={"office": "T1", "service": "consult",
                                                             "phone": "+380501112233"})
    assert again.status_code == 409 and again.get_json()["code"] == "booking_cap_reached"
    api.clock.advance(minutes=5)
    r = api.call("POST", "/kiosk/checkin", setup["kiosk"], json={"booking_code": place["code"]})
    assert r.status_code == 201, r.get_json()
    mine = r.get_json()["code"]
    assert api.call("POST", "/desks/1/open", setup["op"], json={}).status_code == 200
    assert [call(api, setup) for _ in range(3)] == [first, mine, later]
    assert api.call("GET", f"/public/remote-tickets/{place['public_token']}").get_json()["status"] == "checked_in"


def test_passed_once_is_held_passed_more_lapses(api, db, setup) -> None:
    first, second = join(api, db), join(api, db, "067 222 33 44")
    others = [walk_in(api, setup) for _ in range(4)]
    assert api.call("POST", "/desks/1/open", setup["op"], json={}).status_code == 200
    assert call(api, setup) == others[0]  # both remote places passed once: held back
    r = api.call("POST", "/kiosk/checkin", setup["kiosk"], json={"booking_code": first["code"]})
    assert r.status_code == 201
    assert call(api, setup) == r.get_json()["code"]  # kept its place
    assert call(api, setup) == others[1]  # the second is passed twice now: lapsed
    r = api.call("POST", "/kiosk/checkin", setup["kiosk"], json={"booking_code": second["code"]})
    assert r.status_code == 201
    lapsed = r.get_json()["code"]
    with db.read() as s:
        statuses = dict(s.execute(select(RemotePlace.public_token, RemotePlace.status)).all())
    assert statuses == {first["public_token"]: "checked_in", second["public_token"]: "lapsed"}
    assert [call(api, setup) for _ in range(3)] == [others[2], others[3], lapsed]
    again = api.call("POST", "/kiosk/checkin", setup["kiosk"], json={"booking_code": second["code"]})
    assert again.status_code == 409 and again.get_json()["code"] == "checkin_twice"
    with db.read() as s:
        assert s.scalar(select(Ticket.status).where(Ticket.code == lapsed)) == "called"


def test_remote_places_in_the_personal_data_pages_and_the_retention_run(api, db, setup) -> None:
    from reception.leadership.retention import run_retention
    from tests.fakes import services

    place = join(api, db)
    boss = api.user("boss", ["manager"])
    held = api.call("GET", "/personal-data?phone=0501112233", boss).get_json()
    assert [p["code"] for p in held["remote_places"]] == [place["code"]]
    exported = api.call("GET", "/personal-data/export?phone=0501112233", boss).get_json()
    words = document_words(exported)  # the citizen's readable copy
    for shown in ("Місця в черзі, взяті з телефона", place["code"], "Очікували приходу", "+380501112233"):
        assert shown in words, (shown, words[-1500:])
    r = api.call("POST", "/personal-data/erase", boss, json={"phone": "0501112233"})
    assert r.status_code == 200 and len(r.get_json()["erased"]["remote_places"]) == 1
    other = join(api, db, "067 222 33 44")
    api.clock.advance(days=91)
    outcome = services(db, api.clock).value(run_retention, None, None)
    assert dict(outcome.others)["remote_places"] == 1
    with db.read() as s:
        row = s.scalar(select(RemotePlace).where(RemotePlace.public_token == other["public_token"]))
        assert row is not None and row.phone is None and row.anonymised_at is not None

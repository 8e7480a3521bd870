"""Finding a booking by phone however it is written, and by the start of the surname (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from reception.kernel.errors import ValidationFailed
from reception.kernel.phones import normalise_phone, phone_for_search
from reception.leadership.lookup_keys import fold_name
from reception.leadership.models import Appointment, ReceptionSession
from reception.platform.i18n import t
from tests.web.leadership.builders import add_leader, add_leadership, add_rule, set_settings
from tests.web.leadership.test_leadership_pages import sign_in

SAME_NUMBER = ("+380501112233", "0501112233", "+38 050 111 22 33", "+38 (050) 111-22-33", "050 111-22-33",
               "380501112233")


# --- the rules (pure) ------------------------------------------------------------------------------

@pytest.mark.parametrize("written", SAME_NUMBER)
def test_every_written_form_is_one_number(written: str) -> None:
    assert normalise_phone(written) == "+380501112233"
    assert phone_for_search(written) == "+380501112233"


@pytest.mark.parametrize("impossible", ["12", "+380001112233", "050 111", "дзвоніть", "+3805011122334455"])
def test_an_impossible_number_is_refused_in_plain_ukrainian(impossible: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        normalise_phone(impossible)
    message = t(caught.value.key, "uk", **caught.value.params)
    assert impossible in message and "не існує" in message and not re.search(r"[A-Za-z]{3,}", message)


def test_a_partial_number_is_no_search() -> None:
    with pytest.raises(ValidationFailed) as caught:
        phone_for_search("12")
    assert caught.value.key == "error.bad_phone_query"
    assert normalise_phone("") is None and normalise_phone(None) is None


def test_surnames_fold_cyrillic_case_and_apostrophes() -> None:
    assert fold_name("ПЕТРЕНКО") == fold_name("петренко") == "петренко"
    assert fold_name("Пʼятаченко") == fold_name("П'ЯТАЧЕНКО") == fold_name("П’ятаченко")
    assert fold_name("  Ґудзь ") == "ґудзь"


# --- through the API -------------------------------------------------------------------------------

@pytest.fixture
def booked(api, db, clock, office):
    """Two bookings on the next Tuesday reception: Петренко (+380501112233) and Петрук (no phone)."""
    add_leadership(db)
    set_settings(db, booking_cutoff_working_days=0)
    leader = add_leader(db, clock)
    add_rule(db, clock, leader, weekday=2, start="11:00", end="13:00", slot_min=30, valid_from=date(2026, 11, 1))
    tokens = {role: api.user(role, [role]) for role in ("call_centre", "manager", "leader", "auditor", "operator")}
    with db.read() as s:
        session_id = s.scalars(select(ReceptionSession.id).order_by(ReceptionSession.day)).first()
    for visitor in ({"surname": "Петренко", "name": "Іван", "phone": "0501112233"},
                    {"surname": "Петрук", "name": "Олена"}):
        r = api.call("POST", f"/reception-sessions/{session_id}/appointments", tokens["call_centre"],
                     json={"visitor": visitor, "topic": "Спадщина"})
        assert r.status_code == 201, r.get_json()
    return tokens | {"session": session_id}


def _find(api, token: str, **query: str):
    return api.call("GET", "/appointments", token, query_string=query | {"lang": "uk"})


def test_the_phone_is_stored_in_one_form(db, booked) -> None:
    with db.read() as s:
        phones = dict(s.execute(select(Appointment.surname, Appointment.phone)).all())
    assert phones == {"Петренко": "+380501112233", "Петрук": None}


@pytest.mark.parametrize("written", SAME_NUMBER)
def test_found_by_phone_however_written(api, booked, written: str) -> None:
    r = _find(api, booked["call_centre"], phone=written)
    assert r.status_code == 200
    assert [a["visitor"]["surname"] for a in r.get_json()] == ["Петренко"]


def test_a_fragment_is_not_a_phone(api, booked) -> None:
    r = _find(api, booked["call_centre"], phone="12")
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert r.get_json()["code"] == "bad_phone_query" and "«12»" in r.get_json()["detail"]


@pytest.mark.parametrize(("typed", "expected"), [
    ("петр", ["Петренко", "Петрук"]), ("ПЕТРЕ", ["Петренко"]), ("Петрук", ["Петрук"]), ("ренко", []),
    ("%", []), ("_етр", []),
])
def test_found_by_the_start_of_the_surname_in_any_case(api, booked, typed: str, expected: list[str]) -> None:
    r = _find(api, booked["call_centre"], surname=typed)
    assert r.status_code == 200
    assert sorted(a["visitor"]["surname"] for a in r.get_json()) == expected


def test_who_may_search(api, booked) -> None:
    for role in ("call_centre", "manager", "leader", "auditor"):
        assert _find(api, booked[role], surname="пет").status_code == 200, role
    assert _find(api, booked["operator"], surname="пет").status_code == 403
    r = _find(api, booked["call_centre"])
    assert r.status_code == 422 and "прізвище" in r.get_json()["detail"]


def test_an_impossible_phone_books_nothing(api, db, booked) -> None:
    r = api.call("POST", f"/reception-sessions/{booked['session']}/appointments?lang=uk", booked["call_centre"],
                 json={"visitor": {"surname": "Коваль", "name": "Ігор", "phone": "12345"}, "topic": "Борг"})
    assert r.status_code == 422 and r.get_json()["code"] == "bad_phone"
    assert "«12345»" in r.get_json()["detail"] and "не існує" in r.get_json()["detail"]
    with db.read() as s:
        assert s.get(ReceptionSession, booked["session"]).booked == 2
        assert s.scalar(select(Appointment).where(Appointment.surname == "Коваль")) is None


# --- on the booking page ---------------------------------------------------------------------------

def _found_rows(html: str) -> list[str]:
    table = re.search(r'<table class="of-table" id="found-table">(.*?)</table>', html, re.S)
    return re.findall(r"<tr data-appointment=\"\d+\">(.*?)</tr>", table.group(1), re.S) if table else []


@pytest.mark.parametrize(("typed", "hits"), [("0501112233", 1), ("+38 050 111 22 33", 1), ("пЕтР", 2),
                                              ("Петрук", 1), ("Шевченко", 0)])
def test_the_page_search_box(client, db, clock, booked, typed: str, hits: int) -> None:
    sign_in(client, db, clock, "cc-page", ["call_centre"])
    html = client.get("/backoffice/booking", query_string={"q": typed}).get_data(as_text=True)
    assert 'id="found"' in html
    assert len(_found_rows(html)) == hits
    if not hits:
        assert "Записів не знайдено" in html


def test_the_page_finds_by_code_and_explains_a_fragment(client, db, clock, booked) -> None:
    with db.read() as s:
        code = s.scalar(select(Appointment.booking_code).where(Appointment.surname == "Петрук"))
    sign_in(client, db, clock, "cc-page", ["call_centre"])
    html = client.get("/backoffice/booking", query_string={"q": code.lower()}).get_data(as_text=True)
    assert len(_found_rows(html)) == 1 and "Петрук" in _found_rows(html)[0]
    html = client.get("/backoffice/booking", query_string={"q": "12"}).get_data(as_text=True)
    assert "не повний номер телефону" in html and not _found_rows(html)

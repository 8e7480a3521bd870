"""The privacy notice for visitors and the back-office page for one person's data (decision 018)."""

from __future__ import annotations

import json

from sqlalchemy import select

from reception.accounts.models import User
from reception.leadership.models import ReceptionRecord
from tests.fakes import CSRF_TOKEN, signed_in
from tests.web.leadership.builders import set_settings
from tests.web.leadership.test_personal_data import PHONE, person  # noqa: F401  (the fixture)


def test_the_notice_names_the_office_the_term_and_the_rights(client, db, office) -> None:
    set_settings(db, records_retention_years=3, privacy_contact="Кімната 101, тел. 044 000 00 00.")
    page = client.get("/privacy?office=T1")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for words in ("Володілець персональних даних", "3 роки", "Про звернення громадян", "Про захист персональних даних",
                  "Уповноваженого Верховної Ради", "Кімната 101", "data-print"):
        assert words in html, words
    assert "<script>" not in html and "onclick" not in html  # the CSP: the print button is bound from a file
    english = client.get("/privacy?office=T1&lang=en").get_data(as_text=True)
    assert "3 years" in english and "Law of Ukraine on Citizens" in english and 'lang="en"' in english
    set_settings(db, records_retention_years=5)
    assert "5 років" in client.get("/privacy").get_data(as_text=True)
    set_settings(db, records_retention_years=1)
    assert "1 рік" in client.get("/privacy").get_data(as_text=True)
    assert client.get("/privacy?office=NOPE").status_code == 404


def test_the_desk_and_the_booking_page_link_the_notice(client, db, clock, office) -> None:
    from tests.fakes import add_user

    signed_in(client, db, clock, add_user(db, clock, "cc", ["call_centre"], ["T1"]))
    booking = client.get("/backoffice/booking").get_data(as_text=True)
    assert 'id="privacy-link"' in booking and "/privacy?office=T1" in booking


def _sign_in(client, db, clock, username: str) -> None:
    with db.read() as s:
        uid = s.scalar(select(User.id).where(User.username == username))
    assert uid is not None
    signed_in(client, db, clock, uid)


def test_the_page_finds_exports_and_erases(client, db, clock, person) -> None:  # noqa: F811
    _sign_in(client, db, clock, "mgr")
    page = client.get("/backoffice/personal-data", query_string={"phone": "044 123 45 67"}).get_data(as_text=True)
    assert page.count("data-record=") == 3 and "1 січня 2032" in page and "можна видалити" in page
    export = client.get("/backoffice/personal-data/export", query_string={"phone": PHONE})
    assert export.status_code == 200 and len(json.loads(export.data)["records"]) == 3
    # without the confirmation box nothing happens
    r = client.post("/backoffice/personal-data", data={"csrf_token": CSRF_TOKEN, "phone": PHONE})
    assert r.status_code == 422
    with db.read() as s:
        rec = s.get(ReceptionRecord, person["old"])
        assert rec is not None and rec.anonymised_at is None
    assert client.post("/backoffice/personal-data", data={"phone": PHONE, "confirm": "1"}).status_code in (400, 403)
    done = client.post("/backoffice/personal-data", data={"csrf_token": CSRF_TOKEN, "phone": PHONE, "confirm": "1"})
    assert done.status_code == 200 and "Знеособлено карток: 1" in done.get_data(as_text=True)
    with db.read() as s:
        rec = s.get(ReceptionRecord, person["old"])
        assert rec is not None and rec.anonymised_at is not None


def test_the_page_is_for_managers(client, db, clock, person) -> None:  # noqa: F811
    _sign_in(client, db, clock, "op")
    assert client.get("/backoffice/personal-data", query_string={"phone": PHONE}).status_code == 403
    assert client.get("/backoffice/personal-data/export", query_string={"phone": PHONE}).status_code == 403

"""The journal of appeals through POST/GET /api/v1/records: the form, who registers which form, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from reception.leadership.models import ReceptionRecord
from tests.fakes import build_office

CALL: dict[str, Any] = {
    "office": "T1",
    "form": "phone",
    "kind": "application",
    "visitor": {"surname": "Коваль", "name": "Олена", "phone": "050 111-22-33"},
    "questions": ["Не нараховано субсидію за жовтень"],
    "topic": "subsidies",
}


@pytest.fixture
def people(api, db):
    build_office(db, "T2")
    return {"cc": api.user("cc", ["call_centre"]), "op": api.user("op", ["operator"]),
            "mgr": api.user("mgr", ["manager"]), "cc2": api.user("cc2", ["call_centre"], ["T2"])}


def _count(db) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(ReceptionRecord)) or 0)


@pytest.mark.parametrize("form", ["personal_reception", "phone", "email", "letter"])
def test_every_form_is_registered_and_shown(api, people, form) -> None:
    body = CALL | {"form": form, "visitor": CALL["visitor"] | {"email": "olena@example.ua"}}
    r = api.call("POST", "/records", people["op"], json=body)
    assert r.status_code == 201, r.get_json()
    rec = r.get_json()
    assert rec["form"] == form and rec["topic"] == "subsidies"
    assert api.call("GET", f"/records/{rec['id']}", people["op"]).get_json()["form"] == form


def test_the_form_defaults_to_personal_reception_and_an_unknown_one_is_refused(api, people) -> None:
    body = {k: v for k, v in CALL.items() if k != "form"}
    assert api.call("POST", "/records", people["op"], json=body).get_json()["form"] == "personal_reception"
    r = api.call("POST", "/records", people["op"], json=CALL | {"form": "fax"})
    assert r.status_code == 422
    assert _count(api.db) == 1


def test_call_centre_registers_phone_and_email_of_its_own_offices_only(api, people) -> None:
    phone = api.call("POST", "/records", people["cc"], json=CALL)
    assert phone.status_code == 201, phone.get_json()
    mail = api.call("POST", "/records", people["cc"], json=CALL | {"form": "email", "visitor": {
        "surname": "Коваль", "name": "Олена", "email": "olena@example.ua"}})
    assert mail.status_code == 201, mail.get_json()
    for form in ("personal_reception", "letter"):
        r = api.call("POST", "/records?lang=uk", people["cc"], json=CALL | {"form": form})
        assert r.status_code == 403 and "телефоном або електронною поштою" in r.get_json()["detail"]
    other = api.call("POST", "/records", people["cc2"], json=CALL)  # T2's call-centre, T1's record
    assert other.status_code == 403
    assert _count(api.db) == 2
    # its journal: it reads the calls and e-mails of its offices, T2's call-centre none of them
    listed = api.call("GET", "/records?office=T1", people["cc"]).get_json()
    assert {r["form"] for r in listed} == {"phone", "email"}
    assert api.call("GET", f"/records/{phone.get_json()['id']}", people["cc2"]).status_code == 404


@pytest.mark.parametrize(("change", "words"), [
    ({"visitor": {"surname": "Коваль", "name": "Олена", "phone": "дзвонила вчора"}}, "не існує"),
    ({"visitor": {"surname": "Коваль", "name": "Олена", "phone": "12"}}, "не існує"),
    ({"visitor": {"surname": "Коваль", "name": "Олена"}}, "номер телефону"),
    ({"questions": ["   "]}, "короткий зміст"),
    ({"reception_date": "2026-11-25"}, "ще не настала"),
    ({"due_date": "2027-01-30", "reception_date": "2026-11-20"}, "45 днів"),
    ({"due_date": "2026-11-01"}, "раніше дати надходження"),
    ({"form": "email", "visitor": {"surname": "Коваль", "name": "Олена", "email": "не адреса"}}, "не схожа"),
    ({"executor_id": 999999}, "Виконавця не знайдено"),
])
def test_bad_input_is_refused_in_ukrainian_and_nothing_is_saved(api, people, change, words) -> None:
    r = api.call("POST", "/records?lang=uk", people["cc"], json=CALL | change)
    assert r.status_code == 422, r.get_json()
    assert words in r.get_json()["detail"]
    assert _count(api.db) == 0

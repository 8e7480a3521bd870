"""The journal of appeals through POST/GET /api/v1/records: the form, who registers which form, bad input."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from reception.appeals.models import AppealDraft
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


def test_the_callers_earlier_appeals_are_found_however_the_phone_is_written_and_a_repeat_is_marked(
        api, people) -> None:
    first = api.call("POST", "/records", people["cc"], json=CALL).get_json()
    assert first["is_repeat"] is False and first["repeat_of_id"] is None
    other_topic = api.call("POST", "/records", people["cc"], json=CALL | {"topic": "pensions"}).get_json()
    assert other_topic["is_repeat"] is False
    again = api.call("POST", "/records", people["cc"], json=CALL | {
        "visitor": CALL["visitor"] | {"phone": "+38 (050) 111 22 33"}}).get_json()
    assert again["is_repeat"] is True and again["repeat_of_id"] == first["id"]
    found = api.call("GET", "/appeals/caller", people["cc"],
                     query_string={"office": "T1", "phone": "0501112233"}).get_json()
    assert found["phone"] == "+380501112233" and found["person"]["surname"] == "Коваль"
    assert [a["id"] for a in found["appeals"]] == [again["id"], other_topic["id"], first["id"]]
    assert found["appeals"][0]["topic_name"] == "Субсидії та пільги" and found["appeals"][0]["status"] == "on_control"
    assert api.call("GET", "/appeals/caller", people["cc"],
                    query_string={"office": "T1", "phone": "12"}).status_code == 422
    assert api.call("GET", "/appeals/caller", people["cc2"],
                    query_string={"office": "T1", "phone": "0501112233"}).status_code == 403
    r = api.call("POST", "/records?lang=uk", people["cc"], json=CALL | {"topic": "no_such"})
    assert r.status_code == 422 and "немає в переліку" in r.get_json()["detail"]


def test_consultations_and_on_the_spot_answers_are_never_on_control(api, people, clock) -> None:
    consult = api.call("POST", "/records", people["cc"], json=CALL | {"is_consultation": True}).get_json()
    spot = api.call("POST", "/records", people["cc"], json=CALL | {"answered_on_spot": True,
                                                                   "result": "Роз'яснено порядок"}).get_json()
    assert consult["removed_from_control"] == spot["removed_from_control"] == "2026-11-24"
    assert consult["needs_study"] is False
    executor = api.call("GET", "/appeals/executors?office=T1", people["cc"]).get_json()
    op_id = next(e["id"] for e in executor if e["name"] == "op")
    control = api.call("POST", "/records", people["cc"], json=CALL | {"executor_id": op_id,
                                                                      "needs_study": False}).get_json()
    assert control["due_date"] == "2026-12-09" and control["executor"] == "op"  # 15 days, no study needed
    clock.advance(days=16)
    overdue = api.call("GET", "/records?overdue=1&form=phone", people["mgr"]).get_json()
    assert [r["id"] for r in overdue] == [control["id"]]
    assert api.call("GET", "/records?overdue=1&form=email", people["mgr"]).get_json() == []
    # the executor's own list: the operator sees the record because they are its executor
    mine = api.call("GET", "/records?overdue=1&mine=1", people["op"]).get_json()
    assert [r["id"] for r in mine] == [control["id"]]
    assert api.call("GET", "/records?overdue=1&mine=1", people["cc"]).get_json() == []


def test_near_due_list(api, people, clock) -> None:
    soon = api.call("POST", "/records", people["op"], json=CALL | {"needs_study": False}).get_json()  # due 09.12
    later = api.call("POST", "/records", people["op"], json=CALL).get_json()  # due 24.12
    clock.advance(days=12)  # 06.12: the first is due in 3 days
    near = api.call("GET", "/records?near_due=3", people["mgr"]).get_json()
    assert [r["id"] for r in near] == [soon["id"]]
    assert {r["id"] for r in api.call("GET", "/records?near_due=30", people["mgr"]).get_json()} == {
        soon["id"], later["id"]}
    assert api.call("GET", "/records?near_due=99", people["mgr"]).status_code == 422


def test_the_draft_survives_and_is_the_operators_own(api, people) -> None:
    assert api.call("GET", "/appeals/draft", people["cc"]).get_json()["data"] == {}
    assert api.call("PUT", "/appeals/draft", people["cc"], json={"office": "T1", "data": {
        "phone": "050 111", "junk": "x"}}).status_code == 422
    r = api.call("PUT", "/appeals/draft", people["cc"], json={"office": "T1", "data": {
        "phone": "050 111", "summary": "Субсидія", "kind": "complaint", "needs_study": False}})
    assert r.status_code == 200, r.get_json()
    assert api.call("GET", "/appeals/draft", people["cc"]).get_json()["data"] == {
        "phone": "050 111", "summary": "Субсидія", "kind": "complaint", "needs_study": False}
    assert api.call("GET", "/appeals/draft", people["mgr"]).get_json()["data"] == {}
    assert api.call("PUT", "/appeals/draft", people["cc"], json={"office": "T1", "data": {
        "summary": "я" * 30_000}}).status_code == 422
    assert api.call("PUT", "/appeals/draft", people["cc2"], json={"office": "T1", "data": {}}).status_code == 403
    assert api.call("DELETE", "/appeals/draft", people["cc"]).status_code == 204
    assert api.call("GET", "/appeals/draft", people["cc"]).get_json()["data"] == {}
    assert api.call("GET", "/appeals/draft", people["op"]).status_code == 403


def test_a_callers_data_are_found_exported_and_erased_by_phone_and_leave_the_journal(api, people, db) -> None:
    old = api.call("POST", "/records", people["cc"], json=CALL | {"reception_date": "2020-01-10",
                                                                  "is_consultation": True}).get_json()
    open_ = api.call("POST", "/records", people["cc"], json=CALL).get_json()
    exported = api.call("GET", "/personal-data/export", people["mgr"], query_string={"phone": "+38 050 111 22 33"})
    assert {r["id"]: r["form"] for r in json.loads(exported.data)["records"]} == {old["id"]: "phone",
                                                                                  open_["id"]: "phone"}
    r = api.call("POST", "/personal-data/erase", people["mgr"], json={"phone": "0501112233"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["erased"]["records"] == [old["id"]]  # the open one is kept while on control
    with db.read() as s:
        gone = s.get(ReceptionRecord, old["id"])
        assert gone is not None and gone.phone == gone.phone_key == "" and gone.topic == "subsidies"
    found = api.call("GET", "/appeals/caller", people["cc"],
                     query_string={"office": "T1", "phone": "0501112233"}).get_json()
    assert [a["id"] for a in found["appeals"]] == [open_["id"]]


def test_an_abandoned_draft_is_forgotten_after_a_day(api, people, db, clock) -> None:
    from reception.appeals.journal import forget_stale_drafts
    from tests.fakes import services

    api.call("PUT", "/appeals/draft", people["cc"], json={"office": "T1", "data": {"phone": "0501112233"}})
    assert services(db, clock).value(forget_stale_drafts) == 0
    clock.advance(hours=25)
    assert services(db, clock).value(forget_stale_drafts) == 1
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(AppealDraft)) == 0


def test_the_card_and_its_pdf_show_the_form_and_topic(api, people) -> None:
    rec = api.call("POST", "/records", people["cc"], json=CALL | {"answered_on_spot": True}).get_json()
    r = api.call("GET", f"/records/{rec['id']}.pdf", people["cc"])
    assert r.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.data)).pages)
    text = " ".join(text.split())
    for words in ("Форма надходження", "Телефоном (усне)", "Дата надходження", "Тематика", "Субсидії та пільги",
                  "відповідь надано одразу"):
        assert words in text, words


def test_a_topic_changed_later_is_one_of_the_list_too(api, people) -> None:
    rec = api.call("POST", "/records", people["op"], json=CALL).get_json()
    r = api.call("PATCH", f"/records/{rec['id']}?lang=uk", people["op"], json={"topic": "no_such"})
    assert r.status_code == 422 and "немає в переліку" in r.get_json()["detail"]
    assert api.call("PATCH", f"/records/{rec['id']}", people["op"], json={"topic": "pensions"}).get_json()[
        "topic"] == "pensions"

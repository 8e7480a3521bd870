"""Reception records: registration, deadlines, extension, overdue list, audit of every access, the card PDF."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from reception.audit.models import AuditLog
from tests.fakes import services
from tests.web.leadership.builders import add_leader, add_leadership, set_settings

RECORD: dict[str, Any] = {
    "office": "T1",
    "kind": "complaint",
    "visitor": {"surname": "Шевченко", "name": "Тарас", "patronymic": "Григорович", "address": "м. Київ, вул. Хрещатик, 1",
                "phone": "+380441234567", "email": "taras@example.ua"},
    "social_status": "пенсіонер",
    "category": "war_disability",
    "authorship": "individual",
    "is_repeat": True,
    "questions": ["Невиконання рішення суду про стягнення аліментів", "Бездіяльність державного виконавця"],
    "resolution": "Доручити Департаменту виконавчої служби розглянути",
    "resolution_author": "Заступник Міністра А. Бондаренко",
    "executor": "Департамент державної виконавчої служби",
    "needs_study": True,
}


@pytest.fixture
def staff(api, db, clock):
    add_leadership(db)
    leader = add_leader(db, clock)
    return {"leader_id": leader, "op": api.user("op", ["operator"]), "aud": api.user("aud", ["auditor"]),
            "cc": api.user("cc", ["call_centre"])}


def _audit(db, record_id: int) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(AuditLog.action).where(AuditLog.object_type == "reception_record",
                                                             AuditLog.object_id == str(record_id))
                              .order_by(AuditLog.id)))


def test_register_view_change_all_logged(api, db, staff) -> None:
    r = api.call("POST", "/records", staff["op"], json=RECORD | {"leader_id": staff["leader_id"]})
    assert r.status_code == 201, r.get_json()
    rec = r.get_json()
    assert rec["reg_index"] == "АБ-1/26" and rec["reg_date"] == rec["reception_date"] == "2026-11-24"
    assert rec["received_by_name"] == "Андрій Бондаренко" and rec["received_by_position"] == "Заступник Міністра"
    assert rec["due_date"] == "2026-12-24" and rec["latest_extension"] == "2027-01-08" and rec["overdue"] is False
    second = api.call("POST", "/records", staff["op"], json=RECORD | {"leader_id": staff["leader_id"], "needs_study": False})
    assert second.get_json()["reg_index"] == "АБ-2/26" and second.get_json()["due_date"] == "2026-12-09"
    assert api.call("GET", f"/records/{rec['id']}", staff["aud"]).status_code == 200
    r = api.call("PATCH", f"/records/{rec['id']}", staff["op"],
                 json={"result": "Роз'яснено порядок", "answer_method": "letter", "version": rec["version"]})
    assert r.status_code == 200 and r.get_json()["result"] == "Роз'яснено порядок"
    # A stale version is refused.
    r = api.call("PATCH", f"/records/{rec['id']}", staff["op"], json={"result": "x", "version": rec["version"]})
    assert r.status_code == 409
    assert _audit(db, rec["id"]) == ["record.create", "record.view", "record.update"]
    api.call("GET", "/records?office=T1&q=АБ-1", staff["aud"])
    with db.read() as s:
        listed = s.scalars(select(AuditLog).where(AuditLog.action == "record.list")).all()
        assert listed and rec["id"] in listed[-1].detail["ids"]


def test_roles(api, staff) -> None:
    assert api.call("POST", "/records", staff["aud"], json=RECORD).status_code == 403
    assert api.call("POST", "/records", staff["cc"], json=RECORD).status_code == 403
    rec = api.call("POST", "/records", staff["op"], json=RECORD).get_json()
    # The call-centre reads its own journal (calls and e-mails): a personal reception's card is not there.
    assert api.call("GET", f"/records/{rec['id']}", staff["cc"]).status_code == 404
    assert api.call("PATCH", f"/records/{rec['id']}", staff["aud"], json={"result": "x"}).status_code == 403


def test_extension_rules_and_nothing_half_applied(api, staff) -> None:
    rec = api.call("POST", "/records", staff["op"], json=RECORD).get_json()
    path = f"/records/{rec['id']}"
    r = api.call("PATCH", path + "?lang=uk", staff["op"], json={"extended_to": "2027-01-09", "extension_reason": "запит",
                                                                "applicant_informed": True, "executor": "Інший"})
    assert r.status_code == 422 and "45 днів" in r.get_json()["detail"]
    r = api.call("PATCH", path, staff["op"], json={"extended_to": "2027-01-05", "extension_reason": "запит"})
    assert r.status_code == 422 and r.get_json()["code"] == "extension_not_informed"
    unchanged = api.call("GET", path, staff["op"]).get_json()
    assert unchanged["executor"] == RECORD["executor"] and unchanged["extended_to"] is None
    r = api.call("PATCH", path, staff["op"], json={"extended_to": "2027-01-08", "extension_reason": "запит до архіву",
                                                   "applicant_informed": True})
    assert r.status_code == 200
    assert r.get_json()["deadline"] == "2027-01-08" and r.get_json()["applicant_informed"] is True


def test_overdue_list_with_the_clock(api, staff, clock) -> None:
    quick = api.call("POST", "/records", staff["op"], json=RECORD | {"needs_study": False}).get_json()
    slow = api.call("POST", "/records", staff["op"], json=RECORD).get_json()
    assert api.call("GET", "/records?office=T1&state=overdue", staff["aud"]).get_json() == []
    clock.advance(days=16)  # 10 Dec: the 15-day one (due 9 Dec) is overdue, the month one is not
    overdue = api.call("GET", "/records?office=T1&state=overdue", staff["aud"]).get_json()
    assert [r["id"] for r in overdue] == [quick["id"]] and overdue[0]["overdue"] is True
    api.call("PATCH", f"/records/{quick['id']}", staff["op"], json={"removed_from_control": "2026-12-10"})
    assert api.call("GET", "/records?office=T1&state=overdue", staff["aud"]).get_json() == []
    clock.advance(days=30)
    assert [r["id"] for r in api.call("GET", "/records?office=T1&state=overdue", staff["aud"]).get_json()] == [slow["id"]]


def test_bad_records_are_refused(api, staff) -> None:
    for body in (RECORD | {"kind": "wish"}, RECORD | {"questions": []}, RECORD | {"category": "nope"},
                 RECORD | {"visitor": {"surname": "", "name": ""}}, {"office": "T1"}):
        r = api.call("POST", "/records", staff["op"], json=body)
        assert r.status_code == 422, (body, r.get_json())
    anonymous = api.call("POST", "/records", staff["op"], json=RECORD | {"authorship": "anonymous", "visitor": {}})
    assert anonymous.status_code == 201
    assert api.call("GET", "/records/999", staff["op"]).status_code == 404


def test_card_pdf_holds_every_field_in_ukrainian(api, db, staff) -> None:
    set_settings(db, record_index_pattern="{surname_initial}-{seq}")
    rec = api.call("POST", "/records", staff["op"], json=RECORD | {"leader_id": staff["leader_id"]}).get_json()
    api.call("PATCH", f"/records/{rec['id']}", staff["op"], json={
        "extended_to": "2027-01-05", "extension_reason": "Витребування матеріалів виконавчого провадження",
        "applicant_informed": True, "result": "Задоволено", "answer_method": "letter",
        "removed_from_control": "2027-01-04"})
    r = api.call("GET", f"/records/{rec['id']}.pdf", staff["aud"])
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(r.data)).pages)
    flat = re.sub(r"\s+", " ", text)
    for expected in [
        "РЕЄСТРАЦІЙНО-КОНТРОЛЬНА КАРТКА", "Тестова установа T1", "Ш-1", "24.11.2026", "Андрій Бондаренко",
        "Заступник Міністра", "Шевченко Тарас Григорович", "м. Київ, вул. Хрещатик, 1", "+380441234567",
        "taras@example.ua", "пенсіонер", "Особа з інвалідністю внаслідок війни", "Індивідуальне", "повторне",
        "На особистому прийомі", "Скарга", "Невиконання рішення суду про стягнення аліментів",
        "Бездіяльність державного виконавця", "Доручити Департаменту виконавчої служби розглянути",
        "Заступник Міністра А. Бондаренко", "Департамент державної виконавчої служби", "24.12.2026",
        "05.01.2027", "Витребування матеріалів виконавчого провадження", "Задоволено",
        "Письмова відповідь поштою", "04.01.2027", "Дата зняття з контролю", "Строк продовжено до",
        "Результат розгляду", "Спосіб надання відповіді", "Виконавець", "Резолюція", "Вид звернення",
        "Соціальний стан",
    ]:
        assert expected in flat, expected
    assert "■" not in text
    assert _audit(db, rec["id"])[-1] == "record.print"


def _words(count: int, chars: int) -> list[str]:
    """``count`` distinct questions of about ``chars`` characters each, every word unique."""
    out = []
    for q in range(count):
        words: list[str] = []
        n = 0
        while n < chars - 12:
            words.append(f"питання{q}слово{len(words)}")
            n += len(words[-1]) + 1
        out.append(" ".join(words))
    return out


@pytest.mark.parametrize("questions", [_words(1, 2500), _words(30, 54)], ids=["one of 2500", "thirty of 54"])
def test_long_questions_flow_onto_more_pages(api, db, staff, questions: list[str]) -> None:
    rec = api.call("POST", "/records", staff["op"], json=RECORD | {"questions": questions}).get_json()
    r = api.call("GET", f"/records/{rec['id']}.pdf", staff["aud"])
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    pages = PdfReader(io.BytesIO(r.data)).pages
    assert len(pages) >= 3  # the front runs over a page; the back starts on a page of its own
    flat = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))
    for i, question in enumerate(questions, 1):
        assert f"{i}. {question}" in flat
    assert "Дата зняття з контролю" in flat and "Підпис особи" in flat  # the back is all there
    assert _audit(db, rec["id"]).count("record.print") == 1


def test_questions_over_the_limits_are_refused(api, staff) -> None:
    for questions in (["Питання"] * 31, ["я" * 4001]):
        r = api.call("POST", "/records", staff["op"], json=RECORD | {"questions": questions})
        assert r.status_code == 422 and "questions" in r.get_json()["detail"]
    assert api.call("POST", "/records", staff["op"], json=RECORD | {"questions": ["я" * 4000] * 30}).status_code == 201


def test_a_card_that_cannot_be_rendered_is_not_logged_as_printed(api, db, clock, staff, monkeypatch) -> None:
    from reception.kernel.identity import Actor
    from reception.leadership import card, records

    rec = api.call("POST", "/records", staff["op"], json=RECORD).get_json()

    def broken(*_args: object) -> bytes:
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(card, "render_card", broken)
    admin = Actor(user_id=None, roles=frozenset({"admin"}))
    with pytest.raises(RuntimeError):
        records.card_pdf(services(db, clock), admin, rec["id"])
    assert "record.print" not in _audit(db, rec["id"])

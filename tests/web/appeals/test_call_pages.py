"""The call screen and the control page as the server renders them (the browser test drives the screen)."""

from __future__ import annotations

from tests.fakes import add_user
from tests.web.leadership.test_leadership_pages import sign_in

CALL = {"office": "T1", "form": "phone", "kind": "complaint", "topic": "pensions",
        "visitor": {"surname": "Коваль", "name": "Олена", "phone": "0501112233"},
        "questions": ["Не виплачено пенсію"], "needs_study": False}


def test_the_call_screen_shows_its_keys_topics_and_executors(client, db, clock, office) -> None:
    add_user(db, clock, "exec", ["operator"], ["T1"], full_name="Ірина Виконавиця")
    sign_in(client, db, clock, "cc", ["call_centre"])
    page = client.get("/backoffice/calls")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for words in ("Ctrl+Enter", "Alt+1", "Esc Esc", "Пенсії", "Ірина Виконавиця", 'id="call-config"',
                  "Записати на особистий прийом", "чернетка на сервері"):
        assert words in html, words
    assert "<script>" not in html and "style=" not in html  # strict CSP: no inline script or style
    assert 'href="/backoffice/calls"' in html  # in the call-centre's header


def test_the_screen_is_the_call_centres_and_managers_only(client, db, clock, office) -> None:
    sign_in(client, db, clock, "op", ["operator"])
    assert client.get("/backoffice/calls").status_code == 403
    assert client.get("/backoffice/calls/control").status_code == 200


def test_the_control_page_lists_overdue_near_due_and_ones_own(api, client, db, clock) -> None:
    cc = api.user("cc", ["call_centre"])
    executor = add_user(db, clock, "exec", ["operator"], ["T1"], full_name="Ірина Виконавиця")
    late = api.call("POST", "/records", cc, json=CALL | {"executor_id": executor}).get_json()  # due 09.12
    soon = api.call("POST", "/records", cc, json=CALL | {"needs_study": True}).get_json()  # due 24.12
    clock.advance(days=20)  # 14.12: the first overdue by 5 days, the second due in 10
    sign_in(client, db, clock, "boss", ["manager"])
    html = client.get("/backoffice/calls/control").get_data(as_text=True)
    overdue = html.split('id="control-overdue"')[1].split("</table>")[0]
    assert late["reg_index"] in overdue and "прострочено на 5 дн." in overdue and soon["reg_index"] not in overdue
    assert 'id="control-near-none"' in html and 'id="control-mine-none"' in html
    clock.advance(days=6)  # 20.12: the second is due in 4 days
    sign_in(client, db, clock, "boss2", ["manager"])  # a new day, a new session
    html = client.get("/backoffice/calls/control").get_data(as_text=True)
    assert soon["reg_index"] in html.split('id="control-near"')[1].split("</table>")[0]


def test_the_record_page_registers_a_letter(client, db, clock, office) -> None:
    from sqlalchemy import select

    from reception.leadership.models import ReceptionRecord

    token = sign_in(client, db, clock, "op", ["operator"])
    form = {"csrf_token": token, "office": "T1", "reception_date": "", "received_by_name": "Андрій Бондаренко",
            "surname": "Гончар", "name": "Марія", "kind": "application", "authorship": "individual",
            "questions": "Спадщина", "needs_study": "1", "answer_method": "", "form": "letter"}
    page = client.get("/backoffice/records/new?office=T1").get_data(as_text=True)
    assert 'name="form"' in page and "Листом (письмове)" in page
    r = client.post("/backoffice/records/new?office=T1", data=form)
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    with db.read() as s:
        assert s.scalar(select(ReceptionRecord.form)) == "letter"
    assert client.post("/backoffice/records/new?office=T1", data=form | {"form": "fax"}).status_code == 422

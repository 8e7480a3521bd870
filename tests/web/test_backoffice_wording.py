"""The back office as a new user reads it: whole Ukrainian phrases, no codes or English on Ukrainian
screens, the contact centre's phone on the public schedule (an office setting, E.164, shown formatted)."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from reception.audit.models import AuditLog
from reception.offices.models import Office
from reception.offices.setup import create_desk
from tests.fakes import ROOT
from tests.web.admin.test_admin_pages import _office_form, _post, staff  # noqa: F401  (the fixture)
from tests.web.leadership.builders import add_leader, add_leadership

OFFICE = "/backoffice/admin/office"


def _visible(html: str) -> str:
    """The page's text as read (tags and attribute values left out)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_contact_phone_is_set_normalised_and_shown_on_the_public_schedule(staff, db, client) -> None:  # noqa: F811
    boss = staff("boss", ["manager"])
    assert "за телефоном" not in client.get("/schedule?office=T1").get_data(as_text=True)
    html = _post(boss, OFFICE, OFFICE, _office_form(contact_phone="+38 (044) 123-45-67")).get_data(as_text=True)
    assert "Зміни збережено" in html and 'value="044 123 4567"' in html
    with db.read() as s:
        assert s.scalar(select(Office.settings).where(Office.code == "T1"))["contact_phone"] == "+380441234567"
    public = client.get("/schedule?office=T1").get_data(as_text=True)
    assert "через контакт-центр за телефоном" in public and 'href="tel:+380441234567">044 123 4567</a>' in public
    english = client.get("/schedule?office=T1&lang=en").get_data(as_text=True)
    assert "through the contact centre:" in english and "044 123 4567" in english
    # cleared: the page says it without a number again
    _post(boss, OFFICE, OFFICE, _office_form(contact_phone=""))
    assert "за телефоном" not in client.get("/schedule?office=T1").get_data(as_text=True)


@pytest.mark.parametrize("value", ["12345", "044 12", "телефон"])
def test_a_phone_that_cannot_exist_is_refused_in_ukrainian_and_changes_nothing(staff, db, value) -> None:  # noqa: F811
    boss = staff("boss", ["manager"])
    html = _post(boss, OFFICE, OFFICE, _office_form(contact_phone=value, name_uk="Інша назва")).get_data(as_text=True)
    assert "flash-error" in html and "не існує" in html
    with db.read() as s:
        office = s.scalar(select(Office).where(Office.code == "T1"))
        assert office is not None and office.name_uk == "Тестова установа T1"
        assert "contact_phone" not in (office.settings or {})
        assert s.scalar(select(AuditLog.id).where(AuditLog.action == "office.update")) is None


def test_the_api_documents_and_keeps_the_contact_phone(api, db) -> None:
    admin = api.user("root", ["admin"], [])
    r = api.call("PATCH", "/offices/T1", admin, json={"contact_phone": "0442345678"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["contact_phone"] == "+380442345678"
    bad = api.call("PATCH", "/offices/T1", admin, json={"contact_phone": "123"})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    spec = api.client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert "contact_phone" in spec["OfficePatch"]["properties"]


def test_office_page_names_the_time_zone_by_its_city(staff) -> None:  # noqa: F811
    html = staff("boss", ["manager"]).client.get(OFFICE).get_data(as_text=True)
    text = _visible(html)
    assert "Київ" in text and "Europe/Kyiv" not in text
    assert '<option value="Europe/Kyiv" selected>Київ</option>' in html


def test_users_page_texts(staff) -> None:  # noqa: F811
    boss = staff("boss", ["manager"])
    form = {"username": "operator3", "password": "temporary-pass-1", "roles": "operator", "offices": "T1"}
    html = _post(boss, "/backoffice/admin/users", "/backoffice/admin/users", form).get_data(as_text=True)
    assert "Користувача додано." in html and "Кіоски, табло" not in html
    again = _post(boss, "/backoffice/admin/users", "/backoffice/admin/users", form).get_data(as_text=True)
    assert "Користувач «operator3» уже існує." in again
    cells = re.findall(r"<td>([^<]*)</td>", again)
    assert "Тестова установа T1" in cells and "T1" not in cells  # the office by its name, not its code


def test_desks_page_says_what_a_room_is(staff, db) -> None:  # noqa: F811
    create_desk(db, ROOT, "T1", code="412", name_uk="Кабінет 412", name_en="Room 412", kind="room", services=[])
    text = _visible(staff("boss", ["manager"]).client.get("/backoffice/admin/desks").get_data(as_text=True))
    assert "Кабінет 412 · кабінет особистого прийому · зона табло «" in text and "· зала" not in text


def test_schedule_page_phrases(staff, db, clock) -> None:  # noqa: F811
    add_leadership(db)
    add_leader(db, clock, user="boss2")
    html = staff("mgr", ["manager"]).client.get("/backoffice/schedule").get_data(as_text=True)
    text = _visible(html)
    for phrase in ("За скільки робочих днів до прийому закривається запис",
                   "За скільки хвилин до призначеного часу можна зареєструватися в кіоску",
                   "Скільки хвилин після призначеного часу ще можна зареєструватися",
                   "Обліковий запис для входу (необовʼязково)", "обліковий запис «boss2»"):
        assert phrase in text, phrase
    for bad in ("за, роб. днів", "за, хв до часу", "до, хв після", "(логін) (", "· boss2"):
        assert bad not in text, bad


def test_phone_page_says_nobody_is_ahead(client, api) -> None:
    kiosk = api.device("kiosk")
    r = client.post("/api/v1/kiosk/tickets", json={"service": "consult"}, headers={"Authorization": f"Bearer {kiosk}"})
    token = r.get_json()["public_token"]
    page = client.get(f"/t/{token}").get_data(as_text=True)
    config = json.loads(page.split('id="phone-config" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert config["labels"]["nobody"] == "нікого"  # phone.js says "Перед вами нікого", not "0 осіб"

"""The manager's alert page: declare, all clear (rule, minutes, now), CSRF, roles, no inline script."""

from __future__ import annotations

import re

from sqlalchemy import select

from reception.offices.models import Suspension
from tests.web.leadership.test_leadership_pages import sign_in

PAGE = "/backoffice/office/suspend"


def test_manager_declares_an_alert_and_gives_the_all_clear(client, db, clock, office) -> None:
    csrf = sign_in(client, db, clock, "mgr", ["manager"])
    page = client.get(PAGE)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Оголосити тривогу" in html and "Установа працює" in html
    assert "Відбій тривоги" not in html  # nothing to resume yet
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and " on" + "change=" not in html  # no inline script

    assert client.post(PAGE, data={"office": "T1", "reason": "air_raid"}).status_code == 403  # no CSRF token
    assert client.post(PAGE, data={"csrf_token": "wrong", "office": "T1", "reason": "air_raid"}).status_code == 403
    r = client.post(PAGE, data={"csrf_token": csrf, "office": "T1", "reason": "air_raid", "note": "Сирена"})
    assert r.status_code == 302
    html = client.get(PAGE).get_data(as_text=True)
    assert "Тривогу оголошено" in html and "Прийом призупинено з 10:00." in html and "Відбій тривоги" in html

    clock.advance(minutes=45)
    r = client.post("/backoffice/office/resume", data={"csrf_token": csrf, "office": "T1", "after_min": ""})
    assert r.status_code == 302
    html = client.get(PAGE).get_data(as_text=True)
    assert "Прийом відновиться о 10:55." in html  # the rule: ten minutes after the all clear
    assert "Нова тривога: скасувати відновлення" in html

    client.post("/backoffice/office/resume", data={"csrf_token": csrf, "office": "T1", "now": "1"})
    html = client.get(PAGE).get_data(as_text=True)
    assert "Прийом відновлено." in html and "Установа працює" in html
    with db.read() as s:
        row = s.scalar(select(Suspension))
        assert row.note == "Сирена" and row.ended_at is not None


def test_refusals_are_said_in_plain_words(client, db, clock, office) -> None:
    csrf = sign_in(client, db, clock, "mgr", ["manager"])
    client.post(PAGE, data={"csrf_token": csrf, "office": "T1", "reason": "blackout"})
    client.post(PAGE, data={"csrf_token": csrf, "office": "T1", "reason": "blackout"})
    assert "вже призупинено" in client.get(PAGE).get_data(as_text=True)
    client.post("/backoffice/office/resume", data={"csrf_token": csrf, "office": "T1", "after_min": "999"})
    assert "Поле «after_min»: ціле число від 0 до 240." in client.get(PAGE).get_data(as_text=True)


def test_an_operator_cannot_open_the_alert_page(client, db, clock, office) -> None:
    csrf = sign_in(client, db, clock, "op", ["operator"])
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, data={"csrf_token": csrf, "office": "T1", "reason": "air_raid"}).status_code == 403
    with db.read() as s:
        assert s.scalar(select(Suspension)) is None


def test_the_desk_console_state_carries_the_suspension(client, db, clock, office) -> None:
    csrf = sign_in(client, db, clock, "mgr", ["manager", "operator"])
    assert client.get("/desk/T1/1/state").get_json()["suspended"] is None
    client.post(PAGE, data={"csrf_token": csrf, "office": "T1", "reason": "air_raid"})
    client.post("/backoffice/office/resume", data={"csrf_token": csrf, "office": "T1", "after_min": "15"})
    suspended = client.get("/desk/T1/1/state").get_json()["suspended"]
    assert suspended["message"].startswith("Повітряна тривога: прийом призупинено.")
    assert suspended["resume"] == "Прийом відновиться о 10:15."

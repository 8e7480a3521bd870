"""The reception-office pages render for the right roles, post with CSRF, and log record access."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from reception.accounts.models import User
from reception.audit.models import AuditLog
from tests.fakes import CSRF_TOKEN, add_user, signed_in
from tests.web.leadership.builders import add_leader, add_leadership, add_rule, set_settings


def sign_in(client, db, clock, username: str, roles: list[str]) -> str:
    """A cookie session as /login would make it; returns the CSRF token."""
    signed_in(client, db, clock, add_user(db, clock, username, roles, ["T1"]))
    return CSRF_TOKEN


@pytest.fixture
def office_ready(db, clock, office):
    add_leadership(db)
    set_settings(db, booking_cutoff_working_days=0)
    leader = add_leader(db, clock, user="boss")
    add_rule(db, clock, leader, weekday=2, start="11:00", end="13:00", slot_min=30, valid_from=date(2026, 11, 1))
    return leader


def test_public_schedule_without_sign_in(client, office_ready) -> None:
    page = client.get("/schedule").get_data(as_text=True)
    assert "Графік особистого прийому" in page and "Андрій Бондаренко" in page and "11:00–13:00" in page
    assert "Сьогодні · вівторок, 24.11.2026" in page
    english = client.get("/schedule?lang=en").get_data(as_text=True)
    assert "Andrii Bondarenko" in english and "Room 412" in english and "Today · Tuesday" in english


def test_pages_need_sign_in_and_role(client, db, clock, office_ready) -> None:
    for path in ("/backoffice/booking", "/backoffice/schedule", "/backoffice/records", "/backoffice/reception/today"):
        r = client.get(path)
        assert r.status_code == 302 and "/login" in r.headers["Location"]
    sign_in(client, db, clock, "aud", ["auditor"])
    assert client.get("/backoffice/booking").status_code == 403
    assert client.get("/backoffice/records").status_code == 200
    assert client.get("/backoffice/records/new").status_code == 403


def test_call_centre_books_through_the_page(client, db, clock, office_ready) -> None:
    csrf = sign_in(client, db, clock, "cc", ["call_centre"])
    page = client.get("/backoffice/booking").get_data(as_text=True)
    session_id = int(re.search(r"session=(\d+)", page).group(1))  # type: ignore[union-attr]
    form = {"csrf_token": csrf, "office": "T1", "session": session_id, "slot": "", "surname": "Гончар",
            "name": "Марія", "phone": "+380671112233", "topic": "Питання щодо спадщини", "conf_lang": "uk"}
    assert client.post("/backoffice/booking", data=form | {"csrf_token": "wrong"}).status_code == 403
    r = client.post("/backoffice/booking", data=form)
    assert r.status_code == 302 and "done=" in r.headers["Location"]
    done = client.get(r.headers["Location"]).get_data(as_text=True)
    code = re.search(r'id="booking-code">([^<]+)<', done).group(1)  # type: ignore[union-attr]
    assert "Вас записано на особистий прийом" in done and code in done
    # Refused: nothing typed is lost, the reason is shown.
    again = client.post("/backoffice/booking", data=form | {"slot": "2026-11-24T11:00:00+02:00"})
    assert again.status_code == 422 and "уже зайнятий" in again.get_data(as_text=True)
    assert "Питання щодо спадщини" in again.get_data(as_text=True)
    found = client.get(f"/backoffice/booking?q={code}").get_data(as_text=True)
    appt_id = int(re.search(r"/backoffice/booking/(\d+)/cancel", found).group(1))  # type: ignore[union-attr]
    r = client.post(f"/backoffice/booking/{appt_id}/cancel", data={"csrf_token": csrf, "office": "T1"})
    assert r.status_code == 302
    assert "Скасовано" in client.get(f"/backoffice/booking?q={code}").get_data(as_text=True)


def test_manager_schedule_page(client, db, clock, office_ready) -> None:
    csrf = sign_in(client, db, clock, "mgr", ["manager"])
    page = client.get("/backoffice/schedule").get_data(as_text=True)
    assert "Андрій Бондаренко" in page and "щовівторка" in page and "щотижня, вівторок" not in page
    r = client.post("/backoffice/schedule/settings", data={
        "csrf_token": csrf, "office": "T1", "observe_public_holidays": "1", "holiday_eve_shorten_min": "60",
        "booking_cutoff_working_days": "1", "reception_horizon_days": "60", "checkin_early_min": "45",
        "checkin_late_min": "20", "record_index_pattern": "{surname_initial}-{seq}"})
    assert r.status_code == 302
    r = client.post("/backoffice/schedule/settings", data={
        "csrf_token": csrf, "office": "T1", "holiday_eve_shorten_min": "60", "booking_cutoff_working_days": "1",
        "reception_horizon_days": "60", "checkin_early_min": "45", "checkin_late_min": "20",
        "record_index_pattern": "{nope}"}, follow_redirects=True)
    assert "Шаблон індексу" in r.get_data(as_text=True)
    r = client.post("/backoffice/schedule/leaders", data={"csrf_token": csrf, "office": "T1", "name_uk": "Олена Петрук",
                                                          "name_en": "Olena Petruk", "position_uk": "Директорка",
                                                          "position_en": "Director"}, follow_redirects=True)
    assert "Олена Петрук" in r.get_data(as_text=True)


def test_leader_today_and_record_from_ticket(api, client, db, clock, office_ready) -> None:
    cc = api.user("cc", ["call_centre"])
    sid = api.call("GET", "/reception-sessions?office=T1", cc).get_json()[0]["id"]
    code = api.call("POST", f"/reception-sessions/{sid}/appointments", cc,
                    json={"visitor": {"surname": "Гончар", "name": "Марія"}, "topic": "Спадщина"}).get_json()["booking_code"]
    kiosk = api.device("kiosk")
    ticket = api.call("POST", "/kiosk/checkin", kiosk, json={"booking_code": code}).get_json()
    # The leader signs in (cookie session) and works from the page's API calls.
    with db.read() as s:
        boss = s.scalar(select(User).where(User.username == "boss"))
        assert boss is not None
        uid = boss.id
    signed_in(client, db, clock, uid)
    page = client.get("/backoffice/reception/today").get_data(as_text=True)
    assert "Гончар Марія" in page and "Очікує виклику" in page and ticket["code"] in page
    headers = {"X-CSRF-Token": CSRF_TOKEN}
    assert client.post("/api/v1/desks/412/open", headers=headers).status_code == 200
    assert client.post("/api/v1/desks/412/call-next", headers=headers).get_json()["code"] == ticket["code"]
    r = client.post(f"/api/v1/tickets/{ticket['id']}/finish", headers=headers, json={"outcome": "appeal_registered"})
    assert r.status_code == 200
    form = client.get(f"/backoffice/records/new?ticket={ticket['id']}").get_data(as_text=True)
    assert 'value="Гончар"' in form and "Спадщина" in form and 'value="Андрій Бондаренко"' in form
    r = client.post(f"/backoffice/records/new?ticket={ticket['id']}&office=T1", data={
        "csrf_token": CSRF_TOKEN, "office": "T1", "reception_date": "2026-11-24", "received_by_name": "Андрій Бондаренко",
        "received_by_position": "Заступник Міністра", "surname": "Гончар", "name": "Марія", "kind": "application",
        "authorship": "individual", "questions": "Спадщина\nДовідка з реєстру", "needs_study": "1",
        "answer_method": ""})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    view = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "АБ-1/26" in view and "Довідка з реєстру" in view
    record_id = int(r.headers["Location"].rsplit("/", 1)[1])
    pdf = client.get(f"/backoffice/records/{record_id}/card.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    with db.read() as s:
        actions = list(s.scalars(select(AuditLog.action).where(AuditLog.object_id == str(record_id),
                                                                AuditLog.object_type == "reception_record")))
    assert actions == ["record.create", "record.view", "record.print"]
    listing = client.get("/backoffice/records?state=open").get_data(as_text=True)
    assert "АБ-1/26" in listing


@pytest.mark.parametrize("roles", [["manager"], ["leader"], ["admin"]])
def test_today_page_offers_the_room_only_to_who_may_run_it(client, db, clock, office_ready, roles) -> None:
    """The page shows "Почати прийом" exactly when the permission table lets the caller open the room: a manager
    watching a leader's day sees no button that would answer "Ваша роль не дозволяє цю дію"."""
    from reception.kernel.identity import Actor
    from reception.kernel.permissions import Action, permits

    if roles == ["leader"]:
        with db.read() as s:
            boss = s.scalar(select(User).where(User.username == "boss"))
            assert boss is not None
            signed_in(client, db, clock, boss.id)
    else:
        sign_in(client, db, clock, "someone", roles)
    page = client.get("/backoffice/reception/today").get_data(as_text=True)
    assert "Андрій Бондаренко" in page and "11:00–13:00" in page
    shown = 'data-action="open"' in page
    allowed = permits(Actor(user_id=1, roles=frozenset(roles)), Action.DESK_OPERATE)
    assert shown == allowed
    opened = client.post("/api/v1/desks/412/open", headers={"X-CSRF-Token": CSRF_TOKEN})
    assert (opened.status_code == 200) == shown, opened.get_data(as_text=True)
    if not shown:
        assert "Ви переглядаєте прийом" in page

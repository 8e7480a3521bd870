"""Administration pages: forms save (audited, hinted), refusals in Ukrainian, CSRF, roles."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from reception.accounts.models import Device, User
from reception.audit.models import AuditLog
from reception.offices.models import Desk, Office, PriorityCategory, Service
from tests.fakes import add_device, add_user
from tests.web.desk.helpers import Staff, csrf_from

PAGES = ["/backoffice/admin", "/backoffice/admin/office", "/backoffice/admin/services", "/backoffice/admin/desks",
         "/backoffice/admin/devices", "/backoffice/admin/users"]


@pytest.fixture
def staff(app, db, clock, office):
    def make(username: str, roles: list[str], offices: list[str] | None = None) -> Staff:
        add_user(db, clock, username, roles, offices if offices is not None else ["T1"])
        session = Staff(app)
        assert session.login(username).status_code == 302
        return session

    return make


def _post(who: Staff, path: str, page: str, data: dict[str, Any]) -> Any:
    token = csrf_from(who.client.get(page).get_data(as_text=True))
    return who.client.post(path, data={"csrf_token": token, "office": "T1", **data}, follow_redirects=True)


def _office_form(**over: Any) -> dict[str, Any]:
    form = {"name_uk": "Центр «Прийомна»", "name_en": "Reception centre", "timezone": "Europe/Kyiv",
            "hours_1": "09:00–13:00, 14:00–18:00", "hours_2": "09:00-18:00", "priority_interleave": "3",
            "recalls_before_no_show": "1", "reactivation_window_min": "30", "double_call_window_s": "5", "late_move_places": "3",
            "observe_public_holidays": "1", "announce_en": "1"}
    return form | over


def test_every_page_renders_for_a_manager_in_ukrainian(staff) -> None:
    boss = staff("boss", ["manager"])
    for page in PAGES:
        r = boss.client.get(page)
        assert r.status_code == 200, page
        html = r.get_data(as_text=True)
        assert 'lang="uk"' in html and "<script>" not in html and "onchange=" not in html


def test_operator_gets_403_and_signed_out_goes_to_login(staff, client) -> None:
    op = staff("op", ["operator"])
    for page in [*PAGES, "/backoffice/admin/lists", "/backoffice/audit"]:
        assert op.client.get(page).status_code == 403, page
    assert client.get("/backoffice/admin").status_code == 302


def test_office_form_saves_hours_and_settings_audited_and_hinted(staff, db, app) -> None:
    boss = staff("boss", ["manager"])
    r = _post(boss, "/backoffice/admin/office", "/backoffice/admin/office", _office_form())
    html = r.get_data(as_text=True)
    assert "Зміни збережено" in html
    with db.read() as s:
        office = s.scalar(select(Office).where(Office.code == "T1"))
        assert office is not None
        assert office.name_uk == "Центр «Прийомна»"
        assert office.opening_hours == {"1": [["09:00", "13:00"], ["14:00", "18:00"]], "2": [["09:00", "18:00"]]}
        assert office.settings["priority_interleave"] == 3 and office.settings["observe_public_holidays"] is True
        assert office.settings["allow_call_specific"] is False
        row = s.scalar(select(AuditLog).where(AuditLog.action == "office.update"))
        assert row is not None and row.detail["before"]["name_uk"] == "Тестова установа T1"
    assert any(e.name == "config_changed" for e in app.config["publisher"].events)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("timezone", "Mars/Olympus", "Часовий пояс не знайдено"),
    ("hours_3", "18:00–09:00", "Години роботи"),
    ("hours_4", "з девʼятої", "Години роботи"),
    ("priority_interleave", "0", "Пільгових викликів поспіль"),
    ("name_uk", "", "Назва українською"),
])
def test_office_form_refusals_are_ukrainian_and_change_nothing(staff, db, field, value, message) -> None:
    boss = staff("boss", ["manager"])
    html = _post(boss, "/backoffice/admin/office", "/backoffice/admin/office",
                 _office_form(**{field: value})).get_data(as_text=True)
    assert message in html and "flash-error" in html
    for english in ("timezone", "opening_hours", "priority_interleave", "name_uk"):
        assert f"{english}:" not in html
    with db.read() as s:
        assert s.scalar(select(Office.name_uk).where(Office.code == "T1")) == "Тестова установа T1"
        assert s.scalar(select(AuditLog.id).where(AuditLog.action == "office.update")) is None


def test_office_form_sets_the_privacy_contact_trimmed_audited_and_shown_on_the_notice(staff, db, client) -> None:
    boss = staff("boss", ["manager"])
    contact = "Кімната 101, тел. 044 000 00 00."
    html = _post(boss, "/backoffice/admin/office", "/backoffice/admin/office",
                 _office_form(privacy_contact=f"  {contact}\n ")).get_data(as_text=True)
    assert "Зміни збережено" in html and f">{contact}</textarea>" in html  # the form shows it back
    assert "Кого питати про персональні дані" in html
    with db.read() as s:
        assert s.scalar(select(Office.settings).where(Office.code == "T1"))["privacy_contact"] == contact
        row = s.scalar(select(AuditLog).where(AuditLog.action == "office.update"))
        assert row is not None
        assert (row.detail["before"]["privacy_contact"], row.detail["after"]["privacy_contact"]) == ("", contact)
    assert contact in client.get("/privacy?office=T1").get_data(as_text=True)
    audit = staff("aud", ["auditor"]).client.get("/backoffice/audit").get_data(as_text=True)
    assert f"Кого питати про персональні дані: {contact}" in audit


@pytest.mark.parametrize("value", ["Кімната\x00101", "к" * 501])
def test_office_form_refuses_a_nul_or_overlong_privacy_contact(staff, db, value) -> None:
    boss = staff("boss", ["manager"])
    html = _post(boss, "/backoffice/admin/office", "/backoffice/admin/office",
                 _office_form(privacy_contact=value, name_uk="Інша назва")).get_data(as_text=True)
    assert "flash-error" in html and "Кого питати про персональні дані: звичайний текст, не довше 500 символів" in html
    with db.read() as s:
        office = s.scalar(select(Office).where(Office.code == "T1"))
        assert office is not None and office.name_uk == "Тестова установа T1"  # nothing changed
        assert "privacy_contact" not in (office.settings or {})
        assert s.scalar(select(AuditLog.id).where(AuditLog.action == "office.update")) is None


def test_forms_need_the_csrf_token(staff, db) -> None:
    boss = staff("boss", ["manager"])
    r = boss.client.post("/backoffice/admin/office", data={"office": "T1", **_office_form()})
    assert r.status_code == 403
    r = boss.client.post("/backoffice/admin/services/consult", data={"office": "T1", "csrf_token": "forged"})
    assert r.status_code == 403
    with db.read() as s:
        assert s.scalar(select(Office.name_uk).where(Office.code == "T1")) == "Тестова установа T1"


def test_service_form_saves_and_refuses_walk_ins_for_specialists(staff, db) -> None:
    boss = staff("boss", ["manager"])
    form = {"prefix": "К", "name_uk": "Консультація юриста", "name_en": "Legal advice", "description_uk": "",
            "description_en": "", "kind": "specialist", "daily_limit": "50", "target_wait_min": "20",
            "default_service_min": "12,5", "is_active": "1"}
    html = _post(boss, "/backoffice/admin/services/consult", "/backoffice/admin/services", form).get_data(as_text=True)
    assert "Зміни збережено" in html
    with db.read() as s:
        service = s.scalar(select(Service).where(Service.code == "consult"))
        assert service is not None and (service.name_uk, service.daily_limit, service.default_service_min) == (
            "Консультація юриста", 50, 12.5)
    html = _post(boss, "/backoffice/admin/services/consult", "/backoffice/admin/services",
                 form | {"walk_ins": "1"}).get_data(as_text=True)
    assert "лише для послуг керівництва" in html
    html = _post(boss, "/backoffice/admin/services/consult", "/backoffice/admin/services",
                 form | {"daily_limit": "-3"}).get_data(as_text=True)
    assert "Денний ліміт" in html


def test_desk_form_sets_services_and_weights(staff, db) -> None:
    boss = staff("boss", ["manager"])
    r = boss.client.get("/backoffice/admin/desks")
    token = csrf_from(r.get_data(as_text=True))
    data = {"csrf_token": token, "office": "T1", "name_uk": "Вікно 2", "name_en": "Window 2", "zone": "hall",
            "kind": "window", "services": ["consult", "appeal"], "weight_consult": "1", "weight_appeal": "3",
            "allow_call_specific": "1"}
    html = boss.client.post("/backoffice/admin/desks/2", data=data, follow_redirects=True).get_data(as_text=True)
    assert "Зміни збережено" in html
    with db.read() as s:
        desk = s.scalar(select(Desk).where(Desk.code == "2"))
        assert desk is not None and desk.zone == "hall" and desk.allow_call_specific
        assert {ds.service.code: ds.weight for ds in desk.services} == {"consult": 1.0, "appeal": 3.0}


def test_devices_page_lists_renames_and_revokes(staff, db, clock, client) -> None:
    boss = staff("boss", ["manager"])
    token = add_device(db, clock, "kiosk", "T1", name="Кіоск біля входу")
    html = boss.client.get("/backoffice/admin/devices").get_data(as_text=True)
    assert "Кіоск біля входу" in html and "ще не виходив на звʼязок" in html
    with db.read() as s:
        device_id = s.scalar(select(Device.id))
    _post(boss, f"/backoffice/admin/devices/{device_id}/rename", "/backoffice/admin/devices", {"name": "Кіоск 2"})
    html = _post(boss, f"/backoffice/admin/devices/{device_id}/revoke", "/backoffice/admin/devices", {}).get_data(
        as_text=True)
    assert "доступ відкликано" in html
    assert client.get("/api/v1/kiosk/menu", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    with db.read() as s:
        assert s.scalar(select(Device.name)) == "Кіоск 2"


def test_users_page_creates_disables_and_resets(staff, db, app) -> None:
    boss = staff("boss", ["manager"])
    html = _post(boss, "/backoffice/admin/users", "/backoffice/admin/users",
                 {"username": "olena", "full_name": "Олена Петренко", "password": "long-password-1",
                  "roles": "operator", "offices": "T1"}).get_data(as_text=True)
    assert "Користувача додано." in html and "Олена Петренко" in html
    html = _post(boss, "/backoffice/admin/users", "/backoffice/admin/users",
                 {"username": "petro", "password": "short", "roles": "operator", "offices": "T1"}).get_data(as_text=True)
    assert "Пароль: щонайменше 8 символів" in html
    with db.read() as s:
        olena = s.scalar(select(User).where(User.username == "olena"))
        assert olena is not None and s.scalar(select(User.id).where(User.username == "petro")) is None
    _post(boss, f"/backoffice/admin/users/{olena.id}", "/backoffice/admin/users",
          {"roles": "operator", "offices": "T1", "disabled": "1", "full_name": "Олена Петренко"})
    assert Staff(app).login("olena", "long-password-1").status_code != 302
    _post(boss, f"/backoffice/admin/users/{olena.id}", "/backoffice/admin/users",
          {"roles": "operator", "offices": "T1", "full_name": "Олена Петренко"})
    _post(boss, f"/backoffice/admin/users/{olena.id}/password", "/backoffice/admin/users", {"password": "new-pass-123"})
    assert Staff(app).login("olena", "new-pass-123").status_code == 302


def test_lists_page_is_for_admins_adds_renames_deactivates(staff, db, app) -> None:
    assert staff("boss", ["manager"]).client.get("/backoffice/admin/lists").status_code == 403
    root = staff("root", ["admin"], [])
    html = _post(root, "/backoffice/admin/lists/category", "/backoffice/admin/lists",
                 {"code": "idp", "name_uk": "Внутрішньо переміщені особи", "name_en": "IDPs"}).get_data(as_text=True)
    assert "Зміни збережено" in html
    with db.read() as s:
        row = s.scalar(select(PriorityCategory).where(PriorityCategory.code == "idp"))
        assert row is not None and row.is_active
    _post(root, f"/backoffice/admin/lists/category/{row.id}", "/backoffice/admin/lists",
          {"name_uk": "ВПО", "name_en": "IDPs"})
    with db.read() as s:
        row = s.get(PriorityCategory, row.id)
        assert row is not None and (row.name_uk, row.is_active) == ("ВПО", False)
    assert [e for e in app.config["publisher"].events if e.name == "config_changed"]


def test_audit_page_filters_and_shows_before_and_after(staff, db) -> None:
    boss = staff("boss", ["manager"])
    _post(boss, "/backoffice/admin/office", "/backoffice/admin/office", _office_form())
    auditor = staff("aud", ["auditor"])
    html = auditor.client.get("/backoffice/audit").get_data(as_text=True)
    assert "змінено установу" in html and "Тестова установа T1" in html and "Центр «Прийомна»" in html
    assert "Назва українською" in html  # field names in words, not codes
    html = auditor.client.get("/backoffice/audit?kind=device").get_data(as_text=True)
    assert "змінено установу" not in html
    html = auditor.client.get("/backoffice/audit?from=2026/12/01").get_data(as_text=True)
    assert "З дати" in html and "flash-error" in html
    main = html.split('class="bo-main"')[1]
    assert 'method="post"' not in main  # read-only: nothing on the page can change the log

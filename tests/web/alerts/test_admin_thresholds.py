"""The admin office page's alert thresholds: shown as they work (the defaults until set), saved as typed
(only what was set or changed, the rest stays a default), refused in plain Ukrainian with nothing changed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from reception.offices.models import Office
from tests.fakes import add_user
from tests.web.admin.test_admin_pages import _office_form, _post
from tests.web.desk.helpers import Staff


def stored(db) -> dict[str, Any]:
    with db.read() as s:
        settings = s.scalar(select(Office.settings).where(Office.code == "T1")) or {}
    return dict(settings.get("alerts") or {})


def test_the_thresholds_are_shown_saved_and_refused_in_plain_words(app, db, clock, office: Any) -> None:
    add_user(db, clock, "boss", ["manager"], ["T1"])
    boss = Staff(app)
    assert boss.login("boss").status_code == 302
    page = boss.client.get("/backoffice/admin/office").get_data(as_text=True)
    assert 'id="alert-thresholds"' in page and "Пороги сповіщень" in page
    assert 'name="alert_device_offline_min" value="5"' in page and 'name="alert_appeals_near_due_days" value="3"' in page
    assert "Попереджати про строк відповіді за, днів" in page

    html = _post(boss, "/backoffice/admin/office", "/backoffice/admin/office", _office_form(
        alert_device_offline_min="5", alert_appeals_near_due_days="7",
        alert_appeals_overdue_critical_days="")).get_data(as_text=True)
    assert "Зміни збережено" in html and 'name="alert_appeals_near_due_days" value="7"' in html
    assert stored(db) == {"appeals_near_due_days": 7}  # an unchanged default stays a default

    for bad, words in (("0", "Наближення строку відповіді: від 1 до 30 днів."),
                       ("сім", "Наближення строку відповіді: від 1 до 30 днів."),
                       ("31", "від 1 до 30 днів")):
        html = _post(boss, "/backoffice/admin/office", "/backoffice/admin/office", _office_form(
            alert_appeals_near_due_days=bad, alert_device_offline_min="9")).get_data(as_text=True)
        assert "flash-error" in html and words in html
    assert stored(db) == {"appeals_near_due_days": 7}  # nothing changed, the good field neither

    html = _post(boss, "/backoffice/admin/office", "/backoffice/admin/office", _office_form(
        alert_device_offline_min="1441")).get_data(as_text=True)
    assert "Пристрій не на звʼязку: від 1 до 1440 хвилин." in html
    _post(boss, "/backoffice/admin/office", "/backoffice/admin/office", _office_form(alert_device_offline_min="12"))
    assert stored(db) == {"appeals_near_due_days": 7, "device_offline_min": 12}

"""Screens changed for a new user, in real Chromium: the public schedule on a phone (360×740) with the
contact centre's number, and desk-size (1366×768) pages: the report with long service names, an error
page for a signed-in user, the office settings. Screenshots go to /tmp/h6-shots for a person to look at."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import update

from reception.offices.models import Service
from tests.browser.test_leadership_flow import DESKTOP, PASSWORD
from tests.fakes import add_user
from tests.web.leadership.builders import add_leader, add_leadership, add_rule, set_settings

SHOTS = Path("/tmp/h6-shots")
PHONE = {"width": 360, "height": 740}


def _page(browser: Any, viewport: dict[str, int]) -> Any:
    return browser.new_context(viewport=viewport, locale="uk-UA").new_page()


def _sign_in(page: Any, base: str, username: str, path: str) -> None:
    page.goto(f"{base}/login?next={quote(path)}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path.split('?')[0]}*")
    page.wait_for_load_state("load")


def test_public_schedule_on_a_phone_gives_the_contact_centre_number(browser, live_server, db, clock, office
                                                                     ) -> None:
    add_leadership(db)
    add_rule(db, clock, add_leader(db, clock), weekday=2, start="11:00", end="13:00", slot_min=20,
             valid_from=date(2026, 11, 1))
    set_settings(db, contact_phone="+380800500335")
    SHOTS.mkdir(exist_ok=True)
    page = _page(browser, PHONE)
    try:
        page.goto(f"{live_server.url}/schedule?office=T1")
        link = page.locator("#pub-intro a.pub-phone")
        assert link.inner_text() == "0800 500 335" and link.get_attribute("href") == "tel:+380800500335"
        box = link.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"]  # no sideways scrolling
        page.screenshot(path=str(SHOTS / "public-schedule-phone.png"), full_page=True)
    finally:
        page.context.close()


def test_desk_size_screens(browser, live_server, db, clock, office) -> None:
    with db.write() as s:
        s.execute(update(Service).where(Service.code == "consult").values(name_uk="Безоплатна правова допомога"))
        s.execute(update(Service).where(Service.code == "appeal").values(name_uk="Юридична консультація"))
    add_user(db, clock, "mgr", ["manager"], ["T1"])
    add_user(db, clock, "cc", ["call_centre"], ["T1"])
    SHOTS.mkdir(exist_ok=True)
    page = _page(browser, DESKTOP)
    try:
        _sign_in(page, live_server.url, "mgr", "/backoffice/admin/office")
        assert page.locator("select[name=timezone] option:checked").inner_text() == "Київ"
        page.screenshot(path=str(SHOTS / "admin-office.png"), full_page=True)
        page.goto(f"{live_server.url}/backoffice/admin/users")
        page.screenshot(path=str(SHOTS / "admin-users.png"))
        page.goto(f"{live_server.url}/backoffice/reports?office=T1")
        page.screenshot(path=str(SHOTS / "reports.png"), full_page=True)
    finally:
        page.context.close()
    page = _page(browser, DESKTOP)
    try:
        page.goto(f"{live_server.url}/login")
        page.fill("input[name=username]", "cc")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/backoffice/booking*")  # the call-centre lands on booking
        nav = page.inner_text(".bo-nav")
        assert "Робоче місце" not in nav
        page.screenshot(path=str(SHOTS / "call-centre-landing.png"))
        response = page.goto(f"{live_server.url}/backoffice/reports")
        assert response is not None and response.status == 403
        assert page.locator("text=Увійти").count() == 0 and page.locator("#to-work").inner_text() == "Запис на прийом"
        page.screenshot(path=str(SHOTS / "error-403-signed-in.png"))
    finally:
        page.context.close()


def test_report_chart_labels_are_whole_words(browser, live_server, db, clock) -> None:
    from tests.web import reports_dataset as ds

    ds.build(db, clock)
    with db.write() as s:
        s.execute(update(Service).where(Service.code == "consult").values(name_uk="Безоплатна правова допомога"))
        s.execute(update(Service).where(Service.code == "appeal").values(name_uk="Юридична консультація"))
    add_user(db, clock, "mgr", ["manager"], ["T1"])
    SHOTS.mkdir(exist_ok=True)
    page = _page(browser, DESKTOP)
    try:
        _sign_in(page, live_server.url, "mgr", "/backoffice/reports?office=T1&from=24.11.2026&to=25.11.2026")
        labels = page.locator(".rp-chart").last.locator("text.rp-xlab")
        lines = [t.strip() for t in labels.locator("tspan").all_text_contents()]
        assert lines == ["Безоплатна правова допомога", "Юридична консультація"], lines  # whole, not cut at 16
        page.locator(".rp-charts").screenshot(path=str(SHOTS / "report-charts.png"))
    finally:
        page.context.close()

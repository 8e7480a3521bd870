"""Date fields and form messages under an en-US Chromium (Debian's ships en-US only): dates read and are
picked as dd.mm.yyyy, and every constraint message is the product's own, in Ukrainian."""

from __future__ import annotations

from typing import Any

from tests.browser.test_leadership_flow import DESKTOP, PASSWORD
from tests.fakes import add_user
from tests.web.leadership.builders import add_leadership

SHOTS = "/tmp/h6-shots"


def _en_us(browser: Any) -> Any:
    """The browser's own language is en-US (its messages and date inputs); the page is Ukrainian."""
    return browser.new_context(viewport=DESKTOP, locale="en-US", extra_http_headers={"Accept-Language": "uk"}
                               ).new_page()


def test_sign_in_messages_are_the_products_own(browser, live_server, office) -> None:
    page = _en_us(browser)
    try:
        page.goto(f"{live_server.url}/login?lang=uk")
        assert page.evaluate("navigator.language") == "en-US" and page.inner_text("h1") == "Вхід для працівників"
        page.click("button[type=submit]")
        message = page.eval_on_selector("input[name=username]", "el => el.validationMessage")
        assert message == "Заповніть це поле."
        page.fill("input[name=username]", "x")
        assert page.eval_on_selector("input[name=username]", "el => el.validationMessage") == ""
    finally:
        page.context.close()


def test_report_dates_read_ddmmyyyy_and_the_calendar_picks_one(browser, live_server, db, clock, office
                                                                ) -> None:
    add_leadership(db)
    add_user(db, clock, "mgr", ["manager"], ["T1"])
    page = _en_us(browser)
    try:
        page.goto(f"{live_server.url}/login?next=/backoffice/reports")
        page.fill("input[name=username]", "mgr")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/backoffice/reports*")
        page.wait_for_load_state("load")
        today = clock.now().strftime("%d.%m.%Y")
        assert page.input_value("input[name=to]") == today
        page.fill("input[name=from]", "31.02.2026")
        page.click(".rp-filters button[type=submit]")
        assert page.eval_on_selector("input[name=from]", "el => el.validationMessage").startswith(
            "Введіть дату у форматі ДД.ММ.РРРР")
        page.fill("input[name=from]", "1.11.2026")
        page.press("input[name=from]", "Tab")
        assert page.input_value("input[name=from]") == "01.11.2026"
        page.click("input[name=from] + .bo-date-btn")
        assert page.locator(".bo-cal-title").inner_text() == "Листопад 2026"
        page.locator(".bo-cal-step").nth(0).click()
        assert page.locator(".bo-cal-title").inner_text() == "Жовтень 2026"
        page.screenshot(path=f"{SHOTS}/reports-calendar-en-US.png")
        page.locator(".bo-cal-day", has_text="3").first.click()
        assert page.input_value("input[name=from]") == "03.10.2026"
        page.click(".rp-filters button[type=submit]")
        page.wait_for_url("**from=03.10.2026*")
        assert "3 жовтня 2026" in page.inner_text("#report-period")
        page.screenshot(path=f"{SHOTS}/reports-en-US.png", full_page=True)
    finally:
        page.context.close()

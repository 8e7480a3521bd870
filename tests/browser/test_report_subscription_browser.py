"""Real headless Chromium at 1366×768: the manager subscribes to the weekly report on the reports page,
sees it listed, and unsubscribes; screenshot for review."""

from __future__ import annotations

from reception.ops.demo import seed

LAPTOP = {"width": 1366, "height": 768}


def test_the_manager_subscribes_to_the_weekly_report(browser, live_server, db, clock, tmp_path,
                                                     screenshot_dir) -> None:
    info = seed(db, clock, str(tmp_path))
    errors: list[str] = []
    page = browser.new_context(viewport=LAPTOP, locale="uk-UA").new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    base = live_server.url
    page.goto(f"{base}/login?next=/backoffice/reports")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", info["users"]["manager"])
    page.locator("main form button").first.click()
    page.wait_for_url("**/backoffice/reports**")
    assert "Підписок поки немає." in page.inner_text("#subscriptions")
    page.select_option("#subscribe-form select[name=period]", "week")
    page.fill("#subscribe-form input[name=address]", "oksana@example.org")
    page.click("#subscribe-form button[type=submit]")
    page.wait_for_selector("#subscriptions li")
    assert "щотижня, на oksana@example.org" in page.inner_text("#subscriptions li")
    assert "Підписку оформлено." in page.inner_text("body")
    page.locator("#subscriptions").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "reports-subscription-1366x768.png"))
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    page.click("#subscriptions li button[type=submit]")
    page.wait_for_selector("#no-subscriptions")
    assert errors == []

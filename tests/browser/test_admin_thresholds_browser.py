"""Real headless Chromium: the admin office page's alert thresholds at the desk laptop's 1366×768 — the
fieldset is there with its Ukrainian labels, the page does not scroll sideways, a save keeps a changed
threshold (screenshot kept)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reception.ops.demo import seed

LAPTOP = {"width": 1366, "height": 768}
SHOTS = Path(os.environ.get("ADMIN_SHOTS", "/tmp/admin"))


@pytest.mark.one_suite("sqlite")
def test_the_thresholds_fieldset_at_the_laptop_size(browser, live_server, db, clock, tmp_path) -> None:
    info = seed(db, clock, str(tmp_path))
    base, users = live_server.url, info["users"]
    errors: list[str] = []
    page = browser.new_context(viewport=LAPTOP, locale="uk-UA").new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base}/login?next=/backoffice/admin/office")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", users["manager"])
    page.locator("main form button").first.click()
    page.wait_for_url("**/backoffice/admin/office**")
    box = page.locator("#alert-thresholds")
    box.scroll_into_view_if_needed()
    assert box.is_visible() and "Пороги сповіщень" in box.inner_text()
    assert box.locator("input[type=number]").count() == 8
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-thresholds-1366x768.png"))

    page.fill("input[name=alert_appeals_near_due_days]", "5")
    page.locator("#alert-thresholds ~ button[type=submit]").click()
    page.wait_for_selector("text=Зміни збережено")
    assert page.input_value("input[name=alert_appeals_near_due_days]") == "5"
    assert errors == []

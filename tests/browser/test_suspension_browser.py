"""Real headless Chromium: the manager declares an air-raid alert on the back-office page, the
kiosk (1080×1920) stops issuing and says why, the wall display (1920×1080) shows and announces
the notice; the all clear brings both back and numbering continues."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from reception.ops.demo import seed

KIOSK = {"width": 1080, "height": 1920}
TV = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1366, "height": 768}
FITS = ("(() => { const d = document.documentElement; return d.scrollHeight <= innerHeight && "
        "d.scrollWidth <= innerWidth; })()")


@pytest.fixture
def app(db, db_url: str, clock) -> Iterator[Any]:
    """The test app with the real Socket.IO publisher, and a kiosk that polls its menu each second."""
    from tests.fakes import make_test_app

    application = make_test_app(db_url, clock)
    application.config["KIOSK_POLL_S"] = 1
    yield application
    application.extensions["reception"].db.dispose()


def _issue(base: str, token: str) -> requests.Response:
    return requests.post(f"{base}/api/v1/kiosk/tickets", json={"service": "consult"}, timeout=10,
                         headers={"Authorization": f"Bearer {token}"})


def test_alert_stops_the_kiosk_and_covers_the_display_until_the_all_clear(
        browser, live_server, db, clock, tmp_path, screenshot_dir) -> None:
    info = seed(db, clock, str(tmp_path))
    base = live_server.url
    before = _issue(base, info["kiosk_token"]).json()
    errors: list[str] = []

    tv = browser.new_context(viewport=TV).new_page()
    tv.on("pageerror", lambda exc: errors.append(str(exc)))
    tv.goto(f"{base}/display?token={info['display_token']}")
    tv.wait_for_function("() => window.__display && window.__display.state.version >= 0")
    assert tv.is_hidden("#suspended")

    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True).new_page()
    phone.on("pageerror", lambda exc: errors.append(str(exc)))
    phone.goto(f"{base}/t/{before['public_token']}")
    assert phone.is_hidden("#suspended")

    kiosk = browser.new_context(viewport=KIOSK, locale="uk-UA", has_touch=True).new_page()
    kiosk.on("pageerror", lambda exc: errors.append(str(exc)))
    kiosk.goto(f"{base}/kiosk?token={info['kiosk_token']}")
    kiosk.wait_for_selector(".tile.service")

    # An operator at Window 1 (desk console on a laptop).
    desk = browser.new_context(viewport=LAPTOP, locale="uk-UA").new_page()
    desk.on("pageerror", lambda exc: errors.append(str(exc)))
    desk.goto(f"{base}/login")
    desk.fill("input[name=username]", "operator")
    desk.fill("input[name=password]", info["users"]["operator"])
    desk.locator("main form button").first.click()
    desk.wait_for_url(f"{base}/desk")
    desk.click("form[data-desk='1'] button[type=submit]")
    desk.wait_for_selector("#live[data-live=on]", timeout=10000)
    assert desk.is_hidden("#suspended") and desk.is_enabled("#btn-next")

    # The manager's one action, on the back-office page.
    office = browser.new_context(viewport=LAPTOP, locale="uk-UA").new_page()
    office.goto(f"{base}/login?next=/backoffice/office/suspend")
    office.fill("input[name=username]", "manager")
    office.fill("input[name=password]", info["users"]["manager"])
    office.locator("main form button").first.click()
    office.wait_for_url("**/backoffice/office/suspend**")
    assert "Установа працює" in office.inner_text("#susp-state")
    office.check("input[name=reason][value=air_raid]")
    office.click("button.susp-declare")
    office.wait_for_selector(".susp-state.is-suspended")
    office.screenshot(path=str(screenshot_dir / "suspension-page-1366x768.png"))

    # The display: the notice over the calls, announced through the display's announcer.
    tv.wait_for_selector("#suspended:not([hidden])", timeout=5000)
    assert tv.inner_text("#s-title-uk").lower() == "повітряна тривога"
    assert "найближчого укриття" in tv.inner_text("#s-text-uk")
    assert tv.inner_text("#s-title-en") == "Air-raid alert"
    tv.wait_for_function("() => window.__display.announcer.played >= 1", timeout=20000)
    assert tv.evaluate(FITS)
    assert tv.evaluate("(() => { const b = document.querySelector('.s-body');"
                       " return b.scrollHeight <= b.clientHeight + 1 && b.scrollWidth <= b.clientWidth + 1; })()")
    tv.screenshot(path=str(screenshot_dir / "display-suspended-1920x1080.png"))

    # The kiosk: within a poll, the reason in plain Ukrainian and no service to tap.
    kiosk.wait_for_selector("#suspended-panel:not([hidden])", timeout=5000)
    assert kiosk.inner_text("#suspended-text").startswith(
        "Видача талонів призупинена. Пройдіть, будь ласка, до найближчого укриття.")
    assert kiosk.inner_text("#suspended-title") == "Повітряна тривога"
    assert kiosk.locator(".tile.service").count() == 0
    assert kiosk.is_hidden("#footer") and kiosk.is_hidden("#closed-panel")
    assert kiosk.evaluate(FITS)
    kiosk.screenshot(path=str(screenshot_dir / "kiosk-suspended-1080x1920.png"))
    refused = _issue(base, info["kiosk_token"])
    assert refused.status_code == 503 and refused.json()["code"] == "office_suspended"

    # The desk: the reason in staff words, and Next cannot be pressed.
    desk.wait_for_selector("#suspended:not([hidden])", timeout=5000)
    assert desk.inner_text("#suspended-text").startswith("Повітряна тривога: прийом призупинено.")
    assert desk.is_disabled("#btn-next")
    desk.screenshot(path=str(screenshot_dir / "desk-suspended-1366x768.png"))

    # The visitor's phone: the notice, and the ticket still in the queue.
    phone.wait_for_selector("#suspended:not([hidden])", timeout=5000)
    assert phone.inner_text("#s-title") == "Повітряна тривога" and phone.is_visible("#wait")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(screenshot_dir / "phone-suspended-360x740.png"), full_page=True)

    # The all clear by the rule (field left empty): ten minutes; every screen says when.
    office.click("#h-all-clear ~ form button:not([name])")
    office.wait_for_selector("text=Прийом відновиться о 10:10.")
    tv.wait_for_selector("#s-resume:not([hidden])", timeout=5000)
    assert tv.inner_text("#s-resume-uk") == "Прийом відновиться о 10:10."
    kiosk.wait_for_selector("#suspended-resume:not([hidden])", timeout=5000)
    assert kiosk.inner_text("#suspended-resume") == "Прийом відновиться о 10:10."
    tv.screenshot(path=str(screenshot_dir / "display-all-clear-1920x1080.png"))
    kiosk.screenshot(path=str(screenshot_dir / "kiosk-all-clear-1080x1920.png"))

    # Reopen at once: both screens come back; the next ticket continues the numbering.
    office.click("button[name=now]")
    phone.wait_for_selector("#suspended", state="hidden", timeout=5000)
    office.wait_for_selector(".susp-state.is-working")
    tv.wait_for_selector("#suspended", state="hidden", timeout=5000)
    kiosk.wait_for_selector(".tile.service", timeout=5000)
    assert kiosk.is_hidden("#suspended-panel")
    desk.wait_for_selector("#suspended", state="hidden", timeout=5000)
    assert desk.is_enabled("#btn-next")
    after = _issue(base, info["kiosk_token"]).json()
    assert after["number"] == before["number"] + 1
    tv.screenshot(path=str(screenshot_dir / "display-resumed-1920x1080.png"))
    assert not errors, errors

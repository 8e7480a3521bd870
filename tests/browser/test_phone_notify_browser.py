"""The phone page's messages block in real Chromium at 360x740: opt in by SMS (the subscription is
stored and confirmed), unsubscribe with one tap, a bad number refused in Ukrainian, "running late"
with its confirmation; no sideways scrolling; screenshots looked at."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from reception.notifications.models import Message, Subscription

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.mark.one_suite("sqlite")
def test_phone_page_sms_opt_in_unsubscribe_and_late(browser, live_server, api, db, app, screenshot_dir) -> None:
    app.config |= {"TELEGRAM_BOT_NAME": "cnap_test_bot", "VIBER_BOT_URI": "cnaptest"}
    kiosk = api.device("kiosk")
    mine = api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).get_json()
    for _ in range(3):
        api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"})
    context = browser.new_context(**PHONE)
    errors: list[str] = []
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/t/{mine['public_token']}")
    assert page.inner_text("#notify-title") == "Сповіщення"
    assert page.is_visible("#n-telegram") and page.is_visible("#n-viber")
    assert "погоджуєтеся" in page.inner_text("#n-consent")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(screenshot_dir / "phone_notify_360x740.png"), full_page=True)

    page.fill("#n-phone", "12")
    page.click("#n-sms-form button[type=submit]")
    page.wait_for_function("() => document.getElementById('n-status').textContent.length > 0")
    assert "номер" in page.inner_text("#n-status").lower()
    with db.read() as s:
        assert s.scalars(select(Subscription)).all() == []

    page.fill("#n-phone", "050 111 22 33")
    page.click("#n-sms-form button[type=submit]")
    page.wait_for_selector("#n-list li")
    assert "SMS" in page.inner_text("#n-list") and "Увімкнено" in page.inner_text("#n-list")
    assert page.inner_text("#n-status") == "Сповіщення увімкнено."
    with db.read() as s:
        [sub] = s.scalars(select(Subscription)).all()
        assert sub.address == "+380501112233" and sub.revoked_at is None
        assert [m.kind for m in s.scalars(select(Message))] == ["subscribed"]
    page.screenshot(path=str(screenshot_dir / "phone_notify_subscribed_360x740.png"), full_page=True)

    page.click("#n-list .n-off")
    page.wait_for_function("() => document.querySelectorAll('#n-list li').length === 0")
    assert page.inner_text("#n-status") == "Сповіщення вимкнено."
    with db.read() as s:
        [sub] = s.scalars(select(Subscription)).all()
        assert sub.revoked_at is not None and sub.address is None

    page.click("#r-late")
    assert page.is_visible("#r-confirm") and "один раз" in page.inner_text("#r-question")
    page.click("#r-yes")
    page.wait_for_function("() => document.getElementById('r-status').textContent.length > 0")
    assert "перед вами — 3" in page.inner_text("#r-status")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(screenshot_dir / "phone_notify_late_360x740.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    context.close()


@pytest.mark.one_suite("sqlite")
def test_booking_form_shows_the_consent(browser, live_server, db, clock, office, screenshot_dir) -> None:
    import re
    from datetime import date

    from tests.fakes import add_user
    from tests.web.leadership.builders import add_leader, add_leadership, add_rule, set_settings

    add_leadership(db)
    set_settings(db, booking_cutoff_working_days=0)
    leader = add_leader(db, clock, user="boss")
    add_rule(db, clock, leader, weekday=2, start="11:00", end="13:00", slot_min=30, valid_from=date(2026, 11, 1))
    add_user(db, clock, "cc", ["call_centre"], ["T1"])
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=username]", "cc")
    page.fill("input[name=password]", "secret-pass-1")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/backoffice/booking")
    session_id = re.search(r"session=(\d+)", page.content()).group(1)  # type: ignore[union-attr]
    page.goto(f"{live_server.url}/backoffice/booking?office=T1&session={session_id}")
    page.locator("input[name=notify_consent]").scroll_into_view_if_needed()
    assert page.is_visible("input[name=notify_consent]") and page.is_visible("input[name=notify_email]")
    page.screenshot(path=str(screenshot_dir / "booking_consent_1366x768.png"))
    context.close()

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

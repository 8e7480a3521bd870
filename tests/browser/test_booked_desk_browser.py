"""The desk console shows a booked visitor as such (1366x768)."""

from __future__ import annotations

from datetime import UTC, datetime

from reception.booking.setup import open_to_booking
from tests.browser.test_desk_console import VIEWPORT, _open_desk, _sign_in, live_app, server  # noqa: F401
from tests.fakes import add_user
from tests.web.test_public_booking import book


def test_console_shows_the_booked_visitor_and_why_they_were_called(server, browser, api, db, clock,  # noqa: F811
                                                                    screenshot_dir) -> None:
    open_to_booking(db, "T1", "consult", office_rules={"verify_by": "email", "call_tolerance_min": 10})
    booked = book(api, db, "2026-11-25T10:00:00+02:00")
    kiosk = api.device("kiosk")
    clock.set(datetime(2026, 11, 25, 7, 50, tzinfo=UTC))  # 09:50 in Kyiv
    api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"})
    ticket = api.call("POST", "/kiosk/checkin", kiosk, json={"booking_code": booked["booking_code"]}).get_json()
    add_user(db, clock, "op", ["operator"], ["T1"])
    page = browser.new_context(viewport=VIEWPORT, locale="uk-UA").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(page, server.url, "op")
    _open_desk(page, server.url, "1")
    page.keyboard.press("n")
    page.wait_for_function(f"() => document.getElementById('cur-code').textContent === '{ticket['code']}'")
    badges = page.locator("#cur-badges").inner_text()
    assert "Записаний на 10:00" in badges and "за записом на час" in badges
    page.screenshot(path=str(screenshot_dir / "desk-console-booked.png"))
    assert errors == []

"""The phone page of a ticket from a booking says the booked time (360x740)."""

from __future__ import annotations

from datetime import UTC, datetime

from reception.booking.setup import open_to_booking
from tests.browser.test_desk_console import live_app, server  # noqa: F401
from tests.web.test_public_booking import book

PHONE = {"width": 360, "height": 740}


def test_the_phone_page_shows_the_booked_time(server, browser, api, db, clock, screenshot_dir) -> None:  # noqa: F811
    open_to_booking(db, "T1", "consult", office_rules={"verify_by": "email"})
    booked = book(api, db, "2026-11-25T10:15:00+02:00")
    kiosk = api.device("kiosk")
    clock.set(datetime(2026, 11, 25, 8, 5, tzinfo=UTC))  # 10:05 in Kyiv
    ticket = api.call("POST", "/kiosk/checkin", kiosk, json={"booking_code": booked["booking_code"]}).get_json()
    walk_in = api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).get_json()
    page = browser.new_context(viewport=PHONE, locale="uk-UA").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server.url}/t/{ticket['public_token']}")
    page.wait_for_function("() => document.getElementById('updated').textContent !== '—'")  # the script rendered
    assert page.locator("#booked").inner_text() == "Записано на 10:15"
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    page.screenshot(path=str(screenshot_dir / "phone-booked.png"), full_page=True)
    page.goto(f"{server.url}/t/{walk_in['public_token']}")
    page.wait_for_function("() => document.getElementById('updated').textContent !== '—'")
    assert page.locator("#booked").is_hidden()
    assert errors == []

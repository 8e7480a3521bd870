"""The kiosk in real headless Chromium: pairing, tap-to-ticket, priority, English, check-in keypad,
print failure and idle timeout, at 1080×1920 (portrait) and 1920×1080 (landscape)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from reception.accounts.service import create_device
from reception.ops.demo import seed
from reception.queue.models import Ticket, TicketEvent
from tests.fakes import RecordingPrinter, use_printers

PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}


@pytest.fixture
def kiosk(db, clock, tmp_path: Path) -> str:
    """The demo office (categories, six services) with a kiosk whose printer works."""
    seed(db, clock, str(tmp_path))
    return create_device(db, clock, kind="kiosk", office_code="MOJ", name="Кіоск 1", printer_url="dummy://")[1]


@pytest.fixture
def open_kiosk(browser, live_server, kiosk) -> Iterator[Any]:
    contexts: list[Any] = []

    def opener(viewport: dict[str, int] = PORTRAIT, token: str | None = None) -> Any:
        context = browser.new_context(viewport=viewport, locale="uk-UA", has_touch=True)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/kiosk?token={token or kiosk}")
        page.wait_for_selector(".tile.service")
        return page

    yield opener
    for context in contexts:
        context.close()


def shot(page: Any, directory: Path, name: str) -> None:
    page.wait_for_timeout(150)  # let fonts and the QR image settle
    page.screenshot(path=str(directory / f"kiosk-{name}.png"))


def ticket_count(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Ticket)) or 0


def test_pairing_leaves_a_clean_url_and_remembers_the_browser(open_kiosk, live_server, kiosk) -> None:
    page = open_kiosk()
    assert page.url == f"{live_server.url}/kiosk"
    assert page.evaluate("localStorage.getItem('kiosk-token')") == kiosk
    page.goto(f"{live_server.url}/kiosk")  # a reload needs no token
    page.wait_for_selector(".tile.service")
    # cookie lost, localStorage kept: the page pairs itself again
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/kiosk")
    page.wait_for_selector(".tile.service")
    assert page.url == f"{live_server.url}/kiosk"


def test_unpaired_screen_in_both_languages(browser, live_server, screenshot_dir) -> None:
    context = browser.new_context(viewport=PORTRAIT)
    page = context.new_page()
    response = page.goto(f"{live_server.url}/kiosk?token=not-a-real-token")
    assert response.status == 403
    body = page.inner_text("body")
    assert "Кіоск ще не налаштовано" in body and "This kiosk is not set up yet" in body
    shot(page, screenshot_dir, "unpaired")
    context.close()


def test_tap_service_answer_no_get_ticket_with_qr(open_kiosk, db, screenshot_dir) -> None:
    page = open_kiosk()
    assert page.inner_text("h1#start-title") == "Оберіть послугу"
    shot(page, screenshot_dir, "portrait-start")
    page.click('.tile[data-service="consult"]')
    page.wait_for_selector("#screen-priority:not([hidden])")
    shot(page, screenshot_dir, "portrait-priority")
    # a double tap on "No" must not issue two tickets
    page.dblclick(".big-no")
    page.wait_for_selector("#screen-ticket:not([hidden])")
    assert page.inner_text("#ticket-code") == "К-001"
    assert "Юридична консультація" in page.inner_text("#ticket-service")
    assert page.inner_text("#print-note") == "Заберіть талон із принтера"
    page.wait_for_function("() => document.getElementById('ticket-qr').naturalWidth > 0")
    assert "Повернення на початок через" in page.inner_text("#countdown")
    shot(page, screenshot_dir, "portrait-ticket")
    page.wait_for_timeout(300)
    assert ticket_count(db) == 1
    page.click("button.done")
    page.wait_for_selector("#screen-start:not([hidden])")


def test_english_toggle_and_priority_category(open_kiosk, db, screenshot_dir) -> None:
    page = open_kiosk()
    page.click(".k-lang")
    page.wait_for_function("() => document.getElementById('start-title').textContent === 'Choose a service'")
    page.wait_for_selector('.tile[data-service="consult"] >> text=Legal consultation')
    shot(page, screenshot_dir, "portrait-start-en")
    page.click('.tile[data-service="appeal"]')
    page.click('.priority[data-priority="elderly"]')
    page.wait_for_selector("#screen-ticket:not([hidden])")
    assert page.inner_text("#ticket-code") == "С-001"
    assert page.inner_text("#ticket-badge") == "Priority ticket"
    assert page.inner_text("#print-note") == "Take your ticket from the printer"
    shot(page, screenshot_dir, "portrait-ticket-en")
    with db.read() as s:
        ticket = s.scalars(select(Ticket)).one()
        assert (ticket.priority, ticket.lang) == ("elderly", "en")
    # back at the start, the next visitor gets Ukrainian again
    page.click("button.done")
    page.wait_for_function("() => document.getElementById('start-title').textContent === 'Оберіть послугу'")


def test_landscape_screens(open_kiosk, screenshot_dir) -> None:
    page = open_kiosk(LANDSCAPE)
    shot(page, screenshot_dir, "landscape-start")
    page.click('.tile[data-service="registry"]')
    shot(page, screenshot_dir, "landscape-priority")
    page.click(".big-no")
    page.wait_for_selector("#screen-ticket:not([hidden])")
    page.wait_for_function("() => document.getElementById('ticket-qr').naturalWidth > 0")
    shot(page, screenshot_dir, "landscape-ticket")
    page.click("button.done")
    page.click("button.booking")
    shot(page, screenshot_dir, "landscape-checkin")


def test_checkin_keypad_wrong_code(open_kiosk, screenshot_dir) -> None:
    page = open_kiosk()
    page.click("button.booking")
    page.wait_for_selector("#screen-checkin:not([hidden])")
    assert page.is_disabled('[data-action="checkin"]')
    assert page.locator('.key[data-key="Z"]').count() == 0, "only the booking-code alphabet is offered"
    for key in "KK99XM":
        page.click(f'.key[data-key="{key}"]')
    page.click('.key[data-key="erase"]')
    assert page.inner_text("#code-display") == "KK9-9X"
    page.click('[data-action="checkin"]')
    page.wait_for_selector("#checkin-error:not([hidden])")
    assert "не знайдено" in page.inner_text("#checkin-error")
    shot(page, screenshot_dir, "portrait-checkin-wrong")
    page.click('[data-action="clear"]')
    assert page.inner_text("#code-display") == ""


def test_print_failure_shows_code_and_qr_on_screen(app, open_kiosk, db, screenshot_dir) -> None:
    use_printers(app, lambda url: RecordingPrinter(ok=False, error="paper out"))
    page = open_kiosk()
    page.click('.tile[data-service="documents"]')
    page.click(".big-no")
    page.wait_for_selector("#screen-ticket:not([hidden])")
    assert page.inner_text("#ticket-code") == "Д-001"
    note = page.inner_text("#print-note")
    assert "Принтер не працює" in note and "місце в черзі збережено" in note
    page.wait_for_function("() => document.getElementById('ticket-qr').naturalWidth > 0")
    shot(page, screenshot_dir, "portrait-ticket-print-failed")
    with db.read() as s:
        assert s.scalar(select(TicketEvent.kind).where(TicketEvent.kind == "print_failed")) == "print_failed"


def test_idle_timeout_returns_to_start(app, open_kiosk) -> None:
    app.config["KIOSK_IDLE_S"] = {"ticket": 2, "other": 3, "warn": 2}
    page = open_kiosk()
    page.click('.tile[data-service="consult"]')
    page.wait_for_selector("#screen-priority:not([hidden])")
    page.wait_for_selector("#idle-warning:not([hidden])", timeout=4000)
    page.wait_for_selector("#screen-start:not([hidden])", timeout=5000)
    page.click('.tile[data-service="consult"]')
    page.click(".big-no")
    page.wait_for_selector("#screen-ticket:not([hidden])")
    page.wait_for_selector("#screen-start:not([hidden])", timeout=5000)


def test_checkin_keypad_happy_path(open_kiosk, api, db, clock, screenshot_dir) -> None:
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from tests.web.leadership.builders import add_leader, add_rule, set_settings

    set_settings(db, "MOJ", booking_cutoff_working_days=0)
    leader = add_leader(db, clock, office="MOJ", user="boss")
    # The demo's deputy holds room 412 on Tuesdays 10:00–13:00, and no other leader may share those hours.
    add_rule(db, clock, leader, weekday=2, start="13:00", end="15:00", slot_min=30, valid_from=date(2026, 11, 1))
    cc = api.user("cc", ["call_centre"], offices=["MOJ"])
    sessions = api.call("GET", "/reception-sessions?office=MOJ", cc).get_json()
    session = next(s for s in sessions if s["leader"] == leader)  # the demo office has leaders of its own
    booked = api.call("POST", f"/reception-sessions/{session['id']}/appointments", cc,
                      json={"visitor": {"surname": "Коваль", "name": "Олена"}, "topic": "Спадщина",
                            "slot": session["slots"][0]["at"]})
    clock.set(datetime(2026, 11, 24, 12, 50, tzinfo=ZoneInfo("Europe/Kyiv")))  # the visitor comes 10 min early
    assert booked.status_code == 201, booked.get_json()
    code = booked.get_json()["booking_code"].replace("-", "")
    page = open_kiosk()
    page.click("button.booking")
    for key in code:
        page.click(f'.key[data-key="{key}"]')
    assert page.inner_text("#code-display") == f"{code[:3]}-{code[3:]}"
    page.click('[data-action="checkin"]')
    page.wait_for_selector("#screen-ticket:not([hidden])")
    assert page.inner_text("#ticket-code") == "П-001"
    # A booked visitor is told the slot and the room, not the queue's figures.
    assert page.inner_text("#ticket-badge") == "Запис на 13:00, Кабінет 412"
    assert not page.is_visible("#ticket-facts")
    assert "Коваль" not in page.inner_text("body")
    shot(page, screenshot_dir, "portrait-checkin-ticket")
    # the same code again: already checked in, said in plain words
    page.click("button.done")
    page.click("button.booking")
    for key in code:
        page.click(f'.key[data-key="{key}"]')
    page.click('[data-action="checkin"]')
    page.wait_for_selector("#checkin-error:not([hidden])")
    assert "П-001" in page.inner_text("#checkin-error")


def test_unavailable_service_and_closed_office(open_kiosk, db, clock, screenshot_dir) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import update

    from reception.offices.models import Office, Service

    with db.write() as s:
        s.execute(update(Service).where(Service.code == "documents").values(daily_limit=0))
        s.execute(update(Service).where(Service.code == "registry").values(active_hours={"2": [["14:00", "17:00"]]}))
        s.execute(update(Office).values(opening_hours={str(d): [["09:00", "18:00"]] for d in range(1, 6)}))
    page = open_kiosk()
    tile = page.locator('.tile[data-service="documents"]')
    assert "закінчилися" in tile.inner_text()
    assert "поза годинами" in page.locator('.tile[data-service="registry"]').inner_text()
    tile.click()
    page.wait_for_selector("#dialog:not([hidden])")
    assert "закінчилися" in page.inner_text("#dialog-text")
    shot(page, screenshot_dir, "portrait-unavailable-dialog")
    page.click(".dialog-ok")
    assert page.is_hidden("#dialog") and page.is_visible("#screen-start")
    # evening: the whole office is closed; the kiosk notices on its next menu refresh
    clock.set(datetime(2026, 11, 24, 17, 0, tzinfo=UTC))
    page.click(".k-lang")
    page.wait_for_selector("#closed-panel:not([hidden])")
    assert "The office is closed" in page.inner_text("#closed-panel")
    assert page.is_hidden("#footer") and page.is_hidden("#menu")
    shot(page, screenshot_dir, "portrait-closed-en")

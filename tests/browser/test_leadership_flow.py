"""Leadership reception end to end in real headless Chromium: the call-centre books on its page, the visitor
checks in at the kiosk, the leader calls, finishes with an outcome and records the result; screenshots at
1366×768 of every reception-office page (tests/artifacts/)."""

from __future__ import annotations

import contextlib
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.fakes import add_user
from tests.web.leadership.builders import add_leader, add_leadership, add_rule, set_settings

DESKTOP = {"width": 1366, "height": 768}
PORTRAIT = {"width": 1080, "height": 1920}
PASSWORD = "secret-pass-1"


@pytest.fixture
def reception_office(db, clock, office):
    """Office T1 with room 412, a leader (user "boss") receiving today 11:00-13:00, a call-centre user, a kiosk."""
    add_leadership(db)
    set_settings(db, booking_cutoff_working_days=0)
    leader = add_leader(db, clock, user="boss")
    add_rule(db, clock, leader, weekday=2, start="11:00", end="13:00", slot_min=20, valid_from=date(2026, 11, 1))
    add_rule(db, clock, leader, weekday=4, nth=1, start="10:00", end="12:00", slot_min=15,
             valid_from=date(2026, 11, 1))
    add_user(db, clock, "cc", ["call_centre"], ["T1"])
    add_user(db, clock, "mgr", ["manager"], ["T1"])
    add_user(db, clock, "op", ["operator"], ["T1"])
    from tests.fakes import add_device

    return {"kiosk": add_device(db, clock, "kiosk", "T1", printer_url="dummy://")}


def signed_in(browser, live_server, username: str, path: str) -> Any:
    context = browser.new_context(viewport=DESKTOP, locale="uk-UA")
    page = context.new_page()
    page.goto(f"{live_server.url}/login?next={path}")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url(f"**{path}*")
    return page


def reloaded(page: Any, selector: str) -> None:
    """After an action that reloads the page: the new page shows ``selector`` and its module scripts
    have run (the load event comes after them), so the next click reaches a handler. A click in
    between is lost, which a loaded machine made happen."""
    page.wait_for_selector(selector)
    page.wait_for_load_state("load")


def shot(page: Any, directory: Path, name: str, full: bool = False) -> None:
    page.wait_for_timeout(150)
    page.screenshot(path=str(directory / f"leadership-{name}.png"), full_page=full)


def test_book_check_in_receive_and_record(browser, live_server, reception_office, screenshot_dir) -> None:
    # 1. The call-centre books the first free slot of today's reception.
    cc = signed_in(browser, live_server, "cc", "/backoffice/booking")
    shot(cc, screenshot_dir, "booking-start")
    cc.click(".of-session >> nth=0")
    cc.wait_for_selector("#booking-form")
    cc.fill('input[name="surname"]', "Гончаренко")
    cc.fill('input[name="name"]', "Марія")
    cc.fill('input[name="patronymic"]', "Іванівна")
    cc.fill('input[name="phone"]', "+380 67 111 22 33")
    cc.select_option('select[name="category"]', "war_disability")
    cc.fill('textarea[name="topic"]', "Невиконання рішення суду про стягнення аліментів")
    shot(cc, screenshot_dir, "booking-form")
    cc.click("#book-submit")
    cc.wait_for_selector("#booking-done")
    code = cc.inner_text("#booking-code").strip()
    assert len(code) == 7 and code[3] == "-"
    assert code in cc.inner_text("#confirm-uk") and "11:00" in cc.inner_text("#confirm-uk")
    shot(cc, screenshot_dir, "booking-done")
    cc.context.close()

    # 2. The visitor checks in at the kiosk with the code.
    kiosk_ctx = browser.new_context(viewport=PORTRAIT, locale="uk-UA", has_touch=True)
    kiosk = kiosk_ctx.new_page()
    kiosk.goto(f"{live_server.url}/kiosk?token={reception_office['kiosk']}")
    kiosk.click("button.booking")
    for key in code.replace("-", ""):
        kiosk.click(f'.key[data-key="{key}"]')
    kiosk.click('[data-action="checkin"]')
    kiosk.wait_for_selector("#screen-ticket:not([hidden])")
    assert kiosk.inner_text("#ticket-code") == "П-001"
    assert "Гончаренко" not in kiosk.inner_text("body")
    shot(kiosk, screenshot_dir, "kiosk-checked-in")
    kiosk_ctx.close()

    # 3. The leader sees the visitor checked in, opens the room, calls, finishes with an outcome.
    leader = signed_in(browser, live_server, "boss", "/backoffice/reception/today")
    assert "Гончаренко Марія" in leader.inner_text(".of-table")
    assert "Очікує виклику" in leader.inner_text(".of-table")
    shot(leader, screenshot_dir, "today-before")
    leader.click('button[data-action="open"]')
    reloaded(leader, "#call-next")
    leader.click("#call-next")
    reloaded(leader, "#current-visit")
    assert leader.inner_text("#current-code") == "П-001"
    shot(leader, screenshot_dir, "today-calling")
    leader.select_option(".finish-outcome", "appeal_registered")
    leader.fill(".finish-note", "Потрібне вивчення матеріалів провадження")
    leader.click("#finish-button")

    # 4. ... and lands on the new record, prefilled from the booking; registers it; prints the card.
    leader.wait_for_url("**/backoffice/records/new?ticket=*")
    assert leader.input_value('input[name="surname"]') == "Гончаренко"
    assert leader.input_value('input[name="received_by_name"]') == "Андрій Бондаренко"
    assert "аліментів" in leader.input_value('textarea[name="questions"]')
    shot(leader, screenshot_dir, "record-new", full=True)
    leader.fill('input[name="address"]', "м. Київ, вул. Велика Васильківська, 10")
    leader.fill('input[name="social_status"]', "пенсіонерка")
    leader.select_option('select[name="kind"]', "complaint")
    leader.fill('textarea[name="resolution"]', "Департаменту ДВС: перевірити дії виконавця")
    leader.fill('input[name="executor"]', "Департамент державної виконавчої служби")
    leader.click("#record-save")
    leader.wait_for_selector("#record-index")
    assert leader.inner_text("#record-index") == "АБ-1/26"
    shot(leader, screenshot_dir, "record-view", full=True)
    pdf = leader.request.get(f"{live_server.url}{leader.get_attribute('#print-card', 'href')}")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    card = screenshot_dir / "leadership-card.pdf"
    card.write_bytes(pdf.body())
    # Pages as pictures for a human to look at (the PDF text is asserted in the web tests).
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(card), str(screenshot_dir / "leadership-card")],
                       check=True, timeout=30)
    leader.goto(f"{live_server.url}/backoffice/records")
    assert "АБ-1/26" in leader.inner_text("#records-table")
    shot(leader, screenshot_dir, "records-list")
    leader.context.close()


def test_manager_and_public_pages_screenshots(browser, live_server, reception_office, screenshot_dir) -> None:
    manager = signed_in(browser, live_server, "mgr", "/backoffice/schedule")
    assert "Андрій Бондаренко" in manager.inner_text("main")
    shot(manager, screenshot_dir, "schedule")
    shot(manager, screenshot_dir, "schedule-full", full=True)
    manager.goto(f"{live_server.url}/backoffice/reception/today")
    shot(manager, screenshot_dir, "today-manager")
    manager.context.close()
    public = browser.new_context(viewport=DESKTOP, locale="uk-UA").new_page()
    public.goto(f"{live_server.url}/schedule")
    assert "Андрій Бондаренко" in public.inner_text("body")
    shot(public, screenshot_dir, "public-schedule")
    public.goto(f"{live_server.url}/schedule?lang=en")
    assert "Andrii Bondarenko" in public.inner_text("body")
    shot(public, screenshot_dir, "public-schedule-en")
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="uk-UA").new_page()
    phone.goto(f"{live_server.url}/schedule")
    shot(phone, screenshot_dir, "public-schedule-phone")
    public.context.close()
    phone.context.close()

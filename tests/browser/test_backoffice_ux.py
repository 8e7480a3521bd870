"""Call-centre and back-office screens at the desk laptop size (1366×768), in real headless Chromium.

Each test drives one screen the way its user does and saves a screenshot to tests/artifacts/
(``ux-*.png``) for a person to look at; the assertions check what the screenshot should show.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from reception.leadership.models import ReceptionRule
from tests.browser.test_desk_console import _issue, _open_desk, _sign_in, live_app  # noqa: F401  (fixture)
from tests.browser.test_leadership_flow import DESKTOP, reloaded, signed_in
from tests.fakes import add_device, add_user
from tests.web.leadership.builders import add_leader, add_leadership, add_rule, set_settings

VIEWPORT = DESKTOP


def shot(page: Any, directory: Any, name: str) -> None:
    page.wait_for_timeout(150)
    page.screenshot(path=str(directory / f"ux-{name}.png"))


def in_view(page: Any, selector: str) -> bool:
    """The element is on screen without scrolling (its whole box inside the 1366×768 viewport)."""
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORT["height"]


@pytest.fixture
def office_with_leader(db, clock, office):
    add_leadership(db)
    set_settings(db, booking_cutoff_working_days=0)
    leader = add_leader(db, clock, user="boss")
    add_rule(db, clock, leader, weekday=2, start="11:00", end="13:00", slot_min=20, valid_from=date(2026, 11, 1))
    rule = add_rule(db, clock, leader, weekday=3, nth=-1, start="10:00", end="12:00", slot_min=15,
                    valid_from=date(2026, 11, 1))
    for user, role in (("cc", "call_centre"), ("mgr", "manager")):
        add_user(db, clock, user, [role], ["T1"])
    return {"rule": rule["id"]}


# --- the call-centre's booking search ----------------------------------------------------------------

def test_booking_search_results_sit_by_the_search_box(browser, live_server, office_with_leader,
                                                      screenshot_dir) -> None:
    cc = signed_in(browser, live_server, "cc", "/backoffice/booking")
    try:
        cc.click(".of-session >> nth=0")
        cc.fill('input[name="surname"]', "Гончаренко")
        cc.fill('input[name="name"]', "Марія")
        cc.fill('input[name="phone"]', "+380501112233")
        cc.fill('textarea[name="topic"]', "Аліменти")
        cc.click("#book-submit")
        cc.wait_for_selector("#booking-code")
        # Found however the phone is dictated, and by the surname's start in any case.
        for typed in ("050 111 22 33", "+38 050 111-22-33", "гонч"):
            cc.fill("#find-q", typed)
            cc.press("#find-q", "Enter")
            cc.wait_for_selector("#found-table")
            assert "Гончаренко Марія" in cc.inner_text("#found-table"), typed
            assert in_view(cc, "#found-table tbody tr"), "the result is below the fold"
        shot(cc, screenshot_dir, "booking-found")
        cc.fill("#find-q", "12")
        cc.press("#find-q", "Enter")
        cc.wait_for_selector(".flash-error")
        assert "не повний номер телефону" in cc.inner_text(".flash-error") and in_view(cc, ".flash-error")
        # An impossible number is refused on booking, in Ukrainian, keeping what was typed.
        cc.click(".of-session >> nth=0")
        cc.fill('input[name="surname"]', "Коваль")
        cc.fill('input[name="name"]', "Ігор")
        cc.fill('input[name="phone"]', "12345")
        cc.fill('textarea[name="topic"]', "Борг")
        cc.click("#book-submit")
        cc.wait_for_selector(".flash-error")
        assert "не існує" in cc.inner_text(".flash-error")
        assert cc.input_value('input[name="surname"]') == "Коваль"
        shot(cc, screenshot_dir, "booking-bad-phone")
    finally:
        cc.context.close()


# --- the manager's schedule --------------------------------------------------------------------------

def test_rules_read_well_and_ending_one_asks_first(browser, live_server, db, office_with_leader,
                                                   screenshot_dir) -> None:
    rule = office_with_leader["rule"]
    mgr = signed_in(browser, live_server, "mgr", "/backoffice/schedule")
    errors: list[str] = []
    mgr.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        text = mgr.inner_text("main")
        assert "щовівторка" in text and "остання середа місяця" in text and "щотижня, вівторок" not in text
        # The form's "how often" agrees with the weekday picked.
        mgr.click("details:has(form[action$='/rules']) summary >> nth=0")
        mgr.select_option("select[data-rule-weekday] >> nth=0", "5")
        options = mgr.locator("select[data-rule-phrases] >> nth=0").inner_text()
        assert "щопʼятниці" in options and "перша пʼятниця місяця" in options and "остання пʼятниця місяця" in options
        mgr.keyboard.press("Escape")
        assert "ВП-17/26" in mgr.inner_text("#index-pattern") or "АБ-17/26" in mgr.inner_text("#index-pattern")

        end = f"button[data-end-rule='{rule}']"
        mgr.click(end)
        mgr.wait_for_selector("#confirm-dialog[open]")
        assert "остання середа місяця, 10:00–12:00" in mgr.inner_text("#confirm-dialog")
        shot(mgr, screenshot_dir, "schedule-end-rule-confirm")
        mgr.click("[data-confirm-no]")
        mgr.wait_for_selector("#confirm-dialog:not([open])", state="attached")
        with db.read() as s:
            assert s.get(ReceptionRule, rule).is_active
        mgr.click(end)
        mgr.click("[data-confirm-yes]")
        mgr.wait_for_selector(".flash-info")
        with db.read() as s:
            assert not s.scalar(select(ReceptionRule.is_active).where(ReceptionRule.id == rule))
        assert not errors, errors
    finally:
        mgr.context.close()


# --- the leader's reception today --------------------------------------------------------------------

def _visitor_checked_in(api: Any, db: Any, clock: Any) -> None:
    """Booked by the call-centre for today's reception on the topic "Спадщина", checked in at the kiosk."""
    cc = api.user("cc-api", ["call_centre"])
    sid = api.call("GET", "/reception-sessions?office=T1", cc).get_json()[0]["id"]
    code = api.call("POST", f"/reception-sessions/{sid}/appointments", cc,
                    json={"visitor": {"surname": "Гончар", "name": "Марія"}, "topic": "Спадщина"}).get_json()["booking_code"]
    kiosk = add_device(db, clock, "kiosk", "T1")
    assert api.call("POST", "/kiosk/checkin", kiosk, json={"booking_code": code}).status_code == 201


def test_leader_outcome_has_no_default(browser, live_server, api, db, clock, office_with_leader,
                                       screenshot_dir) -> None:
    _visitor_checked_in(api, db, clock)
    leader = signed_in(browser, live_server, "boss", "/backoffice/reception/today")
    try:
        leader.click('button[data-action="open"]')
        reloaded(leader, "#call-next")
        leader.click("#call-next")
        reloaded(leader, "#current-visit")
        assert leader.input_value(".finish-outcome") == ""
        leader.fill(".finish-note", "Просить роз'яснити порядок спадкування")
        leader.click("#finish-button")
        leader.wait_for_selector(".desk-status:not([hidden])")
        assert "Оберіть результат прийому" in leader.inner_text(".desk-status")
        shot(leader, screenshot_dir, "today-outcome-needed")
        leader.select_option(".finish-outcome", "explained")
        leader.click("#finish-button")
        leader.wait_for_url("**/backoffice/records/new?ticket=*")
        # The finish note is a line of the summary of questions, not the resolution.
        assert leader.input_value('textarea[name="resolution"]') == ""
        assert leader.input_value('textarea[name="questions"]').splitlines() == [
            "Спадщина", "Просить роз'яснити порядок спадкування"]
    finally:
        leader.context.close()


def test_the_quiet_refresh_keeps_a_note_the_leader_has_written(browser, live_server, api, db, clock,
                                                                office_with_leader) -> None:
    """The today page reloads every 30 s for new check-ins, but never over what the leader typed,
    even once the cursor has left the field."""
    _visitor_checked_in(api, db, clock)
    leader = signed_in(browser, live_server, "boss", "/backoffice/reception/today")
    try:
        leader.clock.install()  # the page's timers from the next document on
        leader.click('button[data-action="open"]')
        reloaded(leader, "#call-next")
        leader.evaluate("window.__sameDocument = true")
        with leader.expect_navigation():  # nothing typed: the refresh comes
            leader.clock.run_for(31_000)
        leader.click("#call-next")
        reloaded(leader, "#current-visit")
        leader.fill(".finish-note", "Просить роз’яснити порядок спадкування")
        leader.click("h1")  # the cursor leaves the note
        leader.evaluate("window.__sameDocument = true")
        leader.clock.run_for(61_000)
        leader.wait_for_timeout(300)  # a reload, were one started, would have replaced the document
        assert leader.evaluate("window.__sameDocument === true")
        assert leader.input_value(".finish-note") == "Просить роз’яснити порядок спадкування"
    finally:
        leader.context.close()


# --- the desk console --------------------------------------------------------------------------------

@pytest.mark.usefixtures("live_app")  # events pushed live, as in production
def test_next_before_the_visitor_comes_offers_a_no_show(live_server, browser, db, clock, office,
                                                        screenshot_dir) -> None:
    base = live_server.url
    add_user(db, clock, "op", ["operator"], ["T1"])
    set_settings(db, recalls_before_no_show=1)  # the office wants one recall before a no-show
    kiosk = add_device(db, clock, "kiosk", "T1")
    _issue(base, kiosk, "consult")
    _issue(base, kiosk, "consult")
    page = browser.new_context(viewport=VIEWPORT, locale="uk-UA").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        _sign_in(page, base, "op")
        _open_desk(page, base, "2")
        page.click("#btn-next")
        page.wait_for_function("() => document.getElementById('cur-code').textContent === 'К-001'")
        page.click("#btn-next")  # К-001 has not come
        page.wait_for_selector("#dlg-absent[open]")
        assert "К-001: відвідувач ще не підійшов" in page.inner_text("#dlg-absent")
        assert page.locator("#dlg-finish[open]").count() == 0  # no outcome to invent for someone absent
        assert page.is_disabled("#absent-no-show")  # a recall first: the dialog says so
        assert page.inner_text("#absent-recalls") == (
            "Перед позначкою «Не зʼявився» потрібні повторні виклики: зроблено 0 з 1.")
        shot(page, screenshot_dir, "desk-next-absent-recall-first")
        page.click("#absent-recall")
        page.wait_for_selector("#cur-recalls:text('1')")
        page.click("#btn-next")
        page.wait_for_selector("#dlg-absent[open]")
        assert page.is_enabled("#absent-no-show") and page.is_hidden("#absent-recalls")
        shot(page, screenshot_dir, "desk-next-absent")
        page.click("#absent-no-show")
        page.wait_for_function("() => document.getElementById('cur-code').textContent === 'К-002'")
        assert page.text_content("#status-text") == "К-001: не зʼявився. Викликано К-002."
        shot(page, screenshot_dir, "desk-no-show-next")

        # The visitor came: transfer says where to.
        page.click("#btn-start")
        page.wait_for_selector("#console[data-state=serving]")
        page.keyboard.press("t")
        page.wait_for_selector("#dlg-transfer[open]")
        page.select_option("#dlg-transfer select[name=service]", "appeal")
        page.click("#dlg-transfer button[type=submit]")
        page.wait_for_selector("#console[data-state=idle]")
        assert page.text_content("#status-text") == "К-002 перенаправлено до послуги «Звернення»."
        shot(page, screenshot_dir, "desk-transferred")

        # The pause banner names the reason once.
        for preset, banner in (("Перерва", "Перерва"), ("Нарада", "Перерва: Нарада"),
                               ("Обідня перерва", "Обідня перерва")):
            page.keyboard.press("p")
            page.wait_for_selector("#dlg-pause[open]")
            page.check(f"#dlg-pause input[name=preset][value='{preset}']")
            page.click("#dlg-pause button[type=submit]")
            page.wait_for_selector("#paused:not([hidden])")
            assert page.text_content("#paused-text") == banner
            if preset == "Перерва":
                shot(page, screenshot_dir, "desk-paused")
            page.keyboard.press("p")
            page.wait_for_selector("#paused[hidden]", state="attached")
        assert not errors, errors
    finally:
        page.context.close()


# --- where people start, and where they land when something is wrong -------------------------------------

def test_landing_and_error_pages(browser, live_server, office, screenshot_dir) -> None:
    page = browser.new_context(viewport=VIEWPORT, locale="uk-UA").new_page()
    try:
        page.goto(f"{live_server.url}/")
        for title in ("Кіоск", "Табло", "Графік прийому громадян", "Робоче місце", "Робочий кабінет"):
            assert page.locator(".entry-card-title", has_text=title).count() == 1
        assert in_view(page, ".entry-list")
        shot(page, screenshot_dir, "landing")
        response = page.goto(f"{live_server.url}/no-such-page")
        assert response is not None and response.status == 404
        assert page.inner_text("h1") == "Сторінку не знайдено" and "Not Found" not in page.inner_text("body")
        shot(page, screenshot_dir, "error-404")
        page.click("text=На головну")
        page.wait_for_selector(".entry-list")
    finally:
        page.context.close()

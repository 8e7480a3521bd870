"""Real headless Chromium: the phone page's "how did it go" block (360×740) from a finished visit to thanks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from reception.feedback.models import Feedback
from tests.browser.test_display_browser import Demo

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture
def app(db, db_url: str, clock) -> Iterator[Any]:
    """The test app with the real Socket.IO publisher: the page learns the visit ended live."""
    from tests.fakes import make_test_app

    application = make_test_app(db_url, clock)
    yield application
    application.extensions["reception"].db.dispose()


@pytest.fixture
def demo(db, clock, live_server, tmp_path) -> Demo:
    return Demo(db, clock, live_server.url, tmp_path)


def _watch_console(page: Any) -> list[str]:
    """Errors the page logs, the strict CSP's refusals among them."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


@pytest.mark.one_suite("sqlite")
def test_a_finished_visit_is_rated_on_the_phone_and_thanked(browser, live_server, demo, db, screenshot_dir) -> None:
    mine = demo.issue("registry")
    demo.open("operator", "3")
    assert demo.call_next("operator", "3")["id"] == mine["id"]
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors = _watch_console(page)
    page.goto(f"{live_server.url}/t/{mine['public_token']}")
    assert page.is_hidden("#feedback")  # a visit still going on is not asked about yet

    demo.finish("operator", mine)  # the page hears it live and offers the survey
    page.wait_for_selector("#feedback:not([hidden]) #fb-form:not([hidden])", timeout=5000)
    assert page.inner_text("#fb-title") == "Як пройшов візит?"
    # An accessible radio group: five options, each a radio with its words as its label.
    radios = page.get_by_role("radio")
    assert radios.count() == 5
    assert page.get_by_role("radio", name="4 Добре").count() == 1
    assert page.get_by_role("radio", name="1 Дуже погано").count() == 1
    option = page.locator("label[for=fb-s4]").bounding_box()
    assert option is not None and option["height"] >= 48 and option["width"] >= 280  # a thumb finds it

    page.click("#fb-send")  # nothing chosen: said so, nothing sent
    assert page.inner_text("#fb-error") == "Оберіть оцінку від 1 до 5."
    page.locator("#feedback").scroll_into_view_if_needed()
    page.click("label[for=fb-s4]")
    assert page.is_checked("#fb-s4") and page.is_hidden("#fb-error")  # a choice clears the reminder
    page.fill("#fb-comment", "Швидко, дякую")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    page.screenshot(path=str(screenshot_dir / "phone_feedback_form_360x740.png"))
    page.click("#fb-send")
    page.wait_for_selector("#fb-thanks:not([hidden])", timeout=5000)
    assert page.is_hidden("#fb-form")
    assert page.inner_text("#fb-thanks").startswith("Дякуємо за відгук!")
    page.screenshot(path=str(screenshot_dir / "phone_feedback_thanks_360x740.png"))
    with db.read() as s:
        row = s.scalar(select(Feedback))
    assert row is not None and (row.score, row.comment, row.via) == (4, "Швидко, дякую", "phone")

    # Opened again (or from the message's link, #feedback): already given, thanks again.
    page.goto(f"{live_server.url}/t/{mine['public_token']}#feedback")
    assert page.is_visible("#fb-thanks") and page.is_hidden("#fb-form")

    # The "how did it go" message links to the page's #feedback: the form is in view and the rating says so.
    other = demo.issue("registry")
    assert demo.call_next("operator", "3")["id"] == other["id"]
    demo.finish("operator", other)
    page.goto(f"{live_server.url}/t/{other['public_token']}#feedback")
    page.wait_for_selector("#fb-form:not([hidden])")
    assert page.evaluate("(() => { const r = document.getElementById('feedback').getBoundingClientRect();"
                         " return r.top >= 0 && r.top < innerHeight; })()")
    page.click("label[for=fb-s5]")
    page.click("#fb-send")
    page.wait_for_selector("#fb-thanks:not([hidden])", timeout=5000)
    with db.read() as s:
        via = s.scalar(select(Feedback.via).where(Feedback.ticket_id == other["id"]))
    assert via == "message"
    assert errors == [], errors
    context.close()


PORTRAIT = {"width": 1080, "height": 1920}


@pytest.mark.one_suite("sqlite")
def test_the_hall_survey_on_a_portrait_kiosk(browser, live_server, demo, db, screenshot_dir) -> None:
    mine = demo.issue("registry")
    demo.open("operator", "3")
    demo.call_next("operator", "3")
    demo.finish("operator", mine)
    context = browser.new_context(viewport=PORTRAIT, locale="uk-UA", has_touch=True)
    page = context.new_page()
    errors = _watch_console(page)
    page.goto(f"{live_server.url}/kiosk?token={demo.info['kiosk_token']}")  # pairs this browser (a cookie)
    page.goto(f"{live_server.url}/kiosk/feedback")
    assert page.inner_text("h1") == "Оцініть ваш візит"
    assert page.get_by_role("radio").count() == 5
    prefix, number = mine["code"].split("-")
    assert prefix == "Р"

    # A code of no visit today: said plainly, nothing saved.
    page.click(f"button[data-prefix={prefix}]")
    for digit in "77":
        page.click(f"button[data-digit='{digit}']")
    assert page.input_value("#fbk-code") == "Р-77"
    page.click("label[for=fbk-s2]")
    page.click("#fbk-send")
    page.wait_for_selector("#fbk-error:not([hidden])")
    assert "Р-077" in page.inner_text("#fbk-error")

    page.click("button[data-erase=one]")
    page.click("button[data-erase=one]")
    page.click("button[data-digit='1']")
    assert page.input_value("#fbk-code") == "Р-1"
    page.click("label[for=fbk-s5]")
    option = page.locator("label[for=fbk-s5]").bounding_box()
    assert option is not None and option["height"] >= 72  # a finger's target on a kiosk
    # The whole survey fits the portrait screen: nothing to scroll.
    assert page.evaluate("document.documentElement.scrollHeight") <= PORTRAIT["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PORTRAIT["width"]
    page.screenshot(path=str(screenshot_dir / "kiosk_feedback_1080x1920.png"))
    page.click("#fbk-send")
    page.wait_for_selector("#fbk-thanks:not([hidden])", timeout=5000)
    assert page.inner_text("#fbk-thanks").startswith("Дякуємо за відгук!")
    page.screenshot(path=str(screenshot_dir / "kiosk_feedback_thanks_1080x1920.png"))
    with db.read() as s:
        row = s.scalar(select(Feedback))
    assert row is not None and (row.ticket_id, row.score, row.via, row.comment) == (mine["id"], 5, "hall", None)
    page.click("#fbk-thanks")  # the next visitor: an empty form
    assert page.is_visible("#fbk-form") and page.input_value("#fbk-code") == ""
    # The only error logged is the browser's note of the 404 answer to the unknown code.
    assert [e for e in errors if "status of 404" not in e] == [], errors
    context.close()

"""The call-centre's screen at 1366×768 driven by the keyboard alone: the phone typed any way finds the
caller's earlier appeal, the kind, topic, summary and executor are chosen by keys, the draft survives a
reload, Ctrl+Enter registers the appeal (marked repeat), Esc twice clears. Screenshots in tests/artifacts/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from reception.appeals.models import AppealDraft
from reception.leadership import records
from reception.leadership.models import ReceptionRecord
from tests.fakes import add_user, services

DESKTOP = {"width": 1366, "height": 768}
PASSWORD = "secret-pass-1"


@pytest.fixture
def call_centre(db, clock, office) -> dict[str, Any]:
    cc = add_user(db, clock, "cc", ["call_centre"], ["T1"], full_name="Оксана Операторка")
    executor = add_user(db, clock, "exec", ["operator"], ["T1"], full_name="Ірина Виконавиця")
    from reception.kernel.identity import Actor

    actor = Actor(user_id=cc, roles=frozenset({"call_centre"}), office_ids=frozenset({1}))
    earlier = services(db, clock).value(records.create_record, actor, "T1", {
        "form": "phone", "kind": "application", "topic": "pensions", "surname": "Коваль", "name": "Олена",
        "patronymic": "Петрівна", "phone": "0501112233", "questions": ["Перерахунок пенсії"]})
    return {"executor": executor, "earlier": earlier}


def _shot(page: Any, directory: Path, name: str) -> Path:
    page.wait_for_timeout(150)
    path = directory / f"calls-{name}.png"
    page.screenshot(path=str(path))
    return path


def test_a_call_registered_from_the_keyboard_alone(browser, live_server, call_centre, db, screenshot_dir) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="uk-UA")
    page = context.new_page()
    page.goto(f"{live_server.url}/login?next=/backoffice/calls")
    page.wait_for_selector('input[name="username"]:focus, input[name="username"]')
    page.focus('input[name="username"]')
    page.keyboard.type("cc")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/backoffice/calls*")
    page.wait_for_selector("body[data-calls=ready]", state="attached")
    assert page.evaluate("document.activeElement.id") == "call-phone"  # the cursor waits in the phone field

    # The phone as the caller dictates it: the earlier appeal and the name come up.
    page.keyboard.type("+38 (050) 111-22-33")
    page.wait_for_selector("#call-earlier-list li")
    assert page.input_value("#call-surname") == "Коваль" and page.input_value("#call-name") == "Олена"
    page.keyboard.press("Alt+3")  # complaint
    page.keyboard.press("Alt+t")
    page.keyboard.press("ArrowDown")  # the first topic of the list: "Пенсії"
    assert page.input_value("#call-topic") == "pensions"
    assert page.is_visible("#call-repeat") and call_centre["earlier"]["reg_index"] in page.inner_text("#call-repeat")
    page.keyboard.press("Alt+s")
    page.keyboard.type("Пенсію за листопад досі не перераховано")
    page.keyboard.press("Alt+e")
    with page.expect_response(lambda r: r.url.split("?")[0].endswith("/appeals/draft") and r.request.method == "PUT"):
        page.keyboard.press("ArrowDown")  # staff by name: "Ірина Виконавиця" first; then the draft is kept
    assert page.input_value("#call-executor") == str(call_centre["executor"])
    assert page.inner_text("#call-due") == "24.12.2026"  # one month: needs study by default
    first = _shot(page, screenshot_dir, "filled")
    with Image.open(first) as image:
        assert image.size == (1366, 768)
    # Everything fits the laptop's screen: no sideways scrolling, the save button in sight.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    box = page.locator("#call-save").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 768

    # The browser crashes mid-call: the form comes back from the server's draft.
    page.reload()
    page.wait_for_selector("#call-status:has-text('Відновлено')")
    assert page.input_value("#call-summary") == "Пенсію за листопад досі не перераховано"
    assert page.input_value("#call-topic") == "pensions"
    assert page.is_checked('input[name="kind"][value="complaint"]')
    page.wait_for_selector("#call-earlier-list li")

    # Alt+B hands the caller over to the booking page (a new tab), their name, phone and question with them.
    with context.expect_page() as opened:
        page.keyboard.press("Alt+b")
    booking = opened.value
    booking.wait_for_load_state()
    assert "/backoffice/booking" in booking.url and "surname=%D0%9A%D0%BE%D0%B2%D0%B0%D0%BB%D1%8C" in booking.url
    assert "phone=%2B38" in booking.url and "topic=" in booking.url
    booking.close()
    page.bring_to_front()

    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#call-status:has-text('Звернення зареєстровано')")
    _shot(page, screenshot_dir, "saved")
    assert page.input_value("#call-phone") == "" and page.evaluate("document.activeElement.id") == "call-phone"
    with db.read() as s:
        rec = s.scalars(select(ReceptionRecord).order_by(ReceptionRecord.id.desc())).first()
        assert rec is not None
        assert (rec.form, rec.kind, rec.topic, rec.phone_key) == ("phone", "complaint", "pensions", "+380501112233")
        assert rec.is_repeat and rec.repeat_of_id == call_centre["earlier"]["id"]
        assert rec.executor_id == call_centre["executor"] and rec.executor == "Ірина Виконавиця"
        assert s.scalar(select(AppealDraft.id)) is None  # saved: no draft left to restore

    # A consultation, then Esc twice clears a half-typed call.
    page.keyboard.type("067 222 33 44")
    page.keyboard.press("Alt+4")
    assert not page.is_visible("#call-control")
    page.keyboard.press("Escape")
    page.wait_for_selector("#call-status:has-text('ще раз')")
    page.keyboard.press("Escape")
    page.wait_for_selector("#call-status:has-text('Форму очищено')")
    assert page.input_value("#call-phone") == ""
    _shot(page, screenshot_dir, "cleared")


def test_the_hall_shows_todays_appeals(browser, live_server, call_centre, db, clock, screenshot_dir) -> None:
    add_user(db, clock, "mgr", ["manager"], ["T1"])
    context = browser.new_context(viewport=DESKTOP, locale="uk-UA")
    page = context.new_page()
    page.goto(f"{live_server.url}/login?next=/backoffice/hall")
    page.fill('input[name="username"]', "mgr")
    page.fill('input[name="password"]', PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/backoffice/hall**")
    page.wait_for_selector("#hall-appeals .hl-acc-item")
    text = page.inner_text("#hall-appeals")
    assert "усього\n1" in text and "телефоном\n1" in text
    page.locator("#hall-appeals").scroll_into_view_if_needed()
    _shot(page, screenshot_dir, "hall-appeals")

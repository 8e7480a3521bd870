"""The kiosk and the phone page as a visitor meets them (decision 034), in real headless Chromium:
the menu laid out for the screen it is on (1080×1920 and 1920×1080, eight services, nothing to
scroll), a service nobody serves said plainly on the menu, the ticket and the phone (360×740), and
an air-raid alert reaching the kiosk as fast as the wall display."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from reception.ops.demo import seed
from tests.browser.test_kiosk_front import issue, kiosk_for

PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}
PHONE = {"width": 360, "height": 740}
# Each service button's box, and whether it is whole inside the menu's screen and clear of the
# footer ("I have a booking"), wherever the layout puts that (under the menu, or up in the top bar).
TILES = """() => {
  const screen = document.getElementById('screen-start').getBoundingClientRect();
  const foot = document.getElementById('footer').getBoundingClientRect();
  return [...document.querySelectorAll('#menu .tile')].map((t) => {
    const r = t.getBoundingClientRect();
    const clear = r.bottom <= foot.top + 0.5 || r.top >= foot.bottom - 0.5;
    return {code: t.dataset.service, left: r.left, top: r.top, right: r.right, bottom: r.bottom,
            inside: r.top >= screen.top - 0.5 && r.bottom <= screen.bottom + 0.5 && clear};
  });
}"""


@pytest.fixture
def app(db, db_url: str, clock) -> Iterator[Any]:
    """The test app with the real Socket.IO publisher (the kiosk listens for the suspension)."""
    from tests.fakes import make_test_app

    application = make_test_app(db_url, clock)
    yield application
    application.extensions["reception"].db.dispose()


def kiosk_page(browser: Any, base: str, token: str, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport, locale="uk-UA", has_touch=True)
    page = context.new_page()
    page.goto(f"{base}/kiosk?token={token}")
    page.wait_for_selector(".tile.service")
    return page


def open_desk(base: str, db: Any, clock: Any, desk: str) -> None:
    from tests.fakes import add_user

    name = f"op{desk}"
    add_user(db, clock, name, ["operator"], ["MOJ"])
    token = requests.post(f"{base}/api/v1/auth/token", json={"username": name, "password": "secret-pass-1"},
                          timeout=10).json()["token"]
    r = requests.post(f"{base}/api/v1/desks/{desk}/open", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["1080x1920", "1920x1080"])
def test_eight_services_all_inside_the_screen(browser, live_server, db, clock, tmp_path, viewport) -> None:
    token = kiosk_for(db, clock, tmp_path, 8)
    for desk in ("1", "2", "3"):
        open_desk(live_server.url, db, clock, desk)
    for service in ("consult", "consult", "appeal", "registry", "legal_aid", "documents", "apostille"):
        issue(live_server.url, token, service)  # queues: every tile's counts are two lines tall
    page = kiosk_page(browser, live_server.url, token, viewport)
    page.wait_for_timeout(150)
    page.screenshot(path=f"/tmp/h7/kiosk-8-services-{viewport['width']}x{viewport['height']}.png")
    boxes = tiles = page.evaluate(TILES)
    assert len(tiles) == 8
    width, height = viewport["width"], viewport["height"]
    outside = [b["code"] for b in boxes if b["left"] < 0 or b["top"] < 0 or b["right"] > width or b["bottom"] > height]
    assert not outside, f"service buttons outside the {width}x{height} screen: {outside}"
    assert not [t["code"] for t in tiles if not t["inside"]], "a tile is cut by the screen's edge or the footer"
    assert page.is_hidden("#menu-more")  # nothing to scroll to
    if viewport is LANDSCAPE:  # laid out in columns, not one long list
        assert len({round(b["left"]) for b in boxes}) >= 2
    page.context.close()


def demo_kiosk(db: Any, clock: Any, tmp_path: Any) -> dict[str, Any]:
    """The demo office as it starts the day: every window still closed."""
    return seed(db, clock, str(tmp_path))


def staff_token(base: str, info: dict[str, Any], user: str) -> str:
    r = requests.post(f"{base}/api/v1/auth/token", json={"username": user, "password": info["users"][user]},
                      timeout=10)
    assert r.status_code == 200, r.text
    return str(r.json()["token"])


def test_a_service_nobody_serves_is_said_plainly_on_the_kiosk_and_the_phone(
        browser, live_server, db, clock, tmp_path) -> None:
    info = demo_kiosk(db, clock, tmp_path)
    errors: list[str] = []
    kiosk = kiosk_page(browser, live_server.url, info["kiosk_token"], PORTRAIT)
    kiosk.on("pageerror", lambda exc: errors.append(str(exc)))
    assert kiosk.inner_text('.tile[data-service="registry"] .tile-stats') == "Зараз ніхто не приймає"
    kiosk.screenshot(path="/tmp/h7/kiosk-unserved-menu-1080x1920.png")
    kiosk.click('.tile[data-service="registry"]')
    kiosk.click(".big-no")
    kiosk.wait_for_selector("#screen-ticket:not([hidden])")
    assert kiosk.inner_text("#ticket-code") == "Р-001"
    assert kiosk.inner_text("#ticket-ahead") == "нікого"
    assert kiosk.inner_text("#ticket-eta") == "невідоме"  # not «до 16 хв»
    assert kiosk.inner_text("#ticket-unserved").startswith("Зараз цю послугу ніхто не обслуговує")
    assert kiosk.inner_text(".ticket-qr figcaption") == "Відскануйте телефоном, щоб стежити за чергою"
    assert kiosk.inner_text("#watch-screen") == "Слідкуйте за табло: там зʼявиться ваш номер і вікно."
    kiosk.wait_for_function("() => document.getElementById('ticket-qr').naturalWidth > 0")
    kiosk.screenshot(path="/tmp/h7/kiosk-unserved-ticket-1080x1920.png")
    token = kiosk.evaluate("document.getElementById('ticket-qr').src").rsplit("/", 1)[1].removesuffix(".svg")

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="uk-UA").new_page()
    phone.on("pageerror", lambda exc: errors.append(str(exc)))
    phone.goto(f"{live_server.url}/t/{token}")
    phone.wait_for_selector("#wait:not([hidden])")
    assert phone.inner_text("#position") == "нікого"  # «Перед вами нікого», never «0 осіб»
    assert phone.inner_text("#eta") == "невідоме"
    hint = phone.inner_text("#wait-hint")
    assert hint.startswith("Зараз цю послугу ніхто не обслуговує") and "наступні" not in hint
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path="/tmp/h7/phone-unserved-360x740.png", full_page=True)

    # Window 4 opens (it serves registration): the visitor is next again, with a wait.
    operator = staff_token(live_server.url, info, "operator")
    assert requests.post(f"{live_server.url}/api/v1/desks/4/open", timeout=10,
                         headers={"Authorization": f"Bearer {operator}"}).status_code == 200
    phone.reload()
    phone.wait_for_selector("#wait:not([hidden])")
    assert phone.inner_text("#wait-hint") == "Ви наступні — будьте поруч."
    assert phone.inner_text("#eta") != "невідоме"
    phone.screenshot(path="/tmp/h7/phone-served-360x740.png", full_page=True)
    assert not errors, errors


def test_an_office_that_refuses_says_why_on_the_kiosk(browser, live_server, db, clock, tmp_path) -> None:
    from tests.web.leadership.builders import set_settings

    info = demo_kiosk(db, clock, tmp_path)
    set_settings(db, "MOJ", refuse_unserved=True)
    kiosk = kiosk_page(browser, live_server.url, info["kiosk_token"], LANDSCAPE)
    tile = kiosk.locator('.tile[data-service="consult"]')
    assert "ніхто не обслуговує" in tile.inner_text() and "unavailable" in (tile.get_attribute("class") or "")
    tile.click()
    kiosk.wait_for_selector("#dialog:not([hidden])")
    assert kiosk.inner_text("#dialog-text").startswith(
        "Зараз цю послугу ніхто не обслуговує, тому талон на неї не видається.")
    kiosk.screenshot(path="/tmp/h7/kiosk-refused-1920x1080.png")


def test_a_booked_visitor_is_told_to_watch_for_the_place_of_reception(
        browser, live_server, api, db, clock, tmp_path) -> None:
    from tests.web.leadership.builders import add_leader, add_rule, set_settings

    info = demo_kiosk(db, clock, tmp_path)
    set_settings(db, "MOJ", booking_cutoff_working_days=0)
    leader = add_leader(db, clock, office="MOJ", user="boss")
    # The demo's deputy holds room 412 on Tuesdays 10:00–13:00, and no other leader may share those hours.
    add_rule(db, clock, leader, weekday=2, start="13:00", end="15:00", slot_min=30, valid_from=date(2026, 11, 1))
    cc = api.user("cc", ["call_centre"], offices=["MOJ"])
    session = next(s for s in api.call("GET", "/reception-sessions?office=MOJ", cc).get_json() if s["leader"] == leader)
    booked = api.call("POST", f"/reception-sessions/{session['id']}/appointments", cc,
                      json={"visitor": {"surname": "Коваль", "name": "Олена"}, "topic": "Спадщина",
                            "slot": session["slots"][0]["at"]})
    assert booked.status_code == 201, booked.get_json()
    clock.set(datetime(2026, 11, 24, 12, 50, tzinfo=ZoneInfo("Europe/Kyiv")))  # the visitor comes 10 min early
    code = booked.get_json()["booking_code"].replace("-", "")
    kiosk = kiosk_page(browser, live_server.url, info["kiosk_token"], PORTRAIT)
    kiosk.click("button.booking")
    for key in code:
        kiosk.click(f'.key[data-key="{key}"]')
    kiosk.click('[data-action="checkin"]')
    kiosk.wait_for_selector("#screen-ticket:not([hidden])")
    assert kiosk.inner_text("#watch-screen") == "Слідкуйте за табло: там зʼявиться ваш номер і місце прийому."
    kiosk.screenshot(path="/tmp/h7/kiosk-booked-ticket-1080x1920.png")
    token = kiosk.evaluate("document.getElementById('ticket-qr').src").rsplit("/", 1)[1].removesuffix(".svg")
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="uk-UA").new_page()
    phone.goto(f"{live_server.url}/t/{token}")
    phone.wait_for_selector("#wait:not([hidden])")
    assert phone.inner_text("#wait-hint") == "Слідкуйте за табло: там зʼявиться ваш номер і місце прийому."
    phone.screenshot(path="/tmp/h7/phone-booked-360x740.png", full_page=True)


def test_the_kiosk_learns_of_an_alert_and_the_all_clear_within_three_seconds(
        browser, live_server, db, clock, tmp_path) -> None:
    info = demo_kiosk(db, clock, tmp_path)
    kiosk = kiosk_page(browser, live_server.url, info["kiosk_token"], PORTRAIT)
    kiosk.wait_for_function("() => window.__kioskSocket && window.__kioskSocket.connected")
    manager = {"Authorization": f"Bearer {staff_token(live_server.url, info, 'manager')}"}
    started = time.monotonic()
    r = requests.post(f"{live_server.url}/api/v1/offices/MOJ/suspend", json={"reason": "air_raid"},
                      headers=manager, timeout=10)
    assert r.status_code == 200, r.text
    kiosk.wait_for_selector("#suspended-panel:not([hidden])", timeout=3000)
    shown = time.monotonic() - started
    assert kiosk.locator(".tile.service").count() == 0 and kiosk.is_hidden("#footer")
    kiosk.screenshot(path="/tmp/h7/kiosk-alert-1080x1920.png")
    started = time.monotonic()
    r = requests.post(f"{live_server.url}/api/v1/offices/MOJ/resume", json={}, headers=manager, timeout=10)
    assert r.status_code == 200, r.text
    kiosk.wait_for_selector(".tile.service", timeout=3000)
    cleared = time.monotonic() - started
    assert kiosk.is_hidden("#suspended-panel")
    print(f"alert shown after {shown:.2f} s, cleared after {cleared:.2f} s")


def pairing_code(db: Any, clock: Any, kind: str, name: str) -> str:
    """What a manager gets under «Кіоски й табло» (reception.accounts.devices.create_pairing)."""
    from reception.accounts import devices
    from reception.bootstrap import bootstrap
    from reception.kernel.identity import Actor

    root = Actor(roles=frozenset({"admin"}))
    return str(bootstrap(db, clock).services.value(devices.create_pairing, root, "MOJ", kind=kind, name=name)["code"])


@pytest.mark.parametrize(("kind", "viewport", "title"), [
    ("kiosk", PORTRAIT, "Кіоск ще не налаштовано"), ("display", LANDSCAPE, "Табло ще не налаштовано")])
def test_an_unpaired_screen_is_calm_and_pairs_by_touch(browser, live_server, db, clock, tmp_path, kind, viewport,
                                                       title) -> None:
    demo_kiosk(db, clock, tmp_path)
    context = browser.new_context(viewport=viewport, locale="uk-UA", has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/{kind}")
    assert page.inner_text("h1") == title
    text = page.inner_text("body")
    for technical in ("reception device", "--office", "token", "ТОКЕН", "/kiosk", "/display", "/pair"):
        assert technical not in text, technical
    keys = page.evaluate("""() => [...document.querySelectorAll('.pair-key')].map((k) => {
        const r = k.getBoundingClientRect(); return {w: r.width, h: r.height, bottom: r.bottom, right: r.right}; })""")
    assert len(keys) == 12 and all(k["h"] >= 72 and k["w"] >= 72 for k in keys), keys  # large keys
    assert all(k["bottom"] <= viewport["height"] and k["right"] <= viewport["width"] for k in keys), keys
    assert page.is_disabled(".pair-submit")
    page.screenshot(path=f"/tmp/h7/{kind}-not-set-up-{viewport['width']}x{viewport['height']}.png")
    # A wrong code: said plainly, and the keypad is still there.
    for digit in "000000":
        page.tap(f'.pair-key[data-digit="{digit}"]')
    page.tap(".pair-submit")
    page.wait_for_selector(".pair-error")
    assert "Код не підходить" in page.inner_text(".pair-error")
    code = pairing_code(db, clock, kind, f"Новий пристрій {kind}")
    for digit in code[:5] + "9":
        page.tap(f'.pair-key[data-digit="{digit}"]')
    page.tap(".pair-erase")  # a slip of the finger costs one digit
    page.tap(f'.pair-key[data-digit="{code[5]}"]')
    assert page.input_value(".pair-code") == code
    page.tap(".pair-submit")
    if kind == "kiosk":
        page.wait_for_selector(".tile.service")
    else:
        page.wait_for_function("() => window.__display && window.__display.state.version >= 0")
    assert page.url == f"{live_server.url}/{kind}"  # paired: the token is in the cookie, not the address
    context.close()

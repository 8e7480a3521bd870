"""The kiosk as a hall lives it, at 1080×1920 portrait: the menu fits with 6 and 8 services,
an empty queue is not "без черги" (that means a privilege), the keypad keeps backspace apart
from "clear", and a priority ticket on screen never names the category."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from reception.accounts.service import create_device
from reception.kernel.identity import Actor
from reception.offices.setup import create_service
from reception.ops.demo import seed

PORTRAIT = {"width": 1080, "height": 1920}
# Two more services, with long names, to reach the flat menu's limit (kiosk/static/js/main.js FLAT_LIMIT).
EXTRA_SERVICES: list[dict[str, Any]] = [
    dict(code="apostille", prefix="А", category="registry", name_uk="Проставлення апостиля на документах",
         name_en="Apostille on documents", description_uk="Для документів, що використовуватимуться за кордоном",
         description_en="For documents to be used abroad", default_service_min=10),
    dict(code="enforcement", prefix="В", category="appeals", name_uk="Виконання судових рішень і стягнення аліментів",
         name_en="Enforcement of court decisions and alimony",
         description_uk="Консультації щодо виконавчого провадження та стягнення заборгованості",
         description_en="Advice on enforcement proceedings and collecting arrears", default_service_min=12),
]


def kiosk_for(db: Any, clock: Any, tmp_path: Path, services: int) -> str:
    seed(db, clock, str(tmp_path))
    root = Actor(roles=frozenset({"admin"}))
    for extra in EXTRA_SERVICES[: services - 6]:
        create_service(db, root, "MOJ", **extra)
    return create_device(db, clock, kind="kiosk", office_code="MOJ", name="Кіоск 1", printer_url="dummy://")[1]


def issue(base: str, token: str, service: str, **body: Any) -> dict[str, Any]:
    r = requests.post(f"{base}/api/v1/kiosk/tickets", headers={"Authorization": f"Bearer {token}"},
                      json={"service": service, **body}, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def open_page(browser: Any, base: str, token: str) -> Any:
    context = browser.new_context(viewport=PORTRAIT, locale="uk-UA", has_touch=True)
    page = context.new_page()
    page.goto(f"{base}/kiosk?token={token}")
    page.wait_for_selector(".tile.service")
    return page


# Each tile's box against the visible part of the menu screen and the footer.
TILES_VISIBLE = """() => {
  const screen = document.getElementById('screen-start').getBoundingClientRect();
  const foot = document.getElementById('footer').getBoundingClientRect();
  return [...document.querySelectorAll('#menu .tile')].map((t) => {
    const r = t.getBoundingClientRect();
    return {code: t.dataset.service, inside: r.top >= screen.top && r.bottom <= screen.bottom + 0.5 && r.bottom <= foot.top + 0.5};
  });
}"""


@pytest.mark.parametrize("services", [6, 8])
def test_the_whole_menu_fits_above_the_footer(browser, live_server, db, clock, tmp_path, screenshot_dir,
                                              services) -> None:
    token = kiosk_for(db, clock, tmp_path, services)
    for service in ("consult", "consult", "appeal", "registry", "legal_aid", "documents"):
        issue(live_server.url, token, service)  # queues make every tile's counts two lines tall
    page = open_page(browser, live_server.url, token)
    tiles = page.evaluate(TILES_VISIBLE)
    assert len(tiles) == services
    hidden = [t["code"] for t in tiles if not t["inside"]]
    # Fits on one screen: nothing is cut by the footer and nothing needs a scroll.
    assert not hidden, f"tiles cut off or under the footer: {hidden}"
    assert page.evaluate("(() => { const s = document.getElementById('screen-start');"
                         " return s.scrollHeight <= s.clientHeight + 1; })()")
    assert page.is_hidden("#menu-more")
    density = page.get_attribute("#screen-start", "data-density")
    print(f"{services} services: density level {density}")
    if services == 6:
        assert density in ("0", "1", "2"), "six services keep their descriptions in full"
    # Long names wrap, they are not cut.
    assert page.evaluate("[...document.querySelectorAll('.tile-name')].every((n) => n.scrollWidth <= n.clientWidth)")
    page.wait_for_timeout(150)
    page.screenshot(path=str(screenshot_dir / f"kiosk-portrait-start-{services}-services.png"))
    page.context.close()


def test_many_services_scroll_visibly(browser, live_server, db, clock, tmp_path, screenshot_dir) -> None:
    """When even the tightest menu cannot fit (here a shorter screen), a cue says there is more below."""
    token = kiosk_for(db, clock, tmp_path, 8)
    context = browser.new_context(viewport={"width": 1080, "height": 1200}, locale="uk-UA", has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/kiosk?token={token}")
    page.wait_for_selector(".tile.service")
    page.wait_for_selector("#menu-more:not([hidden])")
    assert "Гортайте" in page.inner_text("#menu-more")
    page.locator('#menu .tile[data-service="leadership"]').scroll_into_view_if_needed()
    page.wait_for_selector("#menu-more", state="hidden")  # at the bottom the cue goes
    page.screenshot(path=str(screenshot_dir / "kiosk-1080x1200-scrolled.png"))
    context.close()


def test_an_empty_queue_says_there_is_no_queue(browser, live_server, db, clock, tmp_path) -> None:
    token = kiosk_for(db, clock, tmp_path, 6)
    issue(live_server.url, token, "consult")
    # Window 2 (consult, appeal, documents) is open: an empty queue there means "no queue"; with
    # nobody serving, the tile would say that instead (tests/browser/test_kiosk_visitor.py).
    signin = requests.post(f"{live_server.url}/api/v1/auth/token", timeout=10,
                           json={"username": "operator", "password": "operator-demo-pass"})
    opened = requests.post(f"{live_server.url}/api/v1/desks/2/open", timeout=10,
                           headers={"Authorization": f"Bearer {signin.json()['token']}"})
    assert opened.status_code == 200, opened.text
    page = open_page(browser, live_server.url, token)
    free = page.inner_text('.tile[data-service="appeal"] .tile-stats')
    assert free == "черги немає"
    assert "без черги" not in page.inner_text("body")
    assert "у черзі" in page.inner_text('.tile[data-service="consult"] .tile-stats')
    page.click(".k-lang")
    page.wait_for_function("() => document.getElementById('start-title').textContent === 'Choose a service'")
    assert page.inner_text('.tile[data-service="appeal"] .tile-stats') == "no queue"
    page.context.close()


def test_keypad_keeps_backspace_apart_from_clear(browser, live_server, db, clock, tmp_path, screenshot_dir) -> None:
    token = kiosk_for(db, clock, tmp_path, 6)
    page = open_page(browser, live_server.url, token)
    page.click("button.booking")
    page.wait_for_selector("#screen-checkin:not([hidden])")
    erase = page.locator('.key[data-key="erase"]')
    clear = page.locator('[data-action="clear"]')
    assert erase.inner_text() == "Стерти" and erase.locator("svg").count() == 1  # the ⌫ icon and a word
    assert erase.get_attribute("aria-label") == "Стерти останній символ"
    assert clear.is_hidden()  # nothing typed, nothing to clear
    for key in "KK9":
        page.click(f'.key[data-key="{key}"]')
    assert clear.inner_text() == "Очистити все"
    # Backspace sits in the keypad grid, with the keys; "clear" is not next to it and not next to "Confirm".
    assert page.locator(".keys .key[data-key='erase']").count() == 1
    e, c, s = (page.locator(sel).bounding_box() for sel in ('.key[data-key="erase"]', '[data-action="clear"]',
                                                            '[data-action="checkin"]'))
    assert c["y"] < e["y"] and c["y"] < s["y"], "clear is up by the code, away from backspace and confirm"
    gap = e["y"] - (c["y"] + c["height"])
    assert gap > 150, gap  # the digit row and a row of letters lie between them
    erase.click()
    assert page.inner_text("#code-display") == "KK"
    page.screenshot(path=str(screenshot_dir / "kiosk-portrait-keypad.png"))
    clear.click()
    assert page.inner_text("#code-display") == ""
    assert clear.is_hidden() or clear.is_disabled()  # nothing to clear
    page.context.close()


def test_a_priority_ticket_on_screen_does_not_name_the_category(browser, live_server, db, clock, tmp_path) -> None:
    token = kiosk_for(db, clock, tmp_path, 6)
    page = open_page(browser, live_server.url, token)
    page.click('.tile[data-service="consult"]')
    page.click('.priority[data-priority="hero_ua"]')
    page.wait_for_selector("#screen-ticket:not([hidden])")
    assert page.inner_text("#ticket-badge") == "Пріоритетний талон"
    assert "Герой" not in page.inner_text("#screen-ticket")
    page.context.close()

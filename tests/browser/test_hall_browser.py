"""Real headless Chromium: the manager's hall view goes live — a call at a desk changes the page
without a reload; screenshots at the desk laptop (1366×768) and a 1920×1080 screen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from reception.ops.demo import seed

LAPTOP = {"width": 1366, "height": 768}
SCREEN = {"width": 1920, "height": 1080}
SHOTS = Path(os.environ.get("HALL_SHOTS", "/tmp/hall"))


@pytest.fixture
def app(db, db_url: str, clock) -> Iterator[Any]:
    """The test app with the real Socket.IO publisher."""
    from tests.fakes import make_test_app

    application = make_test_app(db_url, clock)
    yield application
    application.extensions["reception"].db.dispose()


def _token(base: str, user: str, password: str) -> str:
    r = requests.post(f"{base}/api/v1/auth/token", json={"username": user, "password": password}, timeout=10)
    return str(r.json()["token"])


def _post(base: str, path: str, token: str, body: dict[str, Any] | None = None) -> requests.Response:
    return requests.post(f"{base}/api/v1{path}", json=body or {}, timeout=10, headers={"Authorization": f"Bearer {token}"})


def test_a_call_changes_the_hall_without_a_reload(browser, live_server, db, clock, tmp_path) -> None:
    info = seed(db, clock, str(tmp_path))
    base = live_server.url
    users = info["users"]
    for service in ("consult", "consult", "appeal", "registry", "consult", "documents", "appeal"):
        assert _post(base, "/kiosk/tickets", info["kiosk_token"], {"service": service}).status_code == 201
        clock.advance(minutes=3)
    op1, op2 = _token(base, "operator", users["operator"]), _token(base, "operator2", users["operator2"])
    assert _post(base, "/desks/1/open", op1).status_code == 200
    assert _post(base, "/desks/2/open", op2).status_code == 200
    assert _post(base, "/desks/2/pause", op2, {"reason": "Технічна перерва"}).status_code == 200
    clock.advance(minutes=2)

    errors: list[str] = []
    page = browser.new_context(viewport=LAPTOP, locale="uk-UA").new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base}/login?next=/backoffice/hall")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", users["manager"])
    page.locator("main form button").first.click()
    page.wait_for_url("**/backoffice/hall**")
    page.wait_for_selector("#hall-live[data-live=on]", timeout=10000)
    assert page.get_attribute("[data-desk='1']", "data-state") == "open"
    assert "Технічна перерва" in page.inner_text("[data-desk='2']")
    assert page.locator(".hl-svc.is-alarm").count() >= 1  # consult waited past its target
    assert "Понад норму" in page.inner_text("#hall-services")
    page.evaluate("() => { window.__noReload = true; }")

    called = _post(base, "/desks/1/call-next", op1).json()
    page.wait_for_function("() => document.querySelector(\"[data-desk='1']\").dataset.state === 'called'",
                           timeout=10000)
    assert called["code"] in page.inner_text("[data-desk='1']")
    assert page.evaluate("() => window.__noReload === true")  # the same page: it changed live
    before = page.inner_text("[data-desk='1'] .hl-desk-time")
    page.wait_for_timeout(2100)  # two ticks at least, whatever the phase of the 1 s timer
    assert page.inner_text("[data-desk='1'] .hl-desk-time") != before  # durations tick in the page

    SHOTS.mkdir(parents=True, exist_ok=True)
    fits = "() => document.documentElement.scrollWidth <= innerWidth"
    page.screenshot(path=str(SHOTS / "hall-1366x768.png"))
    assert page.evaluate(fits)
    page.set_viewport_size(SCREEN)
    page.screenshot(path=str(SHOTS / "hall-1920x1080.png"))
    assert page.evaluate(fits)
    assert errors == []

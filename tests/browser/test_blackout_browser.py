"""Real headless Chromium through a blackout: the server goes away, the kiosk (1080×1920) keeps
its last menu with a notice and the wall display (1920×1080) its last calls with a notice; the
server comes back and both recover by themselves. And a ticket whose answer was lost: the kiosk
sends the tap again with its key and shows the one ticket the server made."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from reception.ops.demo import seed
from reception.platform.clock import SystemClock
from reception.queue.models import Ticket
from tests.servers import Server

KIOSK = {"width": 1080, "height": 1920}
TV = {"width": 1920, "height": 1080}
SHOTS = Path("/tmp/recovery")


def _issue(base: str, token: str) -> dict[str, Any]:
    r = requests.post(f"{base}/api/v1/kiosk/tickets", json={"service": "consult"}, timeout=10,
                      headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text
    return r.json()


def _call_next(base: str, username: str, password: str, desk: str) -> dict[str, Any]:
    r = requests.post(f"{base}/api/v1/auth/token", json={"username": username, "password": password}, timeout=10)
    headers = {"Authorization": f"Bearer {r.json()['token']}"}
    assert requests.post(f"{base}/api/v1/desks/{desk}/open", headers=headers, timeout=10).status_code == 200
    r = requests.post(f"{base}/api/v1/desks/{desk}/call-next", headers=headers, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
def servers_started() -> Iterator[list[Server]]:
    running: list[Server] = []
    yield running
    for server in running:
        server.stop(kill=True)


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


def test_kiosk_and_display_keep_their_last_state_through_an_outage_and_recover(
        browser, db, db_url, tmp_path, servers_started) -> None:
    info = seed(db, SystemClock(), str(tmp_path))
    env = {"RECEPTION_KIOSK_POLL_S": "1"}  # the kiosk notices the lost server within a second
    server = Server(db_url, extra_env=env).start()
    servers_started.append(server)
    base = server.url
    first = _issue(base, info["kiosk_token"])
    _call_next(base, "operator", info["users"]["operator"], "1")
    errors: list[str] = []

    kiosk = browser.new_context(viewport=KIOSK, locale="uk-UA", has_touch=True).new_page()
    kiosk.on("pageerror", lambda exc: errors.append(str(exc)))
    kiosk.goto(f"{base}/kiosk?token={info['kiosk_token']}")
    kiosk.wait_for_selector(".tile.service")
    tiles = kiosk.locator(".tile.service").count()

    tv = browser.new_context(viewport=TV).new_page()
    tv.on("pageerror", lambda exc: errors.append(str(exc)))
    tv.goto(f"{base}/display?token={info['display_token']}")
    tv.wait_for_selector(f".call[data-code='{first['code']}']")

    server.stop(kill=True)  # the power goes: connections drop, nothing answers
    kiosk.wait_for_selector("#connection", state="visible", timeout=15000)
    assert "Немає звʼязку із сервером" in kiosk.inner_text("#connection")
    assert kiosk.locator(".tile.service").count() == tiles and kiosk.is_hidden("#offline"), "the last menu stays"
    tv.wait_for_selector("#offline", state="visible", timeout=15000)
    assert "Немає звʼязку із сервером" in tv.inner_text("#offline")
    assert tv.locator(f".call[data-code='{first['code']}']").count() == 1, "the last calls stay"
    _shot(kiosk, "kiosk-offline-1080x1920.png")
    _shot(tv, "display-offline-1920x1080.png")

    back = Server(db_url, port=server.port, extra_env=env).start()  # power returns
    servers_started.append(back)
    second = _issue(base, info["kiosk_token"])
    assert second["number"] == first["number"] + 1, "numbering carries on"
    _call_next(base, "operator2", info["users"]["operator2"], "2")
    # The display reconnects by itself and shows the call made after the restart (its snapshot or the event).
    tv.wait_for_selector(f".call[data-code='{second['code']}']", timeout=15000)
    tv.wait_for_selector("#offline", state="hidden", timeout=5000)
    kiosk.wait_for_selector("#connection", state="hidden", timeout=20000)
    assert kiosk.locator(".tile.service").count() == tiles
    assert errors == []


def test_a_lost_ticket_answer_is_sent_again_with_its_key_and_gives_one_ticket(
        browser, live_server, db, clock, tmp_path) -> None:
    info = seed(db, clock, str(tmp_path))
    page = browser.new_context(viewport=KIOSK, locale="uk-UA", has_touch=True).new_page()
    sent: list[dict[str, Any]] = []

    def lose_the_first_answer(route: Any) -> None:
        sent.append(route.request.post_data_json)
        if len(sent) == 1:
            route.fetch()  # the request reaches the server, which makes the ticket ...
            route.abort("connectionreset")  # ... but its answer never comes back
        else:
            route.continue_()

    page.route("**/api/v1/kiosk/tickets*", lose_the_first_answer)
    page.goto(f"{live_server.url}/kiosk?token={info['kiosk_token']}")
    page.click(".tile.service:not(.unavailable)")
    if page.locator(".big-no").is_visible():
        page.click(".big-no")
    page.wait_for_selector("#screen-ticket:not([hidden])", timeout=15000)
    with db.read() as s:
        count = s.scalar(select(func.count()).select_from(Ticket))
        code = s.scalar(select(Ticket.code))
    assert count == 1 and page.inner_text("#ticket-code") == code
    assert len(sent) == 2 and sent[0]["idempotency_key"] == sent[1]["idempotency_key"]
    assert len(sent[0]["idempotency_key"]) == 32
    # The next visitor's tap is a new key and a new number.
    page.click("button.done")
    page.click(".tile.service:not(.unavailable)")
    if page.locator(".big-no").is_visible():
        page.click(".big-no")
    page.wait_for_selector("#screen-ticket:not([hidden])", timeout=15000)
    assert len(sent) == 3 and sent[2]["idempotency_key"] != sent[0]["idempotency_key"]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 2

"""The wall display as a hall lives it, at 1920×1080: every per-service count fits the footer
(with the demo's longest service names, with and without a banner), and the display speaks
without a touch when the browser allows autoplay (kiosk mode, scripts/kiosk-browser.sh)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import CHROMIUM
from tests.browser.test_display_browser import app, demo  # noqa: F401  (fixtures)
from tests.fakes import add_user

WALL = {"viewport": {"width": 1920, "height": 1080}}
ALL_SERVICES = ("consult", "legal_aid", "appeal", "registry", "documents", "leadership")

# Every footer item that shows text, with whether it is cut, and its box.
FOOTER_ITEMS = """() => [...document.querySelectorAll('.foot, .foot .w-total, #waiting-lines, .w-line, .w-name, .w-n')]
  .filter((n) => n.offsetParent !== null)
  .map((n) => ({what: n.className || n.id, text: n.textContent.trim().slice(0, 40),
                cut: n.scrollWidth > n.clientWidth, box: n.getBoundingClientRect().toJSON()}))"""


def footer(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(FOOTER_ITEMS)


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def open_display(browser: Any, base: str, token: str) -> Any:
    page = browser.new_context(**WALL).new_page()
    page.goto(f"{base}/display?token={token}")
    page.wait_for_function("() => window.__display && window.__display.state.version >= 0")
    return page


def test_every_waiting_count_fits_the_footer_with_and_without_a_banner(browser, live_server, demo, db, clock,  # noqa: F811
                                                                       screenshot_dir) -> None:
    for service in ALL_SERVICES:
        demo.issue(service)
    demo.issue("consult")
    page = open_display(browser, live_server.url, demo.info["display_token"])
    page.wait_for_function(f"() => document.querySelectorAll('#waiting-lines .w-line').length === {len(ALL_SERVICES)}")
    items = footer(page)
    names = [i["text"] for i in items if i["what"] == "w-name"]
    assert "Особистий прийом громадян керівництвом" in names and "Безоплатна правова допомога" in names
    assert not [i for i in items if i["cut"]], [i for i in items if i["cut"]]
    foot = next(i["box"] for i in items if i["what"] == "foot")
    assert all(i["box"]["bottom"] <= foot["bottom"] + 0.5 and i["box"]["top"] >= foot["top"] - 0.5 for i in items)
    assert [int(n) for n in page.locator(".w-n").all_inner_texts()] == [2, 1, 1, 1, 1, 1]
    page.screenshot(path=str(screenshot_dir / "display-footer-1920x1080.png"))

    # Both banners at once (sound refused, server gone): the footer is untouched and uncovered.
    page.evaluate("document.getElementById('offline').hidden = false;"
                  "document.getElementById('sound-blocked').hidden = false;")
    with_banner = footer(page)
    assert not [i for i in with_banner if i["cut"]]
    assert [i["box"] for i in with_banner] == [i["box"] for i in items], "a banner moved the footer"
    banners = page.evaluate("[...document.querySelectorAll('#offline, #sound-blocked')]"
                            ".map((n) => n.getBoundingClientRect().toJSON())")
    assert all(not overlaps(b, i["box"]) for b in banners for i in with_banner)
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight")
    page.screenshot(path=str(screenshot_dir / "display-footer-banners-1920x1080.png"))

    # The taller footer still leaves room for four desks' calls in full.
    for user in ("operator3", "operator4"):
        add_user(db, clock, user, ["operator"], ["MOJ"], password="operator-demo-pass", full_name="Оператор",
                 position="Спеціаліст")
        demo.info["users"][user] = "operator-demo-pass"
    for user, desk in (("operator", "1"), ("operator2", "2"), ("operator3", "3"), ("operator4", "4")):
        demo.open(user, desk)
        demo.call_next(user, desk)
    page.wait_for_function("() => document.querySelectorAll('.calls .call').length === 4")
    rows = page.evaluate("""(() => { const main = document.querySelector('.layout').getBoundingClientRect();
        return [...document.querySelectorAll('.calls .call')].map((c) => c.getBoundingClientRect().toJSON()); })()""")
    layout = page.evaluate("document.querySelector('.layout').getBoundingClientRect().toJSON()")
    assert all(row["bottom"] <= layout["bottom"] for row in rows)
    assert all(not overlaps(b, row) for b in banners for row in rows), "a banner covers a call"
    page.screenshot(path=str(screenshot_dir / "display-four-calls-1920x1080.png"))
    page.context.close()


# --- sound without a touch -------------------------------------------------------------------

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "kiosk-browser.sh"


def script_flags(role: str) -> list[str]:
    """The Chromium flags scripts/kiosk-browser.sh starts the device with (its dry run)."""
    out = subprocess.run([str(SCRIPT), role, "http://127.0.0.1:1/display"], capture_output=True, text=True,
                         check=True, env=os.environ | {"RECEPTION_BROWSER_DRY_RUN": "1"}).stdout.split("\n")
    return [flag for flag in out[1:-2] if not flag.startswith("--user-data-dir=")]  # Playwright owns the profile


def test_the_launch_script_asks_for_sound_without_a_gesture_and_a_bare_full_screen() -> None:
    for role in ("DISPLAY", "KIOSK"):
        flags = script_flags(role)
        for flag in ("--autoplay-policy=no-user-gesture-required", "--kiosk", "--no-first-run",
                     "--disable-background-networking", "--noerrdialogs"):
            assert flag in flags, (role, flag)
    bad = subprocess.run([str(SCRIPT), "TV", "http://x"], capture_output=True, text=True)
    assert bad.returncode == 2 and "usage" in bad.stderr


@pytest.fixture
def browser_with(browser) -> Iterator[Any]:
    """Another Chromium, started with the given flags (headless, in this sandbox)."""
    started: list[Any] = []

    def launch(flags: list[str]) -> Any:
        other = browser.browser_type.launch(executable_path=CHROMIUM,
                                            args=["--headless", "--no-sandbox", "--disable-gpu", *flags])
        started.append(other)
        return other

    yield launch
    for other in started:
        other.close()


def call_one(office: Any) -> dict[str, Any]:
    office.issue("consult")
    office.open("operator", "1")
    return office.call_next("operator", "1")


def test_launched_like_the_script_the_display_speaks_untouched(browser_with, live_server, demo,  # noqa: F811
                                                               screenshot_dir) -> None:
    page = open_display(browser_with(script_flags("DISPLAY")), live_server.url, demo.info["display_token"])
    speech: list[str] = []
    page.on("request", lambda req: speech.append(req.url) if "announce.wav" in req.url else None)
    page.wait_for_function("() => window.__display.sound !== 'checking'")
    assert page.evaluate("window.__display.sound") == "allowed"
    assert page.is_hidden("#sound-blocked")
    called = call_one(demo)
    page.wait_for_selector(f'.call[data-code="{called["code"]}"]')
    # The chime and the voice (headless Chromium has no Ukrainian voice: espeak-ng's audio, when installed).
    expected = 2 if shutil.which("espeak-ng") else 1
    page.wait_for_function(f"() => window.__display.announcer.audible >= {expected}", timeout=20000)
    page.wait_for_function("() => window.__display.announcer.played >= 1", timeout=20000)
    assert page.is_hidden("#sound-blocked")
    if expected == 2:
        assert any("lang=uk" in url for url in speech)
    page.screenshot(path=str(screenshot_dir / "display-kiosk-mode-1920x1080.png"))


def test_a_browser_that_refuses_autoplay_gets_the_touch_prompt_at_once(browser_with, live_server, demo,  # noqa: F811
                                                                       screenshot_dir) -> None:
    page = open_display(browser_with(["--autoplay-policy=user-gesture-required"]), live_server.url,
                        demo.info["display_token"])
    page.wait_for_function("() => window.__display.sound !== 'checking'")
    assert page.evaluate("window.__display.sound") == "blocked"
    assert page.is_visible("#sound-blocked")  # before any call: staff see it when they switch it on
    assert "Торкніться екрана" in page.inner_text("#sound-blocked")
    page.screenshot(path=str(screenshot_dir / "display-sound-blocked-1920x1080.png"))
    page.mouse.click(960, 540)  # the one touch
    page.wait_for_function("() => window.__display.sound === 'allowed'")
    assert page.is_hidden("#sound-blocked")
    call_one(demo)
    page.wait_for_function("() => window.__display.announcer.audible >= 1", timeout=20000)

"""axe-core in real Chromium on every page, at the size it is used at: 0 serious or critical violations.

axe (tests/vendor/axe-core, vendored from npm for tests only) is evaluated into each page over the
DevTools protocol, which the page's Content-Security-Policy does not govern: the product's CSP stays
as it is served. One browser, one live server, one page per kind of visitor, reused row after row.
The other (moderate, minor) findings are printed; run with ``-s`` to see the per-page table.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from reception.kernel.identity import Actor
from reception.leadership import records
from reception.offices import suspension
from reception.ops.demo import OFFICE, seed
from tests.fakes import add_user, services

KIOSK = (1080, 1920)
TV = (1920, 1080)
PHONE = (360, 740)
LAPTOP = (1366, 768)

# Every page, as (name, who opens it, size, path or a kiosk step). Paths may name {ticket} (a
# ticket's public token) and {record} (a reception record's id). Kiosk steps are in STEPS below.
PAGES: list[tuple[str, str, tuple[int, int], str]] = [
    ("kiosk: menu", "kiosk", KIOSK, "step:menu"),
    ("kiosk: priority question", "kiosk", KIOSK, "step:priority"),
    ("kiosk: booking keypad", "kiosk", KIOSK, "step:keypad"),
    ("kiosk: ticket", "kiosk", KIOSK, "step:ticket"),
    ("kiosk: menu, English", "kiosk", KIOSK, "step:english"),
    ("kiosk: menu, high contrast", "kiosk", KIOSK, "step:contrast-menu"),
    ("kiosk: keypad, high contrast", "kiosk", KIOSK, "step:contrast-keypad"),
    ("kiosk: ticket, high contrast", "kiosk", KIOSK, "step:contrast-ticket"),
    ("kiosk: suspended", "kiosk", KIOSK, "step:suspended"),
    ("kiosk: not paired", "anonymous", KIOSK, "/kiosk"),
    ("display: board", "display", TV, "/display?token={display}"),
    ("display: not paired", "anonymous", TV, "/display"),
    ("device pairing", "anonymous", LAPTOP, "/pair"),
    ("phone: ticket status", "phone", PHONE, "/t/{ticket}"),
    ("phone: unknown ticket", "phone", PHONE, "/t/no-such-ticket"),
    ("landing", "anonymous", LAPTOP, "/"),
    ("sign-in", "anonymous", LAPTOP, "/login"),
    ("error: not found", "anonymous", LAPTOP, "/backoffice/no-such-page"),
    ("public schedule", "anonymous", LAPTOP, "/schedule"),
    ("back office home", "staff", LAPTOP, "/backoffice"),
    ("desk: choose a desk", "staff", LAPTOP, "/desk"),
    ("desk: console", "staff", LAPTOP, "step:desk"),
    ("desk: console, visitor called", "staff", LAPTOP, "step:desk-called"),
    ("office: today", "staff", LAPTOP, "/backoffice/reception/today"),
    ("office: bookings", "staff", LAPTOP, "/backoffice/booking"),
    ("office: schedule", "staff", LAPTOP, "/backoffice/schedule"),
    ("office: records", "staff", LAPTOP, "/backoffice/records"),
    ("office: new record card", "staff", LAPTOP, "/backoffice/records/new"),
    ("office: record card", "staff", LAPTOP, "/backoffice/records/{record}"),
    ("office: suspension", "staff", LAPTOP, "/backoffice/office/suspend"),
    ("reports", "staff", LAPTOP, "/backoffice/reports"),
    ("hall view", "staff", LAPTOP, "/backoffice/hall"),
    ("hall view, wall size", "staff", TV, "/backoffice/hall"),
    ("personal data of one person", "staff", LAPTOP, "/backoffice/personal-data"),
    ("privacy notice", "anonymous", LAPTOP, "/privacy"),
    ("privacy notice, phone", "phone", PHONE, "/privacy?lang=en"),
    ("admin: index", "staff", LAPTOP, "/backoffice/admin"),
    ("admin: office", "staff", LAPTOP, "/backoffice/admin/office"),
    ("admin: services", "staff", LAPTOP, "/backoffice/admin/services"),
    ("admin: desks", "staff", LAPTOP, "/backoffice/admin/desks"),
    ("admin: devices", "staff", LAPTOP, "/backoffice/admin/devices"),
    ("admin: users", "staff", LAPTOP, "/backoffice/admin/users"),
    ("admin: lists", "staff", LAPTOP, "/backoffice/admin/lists"),
    ("audit", "staff", LAPTOP, "/backoffice/audit"),
    ("staffing plan", "staff", LAPTOP, "/backoffice/staffing"),
    ("sign-out", "staff", LAPTOP, "/logout"),
]

AXE = (Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js").read_text()
BLOCKING = ("serious", "critical")
PASSWORD = "a11y-pass-12345"
ROOT = Actor(user_id=None, roles=frozenset({"admin"}))
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " — " + n.failureSummary.split("\\n").slice(1).join("; "))}));
}"""


class Env:
    """The live server, the demo office and one browser page per kind of visitor."""

    def __init__(self, browser: Any, base: str, info: dict[str, Any], db: Any, clock: Any) -> None:
        self.browser, self.base, self.info, self.db, self.clock = browser, base, info, db, clock
        self.pages: dict[str, Any] = {}
        self.errors: list[str] = []

    def page(self, who: str) -> Any:
        if who not in self.pages:
            options: dict[str, Any] = {"locale": "uk-UA"}
            if who in ("kiosk", "phone"):
                options |= {"has_touch": True, "is_mobile": who == "phone"}
            page = self.browser.new_context(**options).new_page()
            page.on("pageerror", lambda exc: self.errors.append(f"{who}: {exc}"))
            self.pages[who] = page
            if who == "staff":
                page.goto(f"{self.base}/login")
                page.fill("input[name=username]", "a11y")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"{self.base}/desk")
        return self.pages[who]

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()


# --- kiosk steps: each brings the kiosk page to one screen ---------------------------------------

def _start(env: Env, page: Any) -> None:
    if not page.url.startswith(f"{env.base}/kiosk"):
        page.goto(f"{env.base}/kiosk?token={env.info['kiosk_token']}")
    back = page.locator('.k-main [data-action="to-start"]:visible')
    if back.count():
        back.first.click()
    if page.get_attribute("html", "lang") != "uk":
        page.click(".k-lang")
    page.wait_for_selector("#screen-start:not([hidden]) .tile.service")


def _priority(env: Env, page: Any) -> None:
    _start(env, page)
    page.click('.tile[data-service="consult"]')
    page.wait_for_selector("#screen-priority:not([hidden])")


def _keypad(env: Env, page: Any) -> None:
    _start(env, page)
    page.click("button.booking")
    page.wait_for_selector("#screen-checkin:not([hidden])")
    page.click("#keypad button >> nth=0")


def _ticket(env: Env, page: Any) -> None:
    _priority(env, page)
    page.click(".big-no")
    page.wait_for_selector("#screen-ticket:not([hidden])")
    page.wait_for_function("() => document.getElementById('ticket-qr').complete")


def _english(env: Env, page: Any) -> None:
    _start(env, page)
    page.click(".k-lang")
    page.wait_for_selector('.tile[data-service="consult"] >> text=Legal consultation')


def _contrast(step: Callable[[Env, Any], None]) -> Callable[[Env, Any], None]:
    def run(env: Env, page: Any) -> None:
        _start(env, page)
        if page.get_attribute("html", "data-contrast") != "high":
            page.click(".k-contrast", timeout=3000)
        step(env, page)
    return run


def _suspended(env: Env, page: Any) -> Callable[[], object]:
    """An air-raid alert: the kiosk says why it issues nothing; the returned undo sounds the all clear."""
    run = services(env.db, env.clock).value
    run(suspension.suspend_office, ROOT, OFFICE, "air_raid")
    page.goto(f"{env.base}/kiosk")
    page.wait_for_selector("#suspended-panel:not([hidden])")
    return lambda: run(suspension.resume_office, ROOT, OFFICE)


def _desk(env: Env, page: Any) -> None:
    page.goto(f"{env.base}/desk")
    page.click("form[data-desk='1'] button[type=submit]")
    page.wait_for_url(f"{env.base}/desk/{OFFICE}/1")
    page.wait_for_selector("#cur-code", state="attached")


def _desk_called(env: Env, page: Any) -> None:
    _desk(env, page)
    page.click("#btn-next")
    page.wait_for_function("() => document.getElementById('cur-code').textContent.trim() !== ''")


STEPS: dict[str, Callable[[Env, Any], Any]] = {
    "menu": _start, "priority": _priority, "keypad": _keypad, "ticket": _ticket, "english": _english,
    "contrast-menu": _contrast(_start), "contrast-keypad": _contrast(_keypad), "contrast-ticket": _contrast(_ticket),
    "suspended": _suspended, "desk": _desk, "desk-called": _desk_called,
}


@pytest.fixture
def env(browser, live_server, db, clock, tmp_path):
    info = seed(db, clock, str(tmp_path))
    add_user(db, clock, "a11y", ["admin", "manager", "operator", "auditor"], [OFFICE], password=PASSWORD,
             full_name="Тест Доступності")
    ticket = requests.post(f"{live_server.url}/api/v1/kiosk/tickets", json={"service": "consult"}, timeout=10,
                           headers={"Authorization": f"Bearer {info['kiosk_token']}"}).json()
    record = services(db, clock).value(records.create_record, ROOT, OFFICE,
                                   {"surname": "Шевченко", "name": "Тарас", "kind": "complaint",
                                    "questions": ["Звернення щодо аліментів"],
                                    "received_by_name": "Оксана Коваленко"})
    info |= {"ticket": ticket["public_token"], "record": record["id"], "display": info["display_token"]}
    environment = Env(browser, live_server.url, info, db, clock)
    yield environment
    environment.close()


def test_every_page_has_no_serious_or_critical_violations(env: Env) -> None:
    blocking: list[str] = []
    print(f"\n{'page':34} {'size':>9}  critical serious moderate minor")
    for name, who, (width, height), target in PAGES:
        page = env.page(who)
        page.set_viewport_size({"width": width, "height": height})
        undo = None
        if target.startswith("step:"):
            try:
                undo = STEPS[target.removeprefix("step:")](env, page)
            except Exception as exc:  # noqa: BLE001  (the other pages are still checked; this one fails)
                blocking.append(f"{name}: could not be opened: {exc}")
                continue
        else:
            page.goto(env.base + target.format(**env.info))
            page.wait_for_load_state("load")
        page.wait_for_timeout(100)  # scripts render after load (menus, live state)
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(AXE)
        violations = page.evaluate(RUN_AXE)
        if callable(undo):
            undo()
        counts = {impact: sum(1 for v in violations if v["impact"] == impact)
                  for impact in ("critical", "serious", "moderate", "minor")}
        print(f"{name:34} {width:>4}×{height:<4}  {counts['critical']:>8} {counts['serious']:>7} "
              f"{counts['moderate']:>8} {counts['minor']:>5}")
        for v in violations:
            print(f"    {v['impact']:8} {v['id']}: {v['help']}")
            for node in v["nodes"]:
                print(f"        {node}")
            if v["impact"] in BLOCKING:
                blocking.append(f"{name}: {v['id']} ({v['impact']}) {v['nodes']}")
    assert not env.errors, env.errors
    assert not blocking, "\n".join(blocking)


# --- the low-vision kiosk mode -------------------------------------------------------------------

LAYOUT = """() => {
  const visible = (e) => e.offsetParent !== null || getComputedStyle(e).position === "fixed";
  const buttons = [...document.querySelectorAll("button")].filter(visible);
  return {
    contrast: document.documentElement.dataset.contrast,
    pressed: document.querySelector(".k-contrast").getAttribute("aria-pressed"),
    rem: parseFloat(getComputedStyle(document.documentElement).fontSize),
    lang: document.documentElement.lang,
    wide: document.documentElement.scrollWidth > innerWidth,
    small: buttons.filter((b) => { const r = b.getBoundingClientRect(); return r.width < 44 || r.height < 44; })
                  .map((b) => b.className),
    cut: [...document.querySelectorAll("button, h1, h2, p, dd, dt, .tile-name, .ticket-code")].filter(visible)
           .filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).textOverflow !== "ellipsis")
           .map((e) => e.className || e.id || e.tagName),
    button: (() => { const r = document.querySelector(".k-contrast").getBoundingClientRect();
                     return r.top >= 0 && r.bottom <= innerHeight && r.width >= 44 && r.height >= 44; })(),
  };
}"""


def _layout(page: Any) -> dict[str, Any]:
    return page.evaluate(LAYOUT)


def test_high_contrast_large_text_toggle_lasts_the_visit_and_resets_when_idle(
        browser, live_server, db, clock, tmp_path, screenshot_dir) -> None:
    info = seed(db, clock, str(tmp_path))
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="uk-UA", has_touch=True)
    page = context.new_page()
    env = Env(browser, live_server.url, info, db, clock)
    try:
        page.goto(f"{live_server.url}/kiosk?token={info['kiosk_token']}")
        _start(env, page)
        normal = _layout(page)
        assert (normal["contrast"], normal["pressed"]) == ("normal", "false")
        assert page.get_by_role("button", name="Великий шрифт і контраст", exact=True).count() == 1
        # On every screen: the button in sight, every target at least 44 px, no text cut, in both modes.
        for mode in ("normal", "high"):
            for name, step in (("start", _start), ("priority", _priority), ("keypad", _keypad),
                               ("ticket", _ticket)):
                step(env, page)
                layout = _layout(page)
                assert layout["contrast"] == mode, name
                assert layout["button"], (mode, name)
                assert not layout["wide"] and not layout["small"] and not layout["cut"], (mode, name, layout)
                page.wait_for_timeout(150)
                page.screenshot(path=str(screenshot_dir / f"kiosk-{mode}-{name}.png"))
            if mode == "normal":
                _start(env, page)
                page.click(".k-contrast")
        high = _layout(page)
        assert high["pressed"] == "true" and high["rem"] > normal["rem"] * 1.2  # a quarter larger text

        # Short idle timeouts from here on (read when the page loads).
        live_server.app.config["KIOSK_IDLE_S"] = {"ticket": 2, "other": 4, "warn": 1}
        page.goto(f"{live_server.url}/kiosk")
        page.wait_for_selector(".tile.service")
        page.click(".k-contrast")
        _ticket(env, page)
        # The ticket screen returns to the start by itself: the next visitor gets the normal screen.
        page.wait_for_function("() => document.documentElement.dataset.contrast === 'normal'", timeout=15000)
        assert page.is_visible("#screen-start") and _layout(page)["pressed"] == "false"

        # Within a visit it stays on, across screens and the language; only idleness ends it.
        page.click(".k-contrast")
        page.click(".k-lang")
        page.click('.tile[data-service="consult"]')
        page.click('[data-action="to-start"]')
        assert _layout(page)["contrast"] == "high"
        page.wait_for_function("() => document.documentElement.dataset.contrast === 'normal'", timeout=15000)
        assert _layout(page)["lang"] == "uk"

        # A kiosk set up to start in it (?contrast=high, kept by the browser) goes back to it when idle.
        page.goto(f"{live_server.url}/kiosk?contrast=high")
        page.wait_for_selector(".tile.service")
        page.goto(f"{live_server.url}/kiosk")
        page.wait_for_selector(".tile.service")
        assert _layout(page)["contrast"] == "high"
        page.click(".k-contrast")
        assert _layout(page)["contrast"] == "normal"
        page.wait_for_function("() => document.documentElement.dataset.contrast === 'high'", timeout=15000)
        page.goto(f"{live_server.url}/kiosk?contrast=normal")
        page.wait_for_selector(".tile.service")
        page.goto(f"{live_server.url}/kiosk")
        page.wait_for_selector(".tile.service")
        assert _layout(page)["contrast"] == "normal"
        refused = page.goto(f"{live_server.url}/kiosk?contrast=yes")
        assert refused is not None and refused.status == 400 and "high або normal" in page.inner_text("body")

        # The screen's own "more contrast" setting starts it too.
        page.emulate_media(contrast="more")
        page.goto(f"{live_server.url}/kiosk")
        page.wait_for_selector(".tile.service")
        assert _layout(page)["contrast"] == "high"
    finally:
        context.close()


def test_kiosk_at_twice_the_zoom_cuts_no_text(browser, live_server, db, clock, tmp_path,
                                              screenshot_dir) -> None:
    """200 % browser zoom on the 1080×1920 screen is a 540×960 CSS viewport at two device pixels."""
    info = seed(db, clock, str(tmp_path))
    context = browser.new_context(viewport={"width": 540, "height": 960}, device_scale_factor=2, locale="uk-UA",
                                  has_touch=True)
    page = context.new_page()
    env = Env(browser, live_server.url, info, db, clock)
    try:
        page.goto(f"{live_server.url}/kiosk?token={info['kiosk_token']}")
        for name, step in (("start", _start), ("priority", _priority), ("keypad", _keypad), ("ticket", _ticket)):
            step(env, page)
            layout = _layout(page)
            # (targets are measured in CSS pixels, which are twice as large here: not checked again)
            assert not layout["wide"] and not layout["cut"], (name, layout)
        page.screenshot(path=str(screenshot_dir / "kiosk-zoom200-ticket.png"))
    finally:
        context.close()

"""Every screen under the strict CSP in real Chromium: nothing the page needs is blocked (issue 11)."""

from __future__ import annotations

from tests.fakes import add_device, add_user
from tests.web.leadership.builders import add_leader, add_leadership

PASSWORD = "secret-pass-1"
STAFF_PAGES = ["/desk", "/backoffice/records", "/backoffice/records/new", "/backoffice/schedule",
               "/backoffice/booking", "/backoffice/reception/today", "/schedule"]


def _csp_violations(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or "Refused to" in m]


def test_no_screen_breaks_the_content_security_policy(live_server, browser, db, clock, office) -> None:
    add_leadership(db)
    add_leader(db, clock)
    add_user(db, clock, "root", ["admin", "operator"], ["T1"])
    kiosk, display = add_device(db, clock, "kiosk", "T1"), add_device(db, clock, "display", "T1")
    base = live_server.url
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(f"{page.url}: {msg.text}"))
    page.on("pageerror", lambda exc: messages.append(f"{page.url}: Refused to run: {exc}"))

    page.goto(f"{base}/login")
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/desk")
    for path in STAFF_PAGES:
        assert page.goto(f"{base}{path}").status == 200, path
    page.goto(f"{base}/desk")
    page.click("form[data-desk='1'] button[type=submit]")
    page.wait_for_url(f"{base}/desk/T1/1")
    page.wait_for_selector("#cur-code", state="attached")

    page.goto(f"{base}/kiosk?token={kiosk}")
    page.wait_for_selector("[data-service]", timeout=10000)  # the menu came through the API with the handed-over token
    assert page.evaluate("localStorage.getItem('kiosk-token')") == kiosk
    assert kiosk not in page.content()
    page.goto(f"{base}/display?token={display}")
    page.wait_for_function("() => window.__display && window.__display.state.version >= 0")
    assert display not in page.content()
    context.close()
    assert not _csp_violations(messages), "\n".join(messages)

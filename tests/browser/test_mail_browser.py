"""The e-mail intake's page in real Chromium at the call-centre's desk size (1366×768): the drafts and the
decision forms fit without sideways scrolling, the strict CSP holds (no inline style or script needed), and a
draft is accepted from the keyboard alone. Screenshots go to tests/artifacts for a person to look at."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import select

from reception.appeals.mail_models import InboundMail
from reception.appeals.mail_parse import ParsedAttachment
from tests.browser.test_leadership_flow import DESKTOP, PASSWORD
from tests.fakes import add_user
from tests.web.appeals.test_mail_drafts_api import add_draft


def _sign_in(page: Any, base: str, username: str, path: str) -> None:
    page.goto(f"{base}/login?next={quote(path)}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path.split('?')[0]}*")
    page.wait_for_load_state("load")


@pytest.mark.one_suite("sqlite")
def test_the_mail_page_at_desk_size(browser, live_server, db, clock, office, screenshot_dir) -> None:
    add_user(db, clock, "cc", ["call_centre"], ["T1"])
    first = add_draft(db, clock, attachments=(ParsedAttachment("заява-на-субсидію-жовтень-2026.pdf", "application/pdf",
                                                               123_456, None),), stored=(None,))
    for n in range(2, 9):
        add_draft(db, clock, message_id=f"<m{n}@example.org>")
    context = browser.new_context(viewport=DESKTOP, locale="uk-UA")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _sign_in(page, live_server.url, "cc", "/backoffice/mail")
    page.goto(f"{live_server.url}/backoffice/mail?id={first}")
    assert page.locator("h1").inner_text().startswith("Звернення електронною поштою")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    page.screenshot(path=str(screenshot_dir / "mail-drafts-1366.png"))

    # The keyboard alone: to the kind, choose, type the name, submit.
    page.focus("select[name=kind]")
    page.keyboard.press("ArrowDown")  # the first kind
    page.keyboard.press("Tab")
    page.keyboard.type("subsidies")
    page.keyboard.press("Tab")
    page.keyboard.type("Коваль")
    page.keyboard.press("Tab")
    page.keyboard.type("Олена")
    page.focus("form[action$='/accept'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/backoffice/mail?office=T1")
    page.get_by_text("Лист зареєстровано як звернення").wait_for()
    page.screenshot(path=str(screenshot_dir / "mail-drafts-accepted-1366.png"))
    with db.read() as s:
        assert s.scalar(select(InboundMail.status).where(InboundMail.id == first)) == "accepted"
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()

"""The office's messages page at desk size (1366×768) in real Chromium: every column on screen, no
sideways scrolling, a failed message's reason in Ukrainian (decision 037)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from reception.notifications.delivery import deliver_due
from reception.notifications.outbox import enqueue
from reception.offices.models import Office
from tests.browser.test_backoffice_screens import _page, _sign_in
from tests.browser.test_leadership_flow import DESKTOP
from tests.fakes import add_user

SHOTS = Path("/tmp/h1-shots")


@pytest.mark.one_suite("sqlite")
def test_messages_page_at_desk_size(browser: Any, live_server: Any, db: Any, clock: Any, office: str) -> None:
    with db.write() as s:
        office_id = s.scalar(select(Office.id).where(Office.code == "T1"))
        for n, (channel, address) in enumerate((("sms", "+380501234567"), ("email", "oleksandra.kovalenko@example.com"),
                                                ("viber", "01234567890A="), ("telegram", "555001"))):
            enqueue(s, at=clock.now(), key=f"k{n}", channel=channel, address=address, kind="booking_confirmed",
                    body="Запис підтверджено", office_id=office_id)
    deliver_due(db, clock, {})
    add_user(db, clock, "mgr", ["manager"], ["T1"])
    SHOTS.mkdir(exist_ok=True)
    page = _page(browser, DESKTOP)
    try:
        _sign_in(page, live_server.url, "mgr", "/backoffice/messages")
        assert page.locator(".bo-nav a[aria-current=page]").inner_text() == "Повідомлення"
        rows = page.locator(".ntf-table tbody tr")
        assert rows.count() == 4
        assert "o•••@example.com" in page.inner_text(".ntf-table")
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        reason = page.locator(".ntf-table tbody tr td:last-child").first
        box = reason.bounding_box()
        assert box is not None and box["x"] + box["width"] <= DESKTOP["width"]
        assert reason.inner_text() == "Канал не налаштовано на сервері"
        page.screenshot(path=str(SHOTS / "messages.png"), full_page=True)
    finally:
        page.context.close()

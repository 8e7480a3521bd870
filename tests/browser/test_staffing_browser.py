"""Real headless Chromium at the desk laptop's 1366×768: the manager opens the staffing page from the
navigation, picks a day, reads the plan beside today's desks and the chart; screenshot for review."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from reception.offices.models import Office
from reception.ops.demo import OFFICE, seed
from reception.queue import commands as queue
from tests.fakes import services

LAPTOP = {"width": 1366, "height": 768}
NO_SIDEWAYS = "(() => document.documentElement.scrollWidth <= innerWidth)()"


def kyiv(day: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 11, day, hh - 2, mm, tzinfo=UTC)


def test_the_manager_reads_the_staffing_plan(browser, live_server, db, clock, tmp_path, screenshot_dir) -> None:
    info = seed(db, clock, str(tmp_path))
    with db.write() as s:
        office = s.scalar(select(Office).where(Office.code == OFFICE))
        assert office is not None
        office.opening_hours = {str(d): [["09:00", "18:00"]] for d in range(1, 6)}
    run = services(db, clock)
    # Two past Tuesdays: a morning rush of consultations and documents, a quiet afternoon.
    for day in (10, 17):
        for hour, per_hour in ((9, 8), (10, 30), (11, 24), (12, 12), (14, 10), (16, 6)):
            for i in range(per_hour):
                clock.set(kyiv(day, hour, i * 60 // per_hour))
                run.value(queue.issue_ticket, office_code=OFFICE,
                          service_code="consult" if i % 3 else "documents")
    clock.set(kyiv(24, 11, 30))
    errors: list[str] = []
    page = browser.new_context(viewport=LAPTOP, locale="uk-UA").new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    base = live_server.url
    page.goto(f"{base}/login?next=/backoffice/reports")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", info["users"]["manager"])
    page.locator("main form button").first.click()
    page.wait_for_url("**/backoffice/reports**")
    page.click("nav >> text=Планування вікон")
    page.wait_for_url("**/backoffice/staffing**")
    assert "Скільки вікон потрібно" in page.inner_text("h1")
    page.select_option("select[name=target_pct]", "90")
    page.click("#staffing-form button[type=submit]")
    page.wait_for_selector("#staffing-chart svg rect")
    assert "24 листопада 2026" in page.inner_text("#staffing-day")
    assert "робочих днів цього дня тижня — 2" in page.inner_text("#staffing-day")
    hours = page.locator("#table-hours tbody tr")
    assert hours.count() == 9  # 09:00-18:00
    ten = page.inner_text("#hour-10")
    assert ten.startswith("10:00–11:00") and "бракує 4" in ten  # 30 an hour need 8 windows; 4 serve them
    assert page.locator("#staffing-chart .rp-legend li").all_inner_texts() == ["потрібно", "налаштовано", "працювало"]
    assert page.evaluate(NO_SIDEWAYS)
    page.screenshot(path=str(screenshot_dir / "staffing-1366x768.png"), full_page=False)
    page.screenshot(path=str(screenshot_dir / "staffing-1366x768-full.png"), full_page=True)
    assert errors == []

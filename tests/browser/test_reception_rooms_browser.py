"""The reception office at desk size (1366×768) as a new user met it: a manager sees only what the role may do,
and a leader's 200-character name wraps instead of widening the page. Screenshots go to tests/artifacts/."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from reception.leadership import schedule
from reception.leadership.models import LEADER_TEXT_MAX
from tests.browser.test_leadership_flow import reception_office, shot, signed_in  # noqa: F401  (fixture)
from tests.fakes import services
from tests.web.leadership.builders import MANAGER, add_rule

# A name as long as the schema allows, in long words (a select cannot break them).
LONG_NAME = ("Олександра-Вікторія Костянтинівна Старовойтенко-Задніпровська " * 4)[:LEADER_TEXT_MAX].strip()


@pytest.fixture
def long_named(db, clock, reception_office):  # type: ignore[no-untyped-def]  # noqa: F811
    leader = services(db, clock).value(schedule.create_leader, MANAGER, office="T1", name_uk=LONG_NAME,
                                       name_en=LONG_NAME, position_uk="Начальник " + "відділу " * 20,
                                       position_en="Head", user=None)
    add_rule(db, clock, leader["id"], weekday=2, start="14:00", end="16:00", slot_min=20,
             valid_from=date(2026, 11, 1))
    return leader


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width[0]} px wide in a {width[1]} px window"


def test_long_leader_names_wrap_at_desk_size(browser, live_server, long_named, screenshot_dir) -> None:  # type: ignore[no-untyped-def]
    manager = signed_in(browser, live_server, "mgr", "/backoffice/reception/today")
    for path, name in (("/backoffice/reception/today", "today"),
                       (f"/backoffice/reception/today?leader={long_named['id']}", "today-long"),
                       ("/backoffice/schedule", "schedule"), ("/backoffice/booking", "booking"),
                       ("/backoffice/records/new", "record-new"), ("/schedule", "public")):
        manager.goto(f"{live_server.url}{path}")
        manager.wait_for_load_state("load")
        assert "Старовойтенко" in manager.inner_text("body"), path
        _no_sideways_scroll(manager)
        shot(manager, screenshot_dir, f"long-name-{name}")
    manager.context.close()


def test_manager_is_not_offered_the_room(browser, live_server, reception_office, screenshot_dir) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    manager = signed_in(browser, live_server, "mgr", "/backoffice/reception/today")
    assert manager.locator('button[data-action="open"]').count() == 0
    assert "Ви переглядаєте прийом" in manager.inner_text("main")
    shot(manager, screenshot_dir, "today-manager-watch")
    manager.context.close()
    leader = signed_in(browser, live_server, "boss", "/backoffice/reception/today")
    assert leader.locator('button[data-action="open"]').count() == 1
    leader.context.close()

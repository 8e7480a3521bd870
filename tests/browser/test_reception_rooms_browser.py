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
def long_named(db, clock, reception_office):  # noqa: F811
    leader = services(db, clock).value(schedule.create_leader, MANAGER, office="T1", name_uk=LONG_NAME,
                                       name_en=LONG_NAME, position_uk="Начальник " + "відділу " * 20,
                                       position_en="Head", user=None)
    add_rule(db, clock, leader["id"], weekday=2, start="14:00", end="16:00", slot_min=20,
             valid_from=date(2026, 11, 1))
    return leader


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width[0]} px wide in a {width[1]} px window"


def test_long_leader_names_wrap_at_desk_size(browser, live_server, long_named, screenshot_dir) -> None:
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


def test_manager_is_not_offered_the_room(browser, live_server, reception_office, screenshot_dir) -> None:  # noqa: F811
    manager = signed_in(browser, live_server, "mgr", "/backoffice/reception/today")
    assert manager.locator('button[data-action="open"]').count() == 0
    assert "Ви переглядаєте прийом" in manager.inner_text("main")
    shot(manager, screenshot_dir, "today-manager-watch")
    manager.context.close()
    leader = signed_in(browser, live_server, "boss", "/backoffice/reception/today")
    assert leader.locator('button[data-action="open"]').count() == 1
    leader.context.close()


def test_schedule_page_refuses_a_double_booked_room(browser, live_server, db, clock, reception_office,  # noqa: F811
                                                    screenshot_dir) -> None:
    """The demo's mistake: Кабінет 412 on Mondays 16:00–20:00 for one leader, then 17:00–19:00 for another."""
    first = services(db, clock).value(schedule.create_leader, MANAGER, office="T1", name_uk="Ірина Коваль",
                                      name_en="Iryna Koval", position_uk="Директорка департаменту",
                                      position_en="Director", user=None)
    add_rule(db, clock, first["id"], weekday=1, start="16:00", end="20:00", slot_min=20, valid_from=date(2026, 11, 1))
    manager = signed_in(browser, live_server, "mgr", "/backoffice/schedule")
    section = manager.locator("section.bo-card", has=manager.locator("h2", has_text="Андрій Бондаренко"))
    section.locator("summary", has_text="Додати правило").click()
    form = section.locator("form[action$='/rules']")
    form.locator("select[name=weekday]").select_option("1")
    form.locator("input[name=start]").fill("17:00")
    form.locator("input[name=end]").fill("19:00")
    form.locator("input[name=valid_from]").fill("01.11.2026")  # dates read dd.mm.yyyy (decision 033)
    form.locator("button[type=submit]").click()
    manager.wait_for_selector(".flash-error")
    message = manager.inner_text(".flash-error")
    assert "уже зайняте: 30.11.2026 з 16:00 до 20:00 там приймає Ірина Коваль" in message, message
    assert "Збережено." not in manager.inner_text("main")
    _no_sideways_scroll(manager)
    shot(manager, screenshot_dir, "schedule-room-taken")
    manager.context.close()


def test_leader_does_not_call_the_next_leaders_visitor(browser, live_server, api, db, clock, reception_office,  # noqa: F811
                                                       screenshot_dir) -> None:
    """Андрій Бондаренко receives 11:00–13:00 (user "boss"); Ірина Коваль has the room 13:00–14:00; her visitor
    checks in at 12:26. His "Запросити наступного" says the queue is empty; his own visitor is called."""
    from tests.web.leadership.builders import set_settings

    set_settings(db, booking_cutoff_working_days=0)
    second = services(db, clock).value(schedule.create_leader, MANAGER, office="T1", name_uk="Ірина Коваль",
                                       name_en="Iryna Koval", position_uk="Директорка департаменту",
                                       position_en="Director", user=None)
    add_rule(db, clock, second["id"], weekday=2, start="13:00", end="14:00", slot_min=20, valid_from=date(2026, 11, 1))
    cc = api.user("cc2", ["call_centre"])
    codes = {}
    for leader_name in ("Андрій Бондаренко", "Ірина Коваль"):
        sessions = api.call("GET", "/reception-sessions?office=T1&from=2026-11-24&to=2026-11-24", cc).get_json()
        sid = next(s["id"] for s in sessions if s["leader_name_uk"] == leader_name)
        his = leader_name.startswith("А")  # his last slot, 12:40; her first, 13:00
        r = api.call("POST", f"/reception-sessions/{sid}/appointments", cc,
                     json={"visitor": {"surname": "Гончаренко" if his else "Мельник", "name": "Марія"},
                           "topic": "Питання", "slot": "2026-11-24T12:40:00+02:00" if his else None})
        assert r.status_code == 201, r.get_json()
        codes[leader_name] = r.get_json()["booking_code"]
    clock.advance(hours=2, minutes=26)  # 12:26
    kiosk = reception_office["kiosk"]
    hers = api.call("POST", "/kiosk/checkin", kiosk, json={"booking_code": codes["Ірина Коваль"]}).get_json()
    leader = signed_in(browser, live_server, "boss", "/backoffice/reception/today")
    leader.click('button[data-action="open"]')
    leader.wait_for_selector("#call-next")
    leader.wait_for_load_state("load")
    leader.click("#call-next")
    leader.wait_for_selector(".desk-status:not([hidden])")
    assert leader.inner_text(".desk-status") == "Ваших відвідувачів у черзі зараз немає."
    assert hers["code"] not in leader.inner_text("main")
    shot(leader, screenshot_dir, "today-not-her-visitor")
    mine = api.call("POST", "/kiosk/checkin", kiosk, json={"booking_code": codes["Андрій Бондаренко"]})
    assert mine.status_code in (200, 201), mine.get_json()
    leader.reload()
    leader.wait_for_selector("#call-next")
    leader.wait_for_load_state("load")
    leader.click("#call-next")
    leader.wait_for_selector("#current-visit")
    assert "Гончаренко" in leader.inner_text("#current-visit") and "Мельник" not in leader.inner_text("main")
    shot(leader, screenshot_dir, "today-own-visitor")
    leader.context.close()

"""The staffing plan through the contract: Erlang C for explicit inputs, and an office's day from its own
history (arrivals counted by hand below), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from reception.offices.models import Office
from reception.staffing import erlang


def kyiv(day: int, hh: int, mm: int = 0) -> datetime:
    """November 2026 in Kyiv (UTC+2)."""
    return datetime(2026, 11, day, hh - 2, mm, tzinfo=UTC)


def test_plan_answers_erlang_c(api: Any) -> None:
    boss = api.user("boss", ["manager"])
    r = api.call("POST", "/staffing/plan", boss, json={"arrivals_per_hour": 200, "service_min": 3,
                                                       "target_wait_min": 1 / 3, "target_pct": 80})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["desks"] == 14 and body["within_target_pct"] == pytest.approx(88.84, abs=0.01)
    assert body["expected_wait_min"] == pytest.approx(0.131, abs=1e-3)
    r = api.call("POST", "/staffing/plan", boss, json={"arrivals_per_hour": 0, "service_min": 10,
                                                       "target_wait_min": 15, "target_pct": 80})
    assert r.get_json() == {"desks": 0, "expected_wait_min": 0.0, "within_target_pct": 100.0}


@pytest.mark.parametrize(("body", "words"), [
    ({"arrivals_per_hour": -1, "service_min": 10, "target_wait_min": 15, "target_pct": 80}, "arrivals_per_hour"),
    ({"arrivals_per_hour": 10, "service_min": 0, "target_wait_min": 15, "target_pct": 80}, "service_min"),
    ({"arrivals_per_hour": 10, "service_min": 10, "target_wait_min": 15, "target_pct": 100}, "target_pct"),
    ({"arrivals_per_hour": 10, "service_min": 10, "target_wait_min": 15}, "target_pct"),
    ({"arrivals_per_hour": "10", "service_min": 10, "target_wait_min": 15, "target_pct": 80}, "arrivals_per_hour"),
    ({"arrivals_per_hour": 10000, "service_min": 480, "target_wait_min": 15, "target_pct": 80}, "вікон"),
])
def test_plan_refuses_bad_input_in_ukrainian(api: Any, body: dict[str, Any], words: str) -> None:
    boss = api.user("boss", ["manager"])
    r = api.call("POST", "/staffing/plan", boss, json=body)
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert words in r.get_json()["detail"]
    bad = api.call("POST", "/staffing/plan", boss, data="{", content_type="application/json")
    assert bad.status_code == 400


def test_plan_is_for_managers_and_auditors(api: Any) -> None:
    body = {"arrivals_per_hour": 10, "service_min": 10, "target_wait_min": 15, "target_pct": 80}
    assert api.call("POST", "/staffing/plan", api.user("aud", ["auditor"]), json=body).status_code == 200
    assert api.call("POST", "/staffing/plan", api.user("op", ["operator"]), json=body).status_code == 403
    assert api.call("POST", "/staffing/plan", None, json=body).status_code == 401


@pytest.fixture
def history(api: Any) -> dict[str, str]:
    """Two past Tuesdays and a Wednesday of tickets, one served visit of 8 minutes; today desk 1 open
    10:00-11:00 Kyiv with a 15-minute pause."""
    clock = api.clock
    kiosk, op = api.device("kiosk"), api.user("op", ["operator"])

    def take(service: str, at: datetime) -> int:
        clock.set(at)
        r = api.call("POST", "/kiosk/tickets", kiosk, json={"service": service})
        assert r.status_code == 201, r.get_json()
        return int(r.get_json()["id"])

    for minute in (5, 6, 7):
        take("consult", kyiv(10, 10, minute))
    take("appeal", kyiv(10, 11, 10))
    clock.set(kyiv(10, 11, 20))
    assert api.call("POST", "/desks/1/open", op).status_code == 200
    called = api.call("POST", "/desks/1/call-next", op).get_json()["id"]
    assert api.call("POST", f"/tickets/{called}/start", op).status_code == 200
    clock.set(kyiv(10, 11, 28))
    assert api.call("POST", f"/tickets/{called}/finish", op, json={}).status_code == 200
    assert api.call("POST", "/desks/1/close", op).status_code == 200
    take("consult", kyiv(17, 10, 20))
    for minute in range(5):
        take("consult", kyiv(18, 10, minute))  # a Wednesday: not a Tuesday's arrival
    clock.set(kyiv(24, 10, 0))
    assert api.call("POST", "/desks/1/open", op).status_code == 200
    clock.set(kyiv(24, 10, 30))
    assert api.call("POST", "/desks/1/pause", op, json={"reason": "перерва"}).status_code == 200
    clock.set(kyiv(24, 10, 45))
    assert api.call("POST", "/desks/1/resume", op).status_code == 200
    clock.set(kyiv(24, 11, 0))
    return {"boss": api.user("boss", ["manager"])}


def test_office_day_from_hand_counted_history(api: Any, history: dict[str, str]) -> None:
    r = api.call("GET", "/offices/T1/staffing?date=2026-11-24", history["boss"])
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["history"] == {"weeks": 8, "days": 2}  # 10 and 17 November
    services = {s["service"]: s for s in body["services"]}
    assert services["consult"]["service_min"] == 8.0 and services["consult"]["from_history"] is True
    assert services["appeal"]["service_min"] == 10.0 and services["appeal"]["from_history"] is False
    rows = {row["hour"]: row for row in body["by_hour"]}
    assert sorted(rows) == [10, 11]  # the office keeps no hours: the hours with history
    assert rows[10]["arrivals_expected"] == 2.0  # (3 + 1) consultations / 2 Tuesdays
    assert rows[11]["arrivals_expected"] == 0.5  # 1 appeal / 2 Tuesdays
    ten = erlang.plan(2.0, 8.0, 15, 80)
    assert rows[10]["desks_needed"] == ten.desks == 1
    assert rows[10]["expected_wait_min"] == pytest.approx(ten.expected_wait_min, abs=0.01)
    assert rows[10]["desks_planned"] == 2  # both windows serve consultations
    assert rows[10]["desks_open"] == 0.75  # open 10:00-11:00, paused 10:30-10:45
    assert rows[11]["desks_open"] == 0.0


def test_opening_hours_and_explicit_targets(api: Any, history: dict[str, str]) -> None:
    with api.db.write() as s:
        office = s.scalar(select(Office).where(Office.code == "T1"))
        assert office is not None
        office.opening_hours = {"2": [["09:00", "13:00"]]}
    body = api.call("GET", "/offices/T1/staffing?date=2026-12-01&target_pct=95&target_wait_min=0",
                    history["boss"]).get_json()
    rows = {row["hour"]: row for row in body["by_hour"]}
    assert sorted(rows) == [9, 10, 11, 12] and body["target_pct"] == 95.0
    assert rows[9]["arrivals_expected"] == 0 and rows[9]["desks_needed"] == 0 and rows[9]["desks_planned"] == 2
    assert rows[10]["desks_needed"] == erlang.plan(2.0, 8.0, 0, 95).desks
    assert rows[10]["desks_open"] is None  # a day still to come
    saturday = api.call("GET", "/offices/T1/staffing?date=2026-11-28", history["boss"]).get_json()
    assert saturday["by_hour"] == []


def test_office_staffing_refusals(api: Any) -> None:
    boss = api.user("boss", ["manager"])
    assert api.call("GET", "/offices/T1/staffing", api.user("op", ["operator"])).status_code == 403
    assert api.call("GET", "/offices/NOPE/staffing", boss).status_code == 404
    assert api.call("GET", "/offices/T1/staffing?date=24.13.2026", boss).status_code == 422
    r = api.call("GET", "/offices/T1/staffing?target_pct=100", boss)
    assert r.status_code == 422 and "target_pct" in r.get_json()["detail"]
    assert api.call("GET", "/offices/T1/staffing", boss).get_json()["date"] == "2026-11-24"

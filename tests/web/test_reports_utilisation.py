"""The report's additions (issue 26): staff utilisation, figures by priority and the previous period,
against events counted by hand; in the JSON, the CSV, the XLSX and the PDF."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook

from reception.reports.extras import desk_time, previous_period, serving_time


def kyiv(day: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 11, day, hh - 2, mm, tzinfo=UTC)


@pytest.fixture
def day(api: Any) -> dict[str, str]:
    """24 November, desk 1 (operator op):
    10:00 opened; 10:00 a regular consultation, 10:05 an elderly visitor's;
    10:10 calls the elderly visitor (waited 5), 10:12 starts, 10:20 finishes  -> serving 10 min;
    10:20 calls the regular visitor, 10:25 no-show                             -> serving 5 min;
    10:30 pause "обід", 11:00 resume                                          -> paused 30 (обід);
    11:10 pause "перерва", 11:20 close                                         -> paused 10 (перерва).
    Open 10:00-10:30 and 11:00-11:10 = 40 min; idle 40 - 15 = 25; utilisation 37.5 %.
    23 November: one regular ticket, cancelled (the previous day)."""
    clock = api.clock
    kiosk, op, boss = api.device("kiosk"), api.user("op", ["operator"]), api.user("boss", ["manager"])

    def at(hh: int, mm: int, d: int = 24) -> None:
        clock.set(kyiv(d, hh, mm))

    def ok(r: Any) -> Any:
        assert r.status_code in (200, 201), r.get_json()
        return r.get_json()

    at(15, 0, 23)
    gone = ok(api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}))["id"]
    ok(api.call("POST", f"/tickets/{gone}/cancel", boss, json={"reason": "пішов"}))
    at(10, 0)
    ok(api.call("POST", "/desks/1/open", op))
    ok(api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}))
    at(10, 5)
    ok(api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult", "priority": "elderly"}))
    at(10, 10)
    first = ok(api.call("POST", "/desks/1/call-next", op))["id"]
    at(10, 12)
    ok(api.call("POST", f"/tickets/{first}/start", op))
    at(10, 20)
    ok(api.call("POST", f"/tickets/{first}/finish", op, json={}))
    second = ok(api.call("POST", "/desks/1/call-next", op))["id"]
    at(10, 25)
    ok(api.call("POST", f"/tickets/{second}/no-show", op))
    at(10, 30)
    ok(api.call("POST", "/desks/1/pause", op, json={"reason": "обід"}))
    at(11, 0)
    ok(api.call("POST", "/desks/1/resume", op))
    at(11, 10)
    ok(api.call("POST", "/desks/1/pause", op, json={"reason": "перерва"}))
    at(11, 20)
    ok(api.call("POST", "/desks/1/close", op))
    at(12, 0)
    return {"boss": boss}


QUERY = "?office=T1&from=2026-11-24&to=2026-11-24"


def test_utilisation_from_hand_counted_events(api: Any, day: dict[str, str]) -> None:
    report = api.call("GET", f"/reports/summary{QUERY}", day["boss"]).get_json()
    (op,) = report["utilisation"]
    assert op == {"user": "op", "name": "op", "open_min": 40.0, "serving_min": 15.0, "idle_min": 25.0,
                  "paused_min": 40.0, "paused_by_reason": {"обід": 30.0, "перерва": 10.0}, "utilisation_pct": 37.5}


def test_figures_by_priority_and_the_previous_day(api: Any, day: dict[str, str]) -> None:
    report = api.call("GET", f"/reports/summary{QUERY}", day["boss"]).get_json()
    rows = {r["priority"]: r for r in report["by_priority"]}
    assert list(rows) == ["none", "elderly"]
    assert rows["none"]["name_uk"] == "Без пільги" and rows["elderly"]["name_uk"] == "Особа віком понад 75 років"
    assert (rows["none"]["issued"], rows["none"]["served"], rows["none"]["no_show"]) == (1, 0, 1)
    assert (rows["elderly"]["issued"], rows["elderly"]["served"], rows["elderly"]["wait_min"]) == (1, 1, 5.0)
    assert rows["elderly"]["service_min"] == 8.0  # started 10:12, finished 10:20
    previous = report["previous"]
    assert (previous["from"], previous["to"], previous["issued"]) == ("2026-11-23", "2026-11-23", 1)
    assert previous["cancelled"] == 1 and previous["delta"]["cancelled"] == -1
    assert previous["delta"]["issued"] == 1 and previous["delta"]["served"] == 1
    assert previous["wait_mean_min"] is None and previous["delta"]["wait_mean_min"] is None


def test_the_exports_carry_the_additions(api: Any, day: dict[str, str]) -> None:
    csv = api.call("GET", f"/reports/summary.csv{QUERY}", day["boss"]).get_data().decode("utf-8-sig")
    assert "Завантаженість працівників;;;op;Завантаженість, %;37,5" in csv
    assert "За пільговими категоріями;;;Особа віком понад 75 років;Обслуговано;1" in csv
    assert "Порівняння з періодом 23.11.2026 — 23.11.2026;;;Видано талонів;Попередній період;1" in csv
    book = load_workbook(io.BytesIO(api.call("GET", f"/reports/summary.xlsx{QUERY}", day["boss"]).get_data()))
    sheet = book["Завантаженість працівників"]
    assert [c.value for c in sheet[3]] == ["op", 40, 15, 25, 40, 37.5, "обід 30,0; перерва 10,0"]
    pdf = api.call("GET", f"/reports/summary.pdf{QUERY}", day["boss"]).get_data()
    assert pdf.startswith(b"%PDF-")


def test_desk_time_and_serving_are_clipped_to_the_period() -> None:
    start, end = kyiv(24, 10), kyiv(24, 11)
    before = {1: ("opened", 7, None)}  # open since the night before
    events = [(1, "paused", kyiv(24, 10, 40), 7, "обід"), (1, "resumed", kyiv(24, 12), 7, None)]
    got = desk_time(events, start, end, before)
    assert got[7]["open"] == 40 * 60 and dict(got[7]["paused"]) == {"обід": 20 * 60}
    calls = [(5, "called", kyiv(24, 9, 50), 7), (5, "finished", kyiv(24, 10, 5), 7),
             (6, "called", kyiv(24, 10, 55), 7)]  # still at the desk at the end
    assert serving_time(calls, start, end) == {7: 5 * 60 + 5 * 60}


@pytest.mark.parametrize(("period", "expected"), [
    ((date(2026, 11, 1), date(2026, 11, 30)), (date(2025, 11, 1), date(2025, 11, 30))),  # a month: a year back
    ((date(2024, 3, 1), date(2024, 3, 31)), (date(2023, 3, 1), date(2023, 3, 31))),
    ((date(2026, 11, 16), date(2026, 11, 22)), (date(2026, 11, 9), date(2026, 11, 15))),  # a week: the one before
    ((date(2026, 11, 1), date(2026, 11, 24)), (date(2026, 10, 8), date(2026, 10, 31))),  # part of a month
])
def test_the_period_compared_with(period: tuple[date, date], expected: tuple[date, date]) -> None:
    assert previous_period(*period) == expected


def test_a_desk_open_across_months_counts_whole(api: Any) -> None:
    """Read a month at a time, a desk open from 31 October 23:00 to 1 November 01:00 (Kyiv) is two hours."""
    op, boss = api.user("op", ["operator"]), api.user("boss", ["manager"])
    api.clock.set(datetime(2026, 10, 31, 21, 0, tzinfo=UTC))  # 23:00 Kyiv (UTC+2)
    assert api.call("POST", "/desks/1/open", op).status_code == 200
    api.clock.set(datetime(2026, 10, 31, 23, 0, tzinfo=UTC))
    assert api.call("POST", "/desks/1/close", op).status_code == 200
    api.clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    report = api.call("GET", "/reports/summary?office=T1&from=2026-10-01&to=2026-11-24", boss).get_json()
    (row,) = report["utilisation"]
    assert (row["open_min"], row["serving_min"], row["idle_min"], row["utilisation_pct"]) == (120.0, 0.0, 120.0, 0.0)


def test_a_period_over_a_quarter_leaves_the_replayed_figures_out(api: Any, day: dict[str, str]) -> None:
    """Utilisation and the priority figures replay the event logs (no roll-up): up to 92 days only."""
    quarter = api.call("GET", "/reports/summary?office=T1&from=2026-08-25&to=2026-11-24", day["boss"]).get_json()
    assert quarter["utilisation"][0]["serving_min"] == 15.0 and quarter["by_priority"]
    longer = api.call("GET", "/reports/summary?office=T1&from=2026-08-24&to=2026-11-24", day["boss"]).get_json()
    assert longer["utilisation"] is None and longer["by_priority"] is None
    assert longer["totals"]["issued"] == 3 and longer["previous"]["from"] == "2026-05-23"
    csv = api.call("GET", "/reports/summary.csv?office=T1&from=2026-08-24&to=2026-11-24",
                   day["boss"]).get_data().decode("utf-8-sig")
    assert "Завантаженість працівників" not in csv and "Порівняння з періодом" in csv

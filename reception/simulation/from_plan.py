"""A staffing plan (``reception.staffing.history.office_staffing``) as simulator scenarios: the day as a whole,
with desks opening and closing, for the plan and for the office's desks as set up today.

``reception staffing simulate --office CODE --date YYYY-MM-DD`` runs both and prints the simulated wait per
hour beside Erlang C's: the steady-state formula per hour, the simulator for the day (a morning queue
carried into the afternoon, desks opening late). The scenarios are what a scenario file would say
(``scenario_file.parse``), so ``--write`` gives a file to edit and run with ``reception simulate``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from reception.simulation.run import DayResult
from reception.simulation.scenarios import Scenario

STAFFING = ("plan", "today")


def scenario_data(plan: dict[str, Any], prefixes: dict[str, str], desks: Sequence[tuple[str, Sequence[str]]],
                  staffing: str) -> dict[str, Any] | None:
    """The scenario file's structure for one office day (None when the day has no hours to simulate).

    ``staffing``: ``plan`` — desk k (serving every service) works the hours that need at least k desks,
    from the first such hour to the last; ``today`` — the office's desks (code, services) all day.
    Visits are exponential with each service's mean (Erlang C's own assumption); nobody walks to the desk,
    nobody misses a call, nobody has priority, so the two answers differ by the day's shape alone."""
    rows = plan["by_hour"]
    if not rows:
        return None
    first, last = rows[0]["hour"], rows[-1]["hour"]
    means = {s["service"]: s["service_min"] for s in plan["services"]}
    rates: dict[str, dict[int, float]] = defaultdict(dict)
    for row in rows:
        for s in row["by_service"]:
            rates[s["service"]][row["hour"]] = s["arrivals_expected"]
    services = []
    for code, mean in means.items():
        # A step per hour: the curve is linear between points, so each hour gets a point at :00 and :59.
        points = [[f"{h:02d}:{m:02d}", rates[code].get(h, 0.0)] for h in range(first, last + 1) for m in (0, 59)]
        services.append({"code": code, "prefix": prefixes.get(code, code[:1].upper()), "default_min": mean,
                         "service_time": {"distribution": "exponential", "mean_min": mean}, "arrivals": points})
    closes = f"{last + 1:02d}:00" if last < 23 else "24:00"
    if staffing == "plan":
        desk_rows = []
        for k in range(1, max(r["desks_needed"] for r in rows) + 1):
            hours = [r["hour"] for r in rows if r["desks_needed"] >= k]
            desk = {"code": f"P{k}", "services": list(means), "opens": f"{hours[0]:02d}:00"}
            if hours[-1] < last:
                desk["closes"] = f"{hours[-1] + 1:02d}:00"
            desk_rows.append(desk)
    else:
        desk_rows = [{"code": code, "services": [s for s in served if s in means]}
                     for code, served in desks if any(s in means for s in served)]
    if not desk_rows:
        return None
    return {"name": f"{plan['office']}-{plan['date']}-{staffing}", "date": plan["date"],
            "opens": f"{first:02d}:00", "closes": closes, "no_show_share": 0, "walk_min": [0, 0],
            "break_jitter_min": 0, "priority": {"share": 0}, "services": services, "desks": desk_rows}


def waits_by_hour(day: DayResult, scenario: Scenario) -> dict[int, dict[str, float | int | None]]:
    """Per office-local hour of arrival: visitors, mean simulated wait of those called, and those never called."""
    from reception.offices.rules import to_local
    from reception.simulation.office import TZ

    out: dict[int, dict[str, Any]] = defaultdict(lambda: {"visitors": 0, "waits": [], "not_called": 0})
    for t in day.tickets:
        hour = to_local(t.issued_at, TZ).hour
        out[hour]["visitors"] += 1
        if t.wait_min is None:
            out[hour]["not_called"] += 1
        else:
            out[hour]["waits"].append(t.wait_min)
    return {h: {"visitors": v["visitors"], "not_called": v["not_called"],
                "wait_min": round(sum(v["waits"]) / len(v["waits"]), 1) if v["waits"] else None}
            for h, v in sorted(out.items())}


def day_of(plan: dict[str, Any]) -> date:
    return date.fromisoformat(plan["date"])

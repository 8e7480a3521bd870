"""The staffing plan: ``POST /staffing/plan`` (Erlang C for explicit inputs) and an office's day
(``GET /offices/{code}/staffing``) from its own history (``reception.staffing``, decision 041)."""

from __future__ import annotations

from datetime import date

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from reception.http.api import bp
from reception.http.api.registry import Param, api_route, parse_body
from reception.http.api.schemas.staffing import PlanIn
from reception.http.callers import acting
from reception.http.wiring import wiring
from reception.kernel.bounds import parse_date
from reception.kernel.errors import ValidationFailed
from reception.kernel.permissions import Action
from reception.offices.lookups import office_by_code
from reception.offices.rules import office_day
from reception.staffing import erlang
from reception.staffing.history import DEFAULT_TARGET_PCT, DEFAULT_WEEKS, MAX_WEEKS, office_staffing

BOUNDS = {"target_pct": (1, 99), "target_wait_min": (0, 480), "weeks": (1, MAX_WEEKS)}
PARAMS = (
    Param("date", "query", date, False, "the office-local day to plan, YYYY-MM-DD (default: today)"),
    Param("target_pct", "query", int, False, "share of visitors called within the target wait, % (default 80)",
          schema={"minimum": 1, "maximum": 99}),
    Param("target_wait_min", "query", int, False, "the target wait for every service, minutes "
          "(default: each service's own)", schema={"minimum": 0, "maximum": 480}),
    Param("weeks", "query", int, False, f"weeks of history (default {DEFAULT_WEEKS})",
          schema={"minimum": 1, "maximum": MAX_WEEKS}),
)


@api_route(bp, "POST", "/staffing/plan", summary="Desks needed for a steady stream of visitors (Erlang C)",
           tag="staffing", action=Action.STAFFING_READ, body=PlanIn,
           responses={200: "PlanOut", 401: None, 403: None, 422: None})
def staffing_plan() -> ResponseReturnValue:
    acting()
    body = parse_body(PlanIn)
    try:
        plan = erlang.plan(body.arrivals_per_hour, body.service_min, body.target_wait_min, body.target_pct)
    except erlang.PlanError as exc:
        raise ValidationFailed("error.staffing_unreachable", limit=erlang.MAX_DESKS) from exc
    return jsonify(plan.as_dict())


def _bounded(name: str) -> int | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    low, high = BOUNDS[name]
    try:
        number = float(raw)  # "60.0" is a whole number too (JSON Schema's integer)
        value = int(number) if number.is_integer() else low - 1
    except (ValueError, OverflowError):
        value = low - 1
    if not low <= value <= high:
        raise ValidationFailed("error.staffing_bound", field=name, low=low, high=high)
    return value


@api_route(bp, "GET", "/offices/{code}/staffing", summary="The office's staffing plan for a day, hour by hour",
           tag="staffing", action=Action.STAFFING_READ, params=PARAMS,
           responses={200: "StaffingOut", 401: None, 403: None, 404: None, 422: None})
def office_staffing_plan(code: str) -> ResponseReturnValue:
    actor = acting()
    w = wiring()
    target_pct, target_wait, weeks = (_bounded(n) for n in ("target_pct", "target_wait_min", "weeks"))
    now = w.clock.now()
    with w.db.read() as s:
        office = office_by_code(s, code)
        actor.require_office(office.id)
        day = parse_date(request.args.get("date"), "date", exact=True) or office_day(now, office.timezone)
        return jsonify(office_staffing(s, office, day, now,
                                       target_pct=float(target_pct) if target_pct else DEFAULT_TARGET_PCT,
                                       target_wait_min=float(target_wait) if target_wait is not None else None,
                                       weeks=weeks or DEFAULT_WEEKS))

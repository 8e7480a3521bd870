"""An office's open alerts (``GET /offices/{code}/alerts``): what its managers see on the hall view."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from reception.alerts.evaluate import alerts_view
from reception.http.api import bp
from reception.http.api.registry import api_route
from reception.http.callers import acting
from reception.http.wiring import wiring
from reception.kernel.permissions import Action, authorize
from reception.offices.lookups import office_by_code


@api_route(bp, "GET", "/offices/{code}/alerts", summary="The office's open alerts, oldest first",
           tag="hall", action=Action.HALL_READ, responses={200: "AlertOut[]", 401: None, 403: None, 404: None})
def office_alerts(code: str) -> ResponseReturnValue:
    actor = acting()
    authorize(actor, Action.HALL_READ)
    with wiring().db.read() as s:
        office = office_by_code(s, code)
        actor.require_office(office.id)
        return jsonify(alerts_view(s, office))

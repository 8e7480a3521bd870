"""The manager's hall view as JSON (``GET /offices/{code}/hall``): the read model the page refetches."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from reception.hall.view import read_hall
from reception.http.api import bp
from reception.http.api.registry import api_route
from reception.http.callers import acting
from reception.http.wiring import wiring
from reception.kernel.permissions import Action


@api_route(bp, "GET", "/offices/{code}/hall", summary="The manager's live hall view of one office",
           tag="hall", action=Action.HALL_READ, responses={200: "HallOut", 401: None, 403: None, 404: None})
def office_hall(code: str) -> ResponseReturnValue:
    actor = acting()
    w = wiring()
    return jsonify(read_hall(w.db, w.clock.now(), actor, code, w.printer_probe))

"""Staff view of an office's kiosks and displays: heartbeat, last print outcome, printer state."""

from __future__ import annotations

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from reception.devices.status import device_statuses, probe_from_factory
from reception.http.api import bp
from reception.http.api.registry import Param, api_route
from reception.http.callers import acting
from reception.http.wiring import wiring
from reception.kernel.permissions import Action
from reception.offices.lookups import office_by_code

LIVE = Param("live", "query", str, False, "1 (default): ask each printer now; 0: stored data only", ("0", "1"))


@api_route(bp, "GET", "/offices/{code}/devices", summary="Kiosks and displays with their printers' state",
           tag="devices", action=Action.QUEUE_READ, params=(LIVE,), responses={200: "DeviceStatus[]", 401: None, 403: None, 404: None})
def office_devices(code: str) -> ResponseReturnValue:
    actor = acting()
    w = wiring()
    probe = probe_from_factory(w.printer_factory) if request.args.get("live", "1") != "0" else None
    with w.db.read() as s:
        office = office_by_code(s, code)
        actor.require_office(office.id)
        return jsonify(device_statuses(s, office, w.clock.now(), probe=probe))

"""An office's suspension: ``POST /offices/{code}/suspend`` and ``/resume`` (manager of the office).

While suspended, kiosks answer 503 ``office_suspended`` and desks 409 (``reception.queue.commands``);
displays, desks and phones learn it live (``reception.http.realtime``).
"""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from reception.http.api import bp
from reception.http.api.registry import api_route, parse_body
from reception.http.api.schemas.suspension import ResumeIn, SuspendIn
from reception.http.callers import acting
from reception.http.wiring import wiring
from reception.kernel.permissions import Action
from reception.offices.lookups import office_by_code
from reception.offices.suspension import (
    office_state,
    resume_office,
    suspend_office,
)

RESPONSES: dict[int, str | None] = {200: "OfficeState", 401: None, 403: None, 404: None, 409: None, 422: None}


@api_route(bp, "POST", "/offices/{code}/suspend", summary="Suspend the office (air-raid alert, blackout)",
           tag="admin", action=Action.OFFICE_SUSPEND, body=SuspendIn, responses=RESPONSES)
def suspend(code: str) -> ResponseReturnValue:
    actor = acting()
    body = parse_body(SuspendIn)
    return jsonify(wiring().services.value(suspend_office, actor, code, body.reason, body.note).as_dict())


@api_route(bp, "POST", "/offices/{code}/resume", summary="Resume the office now or in after_min minutes",
           tag="admin", action=Action.OFFICE_SUSPEND, body=ResumeIn, responses=RESPONSES)
def resume(code: str) -> ResponseReturnValue:
    actor = acting()
    body = parse_body(ResumeIn)
    state = wiring().services.value(resume_office, actor, code, after_min=body.after_min, all_clear=body.all_clear)
    return jsonify(state.as_dict())


@api_route(bp, "GET", "/offices/{code}/suspension", summary="The office's state: suspended or working",
           tag="admin", action=Action.QUEUE_READ, responses={200: "OfficeState", 401: None, 403: None, 404: None})
def state(code: str) -> ResponseReturnValue:
    actor = acting()
    w = wiring()
    with w.db.read() as s:
        office = office_by_code(s, code)
        actor.require_office(office.id)
        return jsonify(office_state(s, office, w.clock.now()).as_dict())

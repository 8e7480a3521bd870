"""Desk actions: open, close, pause, resume, call next, call a specific ticket."""

from __future__ import annotations

from flask import Response, jsonify
from flask.typing import ResponseReturnValue

from reception.http.api import bp
from reception.http.api.registry import Param, api_route, parse_body
from reception.http.api.schemas.queue import CallSpecificIn, PauseIn
from reception.http.callers import acting
from reception.http.wiring import wiring
from reception.kernel.permissions import Action
from reception.leadership.room import own_session_only
from reception.queue import commands as queue

OFFICE = Param("office", "query", str, False, "office code, when the desk code exists in several offices")
DESK_RESPONSES = {200: "DeskState", 401: None, 403: None, 404: None, 409: None}


def _office_param() -> str | None:
    from flask import request

    return request.args.get("office") or None


def _desk_action(action, code: str) -> ResponseReturnValue:
    actor = acting()
    return jsonify(wiring().services.value(action, actor, code, office_code=_office_param()))


@api_route(bp, "POST", "/desks/{code}/open", summary="Open the desk and bind the caller to it", tag="desk",
           action=Action.DESK_OPERATE, params=(OFFICE,), responses=DESK_RESPONSES)
def open_desk(code: str) -> ResponseReturnValue:
    return _desk_action(queue.open_desk, code)


@api_route(bp, "POST", "/desks/{code}/close", summary="Close the desk", tag="desk", action=Action.DESK_OPERATE,
           params=(OFFICE,), responses=DESK_RESPONSES)
def close_desk(code: str) -> ResponseReturnValue:
    return _desk_action(queue.close_desk, code)


@api_route(bp, "POST", "/desks/{code}/resume", summary="Resume after a pause", tag="desk",
           action=Action.DESK_OPERATE, params=(OFFICE,), responses=DESK_RESPONSES)
def resume_desk(code: str) -> ResponseReturnValue:
    return _desk_action(queue.resume_desk, code)


@api_route(bp, "POST", "/desks/{code}/pause", summary="Pause the desk with a reason (409 break_visitor_at_desk while a visitor is called or served there)",
           tag="desk",
           action=Action.DESK_OPERATE, params=(OFFICE,), body=PauseIn, responses=DESK_RESPONSES | {422: None})
def pause_desk(code: str) -> ResponseReturnValue:
    actor = acting()
    body = parse_body(PauseIn)
    return jsonify(wiring().services.value(queue.pause_desk, actor, code, body.reason, office_code=_office_param()))


@api_route(bp, "POST", "/desks/{code}/call-next", summary="Call the next visitor (204 when nobody waits)",
           tag="desk", action=Action.TICKET_CALL_NEXT, params=(OFFICE,),
           responses={200: "Ticket", 204: None, 401: None, 403: None, 404: None, 409: None})
def call_next(code: str) -> ResponseReturnValue:
    actor = acting()
    result = wiring().services.value(queue.call_next, actor, code, office_code=_office_param(),
                                     keep=own_session_only)  # a reception room: the caller's session (031)
    if result.ticket is None:
        return Response(status=204)
    return jsonify(result.ticket)


@api_route(bp, "POST", "/desks/{code}/call", summary="Call a specific waiting ticket out of order (if allowed)",
           tag="desk", action=Action.TICKET_CALL, params=(OFFICE,), body=CallSpecificIn,
           responses={200: "Ticket", 401: None, 403: None, 404: None, 409: None, 422: None})
def call_specific(code: str) -> ResponseReturnValue:
    actor = acting()
    body = parse_body(CallSpecificIn)
    result = wiring().services.value(queue.call_specific, actor, code, body.ticket_id, body.reason,
                                     office_code=_office_param())
    return jsonify(result.ticket)

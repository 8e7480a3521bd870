"""The journal of appeals (decision 042): the call screen's reads and its draft. Appeals themselves are
registered and listed through ``/records`` (``form``, ``overdue``)."""

from __future__ import annotations

from flask import Response, jsonify
from flask.typing import ResponseReturnValue

from reception.appeals import journal
from reception.http.api import bp
from reception.http.api.registry import FILLED, PHONE_QUERY, Param, api_route, parse_body
from reception.http.api.routes_leadership import arg
from reception.http.api.schemas.appeals import DraftIn, TopicsIn
from reception.http.callers import acting
from reception.http.wiring import wiring
from reception.kernel.errors import ValidationFailed
from reception.kernel.permissions import Action
from reception.leadership import topics

OFFICE = Param("office", "query", str, True, "office code", schema=FILLED)


def _office() -> str:
    code = arg("office")
    if not code:
        raise ValidationFailed("error.field_required", field="office")
    return code


@api_route(bp, "GET", "/appeals/caller", summary="The caller's earlier appeals, found by phone however written (logged)",
           tag="appeals", action=Action.APPEAL_REGISTER,
           params=(OFFICE, Param("phone", "query", str, True, "any written form", schema=PHONE_QUERY)),
           responses={200: "CallerOut", 401: None, 403: None, 404: None, 422: None})
def appeal_caller() -> ResponseReturnValue:
    actor = acting()
    phone = arg("phone")
    if not phone:
        raise ValidationFailed("error.field_required", field="phone")
    return jsonify(wiring().services.value(journal.caller, actor, _office(), phone))


@api_route(bp, "GET", "/appeals/topics", summary="The office's list of appeal topics", tag="appeals",
           action=Action.APPEAL_REGISTER, params=(OFFICE,),
           responses={200: "TopicOut[]", 401: None, 403: None, 404: None})
def appeal_topics() -> ResponseReturnValue:
    actor = acting()
    with wiring().db.read() as s:
        return jsonify(topics.list_topics(s, actor, _office()))


@api_route(bp, "PUT", "/appeals/topics", summary="Replace the office's list of appeal topics (codes in use stay)",
           tag="appeals", action=Action.OFFICE_ADMIN, params=(OFFICE,), body=TopicsIn,
           responses={200: "TopicOut[]", 401: None, 403: None, 404: None, 422: None})
def put_appeal_topics() -> ResponseReturnValue:
    actor = acting()
    body = parse_body(TopicsIn)
    return jsonify(wiring().services.value(topics.set_topics, actor, _office(),
                                           [t.model_dump() for t in body.topics]))


@api_route(bp, "GET", "/appeals/executors", summary="Staff who may be an appeal's executor", tag="appeals",
           action=Action.APPEAL_REGISTER, params=(OFFICE,),
           responses={200: "ExecutorOut[]", 401: None, 403: None, 404: None})
def appeal_executors() -> ResponseReturnValue:
    actor = acting()
    with wiring().db.read() as s:
        return jsonify(journal.executors(s, actor, _office()))


@api_route(bp, "GET", "/appeals/draft", summary="The operator's unsaved call", tag="appeals",
           action=Action.APPEAL_REGISTER, responses={200: "DraftOut", 401: None, 403: None})
def get_appeal_draft() -> ResponseReturnValue:
    actor = acting()
    with wiring().db.read() as s:
        return jsonify(journal.get_draft(s, actor))


@api_route(bp, "PUT", "/appeals/draft", summary="Keep the operator's unsaved call (replaces the last)", tag="appeals",
           action=Action.APPEAL_REGISTER, body=DraftIn,
           responses={200: "DraftOut", 401: None, 403: None, 404: None, 422: None})
def put_appeal_draft() -> ResponseReturnValue:
    actor = acting()
    body = parse_body(DraftIn)
    return jsonify(wiring().services.value(journal.save_draft, actor, body.office, body.data.model_dump()))


@api_route(bp, "DELETE", "/appeals/draft", summary="Forget the operator's unsaved call", tag="appeals",
           action=Action.APPEAL_REGISTER, responses={204: None, 401: None, 403: None})
def delete_appeal_draft() -> ResponseReturnValue:
    actor = acting()
    wiring().services.value(journal.clear_draft, actor)
    return Response(status=204)

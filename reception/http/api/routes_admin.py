"""Offices, services and desks (admin / manager): created by the administration commands (validated,
audited, the office's clients hinted), answered in the list's shape."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from reception.http.api import bp
from reception.http.api.registry import api_route, parse_body
from reception.http.api.schemas.offices import DeskIn, OfficeIn, ServiceIn
from reception.http.callers import acting
from reception.http.wiring import wiring
from reception.kernel.permissions import Action
from reception.offices import administration as office_admin
from reception.offices import setup as admin


@api_route(bp, "GET", "/offices", summary="List offices", tag="admin", action=Action.OFFICES_ADMIN,
           responses={200: "OfficeOut[]", 401: None, 403: None})
def list_offices() -> ResponseReturnValue:
    actor = acting()
    return jsonify(admin.list_offices(wiring().db, actor))


@api_route(bp, "POST", "/offices", summary="Create an office", tag="admin", action=Action.OFFICES_ADMIN, body=OfficeIn,
           responses={201: "OfficeOut", 401: None, 403: None, 409: None, 422: None})
def create_office() -> ResponseReturnValue:
    actor = acting()
    body = parse_body(OfficeIn)
    data = body.model_dump()
    data["opening_hours"] = {k: [list(i) for i in v] for k, v in (body.opening_hours or {}).items()}
    made = wiring().services.value(office_admin.create_office, actor, **data)
    return jsonify(admin.one_office(wiring().db, made)), 201


@api_route(bp, "GET", "/offices/{code}/services", summary="List an office's services", tag="admin",
           action=Action.OFFICE_ADMIN, responses={200: "ServiceOut[]", 401: None, 403: None, 404: None})
def list_services(code: str) -> ResponseReturnValue:
    actor = acting()
    return jsonify(admin.list_services(wiring().db, actor, code))


@api_route(bp, "POST", "/offices/{code}/services", summary="Create a service", tag="admin", action=Action.OFFICE_ADMIN,
           body=ServiceIn, responses={201: "ServiceOut", 401: None, 403: None, 404: None, 409: None, 422: None})
def create_service(code: str) -> ResponseReturnValue:
    actor = acting()
    body = parse_body(ServiceIn)
    made = wiring().services.value(office_admin.create_service, actor, code, **body.model_dump())
    return jsonify(admin.one_service(wiring().db, code, made)), 201


@api_route(bp, "GET", "/offices/{code}/desks", summary="List an office's desks", tag="admin", action=Action.OFFICE_ADMIN,
           responses={200: "DeskOut[]", 401: None, 403: None, 404: None})
def list_desks(code: str) -> ResponseReturnValue:
    actor = acting()
    return jsonify(admin.list_desks(wiring().db, actor, code))


@api_route(bp, "POST", "/offices/{code}/desks", summary="Create a desk", tag="admin", action=Action.OFFICE_ADMIN,
           body=DeskIn, responses={201: "DeskOut", 401: None, 403: None, 404: None, 409: None, 422: None})
def create_desk(code: str) -> ResponseReturnValue:
    actor = acting()
    body = parse_body(DeskIn)
    made = wiring().services.value(office_admin.create_desk, actor, code, **body.model_dump())
    return jsonify(admin.one_desk(wiring().db, code, made)), 201

"""Offices, services and desks (admin / manager)."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from .. import admin
from ..web import require_actor, wiring
from . import bp
from .registry import api_route, parse_body
from .schemas import DeskIn, OfficeIn, ServiceIn

MANAGERS = ("manager",)  # admin implies manager


@api_route(bp, "GET", "/offices", summary="List offices", tag="admin", who="admin",
           responses={200: "OfficeOut[]", 401: None, 403: None})
def list_offices() -> ResponseReturnValue:
    actor = require_actor(("admin",))
    return jsonify(admin.list_offices(wiring().db, actor))


@api_route(bp, "POST", "/offices", summary="Create an office", tag="admin", who="admin", body=OfficeIn,
           responses={201: "OfficeOut", 401: None, 403: None, 409: None, 422: None})
def create_office() -> ResponseReturnValue:
    require_actor(("admin",))
    body = parse_body(OfficeIn)
    data = body.model_dump()
    data["opening_hours"] = {k: [list(i) for i in v] for k, v in (body.opening_hours or {}).items()}
    return jsonify(admin.create_office(wiring().db, **data)), 201


@api_route(bp, "GET", "/offices/{code}/services", summary="List an office's services", tag="admin",
           who="manager", responses={200: "ServiceOut[]", 401: None, 403: None, 404: None})
def list_services(code: str) -> ResponseReturnValue:
    actor = require_actor(MANAGERS)
    return jsonify(admin.list_services(wiring().db, actor, code))


@api_route(bp, "POST", "/offices/{code}/services", summary="Create a service", tag="admin", who="manager",
           body=ServiceIn, responses={201: "ServiceOut", 401: None, 403: None, 404: None, 409: None, 422: None})
def create_service(code: str) -> ResponseReturnValue:
    actor = require_actor(MANAGERS)
    body = parse_body(ServiceIn)
    return jsonify(admin.create_service(wiring().db, actor, code, **body.model_dump())), 201


@api_route(bp, "GET", "/offices/{code}/desks", summary="List an office's desks", tag="admin", who="manager",
           responses={200: "DeskOut[]", 401: None, 403: None, 404: None})
def list_desks(code: str) -> ResponseReturnValue:
    actor = require_actor(MANAGERS)
    return jsonify(admin.list_desks(wiring().db, actor, code))


@api_route(bp, "POST", "/offices/{code}/desks", summary="Create a desk", tag="admin", who="manager",
           body=DeskIn, responses={201: "DeskOut", 401: None, 403: None, 404: None, 409: None, 422: None})
def create_desk(code: str) -> ResponseReturnValue:
    actor = require_actor(MANAGERS)
    body = parse_body(DeskIn)
    return jsonify(admin.create_desk(wiring().db, actor, code, **body.model_dump())), 201

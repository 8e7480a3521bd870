"""GET /openapi.json: the contract, generated from the route registry and pydantic models."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue
from pydantic import BaseModel

from ...accounts.permissions import Action
from . import bp, schemas
from .registry import EXTRA_SCHEMAS, MAX_ID, OPERATIONS, Operation, api_route

REF = "#/components/schemas/{model}"
_JSON_TYPES = {int: "integer", str: "string", float: "number", bool: "boolean"}


def _components() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in dir(schemas):
        model = getattr(schemas, name)
        if isinstance(model, type) and issubclass(model, BaseModel) and model.__module__ == schemas.__name__:
            schema = model.model_json_schema(ref_template=REF)
            out.update(schema.pop("$defs", {}))
            out[model.__name__] = schema
    for model in EXTRA_SCHEMAS:
        schema = model.model_json_schema(ref_template=REF)
        out.update(schema.pop("$defs", {}))
        out[model.__name__] = schema
    out["TicketEvent"] = {"type": "object", "additionalProperties": True}
    out.pop("Strict", None)
    return out


def _response_schema(name: str) -> dict[str, Any]:
    if name.endswith("[]"):
        return {"type": "array", "items": {"$ref": REF.format(model=name[:-2])}}
    return {"$ref": REF.format(model=name)}


def _operation(op: Operation) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status, schema in sorted(op.responses.items()):
        if status >= 400:
            responses[str(status)] = {"description": "problem", "content": {
                "application/problem+json": {"schema": {"$ref": REF.format(model="Problem")}}}}
        elif schema is None:
            responses[str(status)] = {"description": "no content"}
        else:
            responses[str(status)] = {"description": "success",
                                      "content": {"application/json": {"schema": _response_schema(schema)}}}
    problem = {"application/problem+json": {"schema": {"$ref": REF.format(model="Problem")}}}
    if op.body is not None:
        responses.setdefault("400", {"description": "malformed JSON", "content": problem})
    if op.body is not None or op.params:
        # Any input may be refused as invalid (e.g. a NUL character anywhere, an id out of range).
        responses.setdefault("422", {"description": "invalid input", "content": problem})
    parameters = []
    for p in op.params:
        param_schema: dict[str, Any] = {"type": _JSON_TYPES.get(p.kind, "string")}
        if p.enum:
            param_schema["enum"] = list(p.enum)
        if p.kind is int:
            param_schema["minimum"], param_schema["maximum"] = (1 if p.where == "path" else -MAX_ID), MAX_ID
        parameters.append({"name": p.name, "in": p.where, "required": p.required or p.where == "path",
                           "schema": param_schema, "description": p.description})
    spec: dict[str, Any] = {
        "summary": op.summary,
        "tags": [op.tag],
        "operationId": f"{op.method.lower()}_{op.path.strip('/').replace('/', '_').replace('{', '').replace('}', '').replace('-', '_')}",
        "description": f"Who: {op.who}.",
        "x-permission": op.action.value,  # the entry of the permission table (decision 017)
        "parameters": parameters,
        "responses": responses,
    }
    if op.body is not None:
        spec["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": {"$ref": REF.format(model=op.body.__name__)}}}}
    if op.auth:
        spec["security"] = [{"bearer": []}]
    else:
        spec["security"] = []
    return spec


def openapi_document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Reception queue API", "version": "1.0.0",
                 "description": "Queue, kiosk, desk and reception contract (API.md). Errors are RFC 9457 problem+json."},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {"schemas": _components(),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


@api_route(bp, "GET", "/openapi.json", summary="This document", tag="meta", action=Action.PUBLIC,
           responses={200: None})
def openapi() -> ResponseReturnValue:
    return jsonify(openapi_document())

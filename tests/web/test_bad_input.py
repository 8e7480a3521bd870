"""Every endpoint of the contract answers bad input with problem+json and changes nothing."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from sqlalchemy import select

import reception.api  # noqa: F401  (registers every route)
from reception import models_all  # noqa: F401
from reception.api.registry import OPERATIONS, Operation
from reception.models import Base

ALL_ROLES = ["admin", "manager", "operator", "leader", "call_centre", "auditor"]


def fingerprint(db) -> str:  # type: ignore[no-untyped-def]
    """A hash of every row of every table: equal before and after means nothing changed."""
    digest = hashlib.sha256()
    with db.read() as s:
        for table in Base.metadata.sorted_tables:
            rows = s.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest.update(f"{table.name}:{sorted(map(repr, rows))}".encode())
    return digest.hexdigest()


def fill_path(op: Operation, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), "999999"), op.path)


def assert_problem(response, statuses: tuple[int, ...]) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code in statuses, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert {"type", "title", "status", "detail"} <= set(body) and body["status"] == response.status_code


@pytest.fixture
def world(api):  # type: ignore[no-untyped-def]
    kiosk = api.device("kiosk")
    display = api.device("display")
    boss = api.user("boss", ALL_ROLES)
    r = api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"})
    assert r.status_code == 201
    return {"kiosk": kiosk, "display": display, "boss": boss, "ticket": str(r.get_json()["id"])}


OPS = [op for op in OPERATIONS if op.path != "/openapi.json"]


@pytest.mark.parametrize("op", OPS, ids=[f"{o.method} {o.path}" for o in OPS])
def test_bad_input_is_refused_without_side_effects(api, db, world, op: Operation) -> None:
    ids = {"code": "T1", "id": world["ticket"], "public_token": "no-such-token"}
    path = fill_path(op, ids)
    before = fingerprint(db)
    checks: list[tuple[str, dict[str, Any], tuple[int, ...]]] = []
    if op.auth:
        checks.append(("no token", {}, (401,)))
        checks.append(("forged token", {"headers": {"Authorization": "Bearer forged.token.value"}}, (401,)))
        wrong = world["display"] if "kiosk" in op.who else world["display"]
        checks.append(("display token", {"headers": {"Authorization": f"Bearer {wrong}"}}, (401, 403)))
    right = world["kiosk"] if op.who.startswith("kiosk") else world["boss"]
    auth = {"Authorization": f"Bearer {right}"} if op.auth else {}
    if op.body is not None:
        checks.append(("malformed json", {"headers": auth, "data": "{not json", "content_type": "application/json"},
                       (400, 404, 422)))
        checks.append(("array body", {"headers": auth, "json": [1, 2]}, (400, 404, 422)))
        checks.append(("unknown field", {"headers": auth, "json": {"__bogus__": 1}}, (404, 422)))
        checks.append(("wrong types", {"headers": auth, "json": {f: [] for f in op.body.model_fields}}, (404, 422)))
    if "{" in op.path:
        unknown = re.sub(r"\{(\w+)\}", "999999", op.path)
        body = {"json": {}} if op.body is not None else {}
        checks.append(("unknown resource", {"headers": auth, **body}, (404, 422)))
        path_for = {"unknown resource": unknown}
    else:
        path_for = {}
    for name, kwargs, statuses in checks:
        r = api.client.open(f"/api/v1{path_for.get(name, path)}", method=op.method, **kwargs)
        assert_problem(r, statuses)
        assert fingerprint(db) == before, f"{name} changed the database"


def test_unknown_api_path_and_method_are_problems(api) -> None:
    assert_problem(api.client.get("/api/v1/no/such/thing"), (404,))
    assert_problem(api.client.delete("/api/v1/kiosk/menu"), (405,))


def test_errors_speak_the_callers_language(api, world) -> None:
    r = api.call("POST", "/kiosk/tickets", world["kiosk"], json={"service": "nope"})
    assert r.status_code == 404 and "не знайдено" in r.get_json()["detail"]
    r = api.call("POST", "/kiosk/tickets?lang=en", world["kiosk"], json={"service": "nope"})
    assert "not found" in r.get_json()["detail"]


def test_openapi_lists_every_route_and_is_json(api) -> None:
    spec = api.client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for op in OPERATIONS:
        assert op.method.lower() in spec["paths"][op.path]
    for path in ("/auth/token", "/kiosk/tickets", "/desks/{code}/call-next", "/tickets/{id}/finish",
                 "/offices/{code}/queue", "/tickets/{public_token}"):
        assert path in spec["paths"]

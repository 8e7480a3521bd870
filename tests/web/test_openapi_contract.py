"""The published contract (GET /api/v1/openapi.json) is a valid OpenAPI document, and the server keeps to it:
a 405 names the allowed methods, a required body is required, JSON types are the document's, and every
status an operation can answer is documented (decision 027)."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from reception.http.api.registry import OPERATIONS
from tests.web.leadership.builders import add_leader, add_leadership, add_rule

ALL_ROLES = ["admin", "manager", "operator", "leader", "call_centre", "auditor"]


@pytest.fixture
def document(api) -> dict[str, Any]:
    r = api.client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    return r.get_json()


def _walk(node: Any, path: str = ""):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}/{i}")


def test_the_served_document_is_valid_openapi(document) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in OpenAPIV31SpecValidator(document).iter_errors()]
    assert errors == []


def test_no_default_contradicts_its_own_type(document) -> None:
    """``x: str = None`` must not be written ``{"type": "string", "default": null}`` (the source of 114 errors)."""
    bad = [path for path, node in _walk(document)
           if "default" in node and node["default"] is None and "anyOf" not in node and node.get("type") != "null"]
    assert bad == []


def test_every_status_an_operation_can_answer_is_documented(document) -> None:
    for op in OPERATIONS:
        answers = document["paths"][op.path][op.method.lower()]["responses"]
        expected = {"422"} | ({"401", "403"} if op.auth else set()) | ({"404"} if "{" in op.path else set())
        expected |= {"400", "413"} if op.body is not None else set()
        assert expected <= set(answers), f"{op.method} {op.path}: {sorted(expected - set(answers))}"
        for status, answer in answers.items():
            if int(status) >= 400:
                assert list(answer["content"]) == ["application/problem+json"], f"{op.method} {op.path} {status}"


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("TRACE", "/auth/token", {"POST"}),
    ("DELETE", "/offices", {"GET", "POST"}),
    ("PUT", "/records/1", {"GET", "PATCH"}),
])
def test_a_405_names_the_allowed_methods(api, method: str, path: str, allowed: set[str]) -> None:
    r = api.call(method, path)
    assert r.status_code == 405 and r.mimetype == "application/problem+json"
    assert r.get_json()["code"] == "method" and r.get_json()["status"] == 405
    named = {m.strip() for m in r.headers["Allow"].split(",")}
    assert allowed <= named and named - allowed <= {"HEAD", "OPTIONS"}


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/leaders/0/rules"), ("GET", "/reception-sessions/0/appointments"), ("PATCH", "/records/0"),
    ("PATCH", "/users/99999999999"),
])
def test_an_id_out_of_range_is_a_404_for_every_method(api, method: str, path: str) -> None:
    """``/records/0`` matches ``/records/<int(min=1):id>`` by pattern only: no method answers it (not a 405)."""
    boss = api.user("boss", ALL_ROLES)
    r = api.call(method, path, boss, json={})
    assert r.status_code == 404 and r.mimetype == "application/problem+json"


def test_a_405_on_a_page_names_the_allowed_methods(client) -> None:
    r = client.delete("/backoffice/hall")
    assert r.status_code == 405 and "GET" in r.headers["Allow"]


@pytest.fixture
def booked(api, db, clock) -> dict[str, Any]:
    from datetime import date

    add_leadership(db)
    leader = add_leader(db, clock)
    add_rule(db, clock, leader, weekday=2, start="11:00", end="13:00", slot_min=30, valid_from=date(2026, 11, 1))
    boss = api.user("boss", ALL_ROLES)
    session = api.call("GET", "/reception-sessions?office=T1", boss).get_json()[1]["id"]
    appointment = api.call("POST", f"/reception-sessions/{session}/appointments", boss, json={
        "visitor": {"surname": "Гончар", "name": "Марія"}, "topic": "Пенсія"}).get_json()["id"]
    user = api.user("spare", ["operator"])  # noqa: F841 (an account to change)
    users = api.call("GET", "/users", boss).get_json()
    return {"boss": boss, "session": session, "appointment": appointment,
            "user": next(u["id"] for u in users if u["username"] == "spare")}


def test_a_missing_body_is_refused_where_the_document_requires_one(api, booked) -> None:
    for method, path in [("PATCH", f"/users/{booked['user']}"), ("PATCH", "/offices/T1"),
                         ("PATCH", "/offices/T1/services/consult"), ("PATCH", "/offices/T1/desks/1"),
                         ("POST", f"/appointments/{booked['appointment']}/cancel")]:
        r = api.call(method, path, booked["boss"])
        assert r.status_code == 422 and r.mimetype == "application/problem+json", (method, path, r.status_code)
        problem = r.get_json()
        assert problem["code"] == "validation" and problem["errors"] == [{"code": "input.body_required", "params": {}}]
        assert "без тіла" in problem["detail"]
    # nothing was cancelled
    r = api.call("GET", f"/reception-sessions/{booked['session']}/appointments", booked["boss"])
    assert [a["status"] for a in r.get_json()] == ["booked"]


@pytest.mark.parametrize("body", [
    {"remote": 0}, {"remote": "true"}, {"remote": False, "video_url": ""}, {"remote": True, "video_url": "  "},
    {"remote": True, "video_url": "javascript:alert(1)"}, {"remote": True, "video_url": "https://"},
    {"remote": True},
])
def test_a_session_is_made_remote_only_by_a_boolean_and_a_link(api, booked, body: dict[str, Any]) -> None:
    r = api.call("PATCH", f"/reception-sessions/{booked['session']}", booked["boss"], json=body)
    assert r.status_code == 422 and r.mimetype == "application/problem+json", r.get_json()
    ok = api.call("PATCH", f"/reception-sessions/{booked['session']}", booked["boss"],
                  json={"remote": True, "video_url": "https://meet.example/room?id=1"})
    assert ok.status_code == 200 and ok.get_json()["remote"] is True


def test_json_numbers_are_read_by_their_value(api) -> None:
    """``5.0`` is an integer in JSON Schema; ``"5"`` is a string, refused where an integer is wanted."""
    boss = api.user("boss", ALL_ROLES)
    assert api.call("POST", "/offices/T1/resume", boss, json={"after_min": 5.0}).status_code in (200, 409)
    r = api.call("POST", "/offices/T1/resume", boss, json={"after_min": "5"})
    assert r.status_code == 422 and "after_min" in r.get_json()["detail"]
    r = api.call("POST", "/offices/T1/resume", boss, json={"after_min": 5.5})
    assert r.status_code == 422

"""Every endpoint of the contract answers bad input with problem+json and changes nothing."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

import reception.http.api  # noqa: F401  (registers every route)
from reception.http.api.registry import OPERATIONS, Operation
from reception.platform.orm import Base
from reception.schema import tables as models_all  # noqa: F401
from tests.fakes import CSRF_TOKEN

ALL_ROLES = ["admin", "manager", "operator", "leader", "call_centre", "auditor"]


def fingerprint(db, skip: tuple[str, ...] = ()) -> str:
    """A hash of every row of every table (but ``skip``): equal before and after means nothing changed."""
    digest = hashlib.sha256()
    with db.read() as s:
        for table in Base.metadata.sorted_tables:
            if table.name in skip:
                continue
            rows = s.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest.update(f"{table.name}:{sorted(map(repr, rows))}".encode())
    return digest.hexdigest()


def fill_path(op: Operation, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), "999999"), op.path)


def assert_problem(response, statuses: tuple[int, ...]) -> None:
    assert response.status_code in statuses, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert {"type", "title", "status", "detail"} <= set(body) and body["status"] == response.status_code


@pytest.fixture
def world(api):
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
        body: dict[str, Any] = {"json": {}} if op.body is not None else {}
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


# --- values that once reached the database or date arithmetic (issue 10) ----------------------------

DEEP = '{"a":' + "[" * 100_000 + "]" * 100_000 + "}"  # past the parser's recursion limit
NESTED = '{"a":' + "[" * 40 + "]" * 40 + "}"  # parses, but deeper than any body of the contract
RECORD = {"office": "T1", "kind": "application", "visitor": {"surname": "Гончар", "name": "Марія"},
          "questions": ["Спадщина"]}


@pytest.fixture
def leadership(api, db, clock, world):
    """A leader with a session today, one booking on it, one record."""
    from tests.web.leadership.builders import add_leader, add_leadership, add_rule, set_settings

    add_leadership(db)
    set_settings(db, booking_cutoff_working_days=0)
    leader = add_leader(db, clock)
    add_rule(db, clock, leader, weekday=2, start="11:00", end="13:00", slot_min=30, valid_from=date(2026, 11, 1))
    boss = world["boss"]
    session = api.call("GET", "/reception-sessions?office=T1", boss).get_json()[0]["id"]
    appt = api.call("POST", f"/reception-sessions/{session}/appointments", boss,
                    json={"visitor": {"surname": "Гончар", "name": "Марія"}, "topic": "Спадщина"}).get_json()["id"]
    record = api.call("POST", "/records", boss, json=RECORD | {"leader_id": leader}).get_json()["id"]
    return world | {"leader": leader, "session": session, "appointment": appt, "record": record}


def _api_cases(w: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any], int, str]]:
    """(who, method, path, request keywords, status, problem code)."""
    rec, session, appt = w["record"], w["session"], w["appointment"]
    deep = {"data": DEEP, "content_type": "application/json"}
    nested = {"data": NESTED, "content_type": "application/json"}
    return [
        ("anyone", "POST", "/auth/token", deep, 400, "json_too_deep"),
        ("anyone", "POST", "/auth/token", nested, 400, "json_too_deep"),
        ("kiosk", "POST", "/kiosk/tickets", deep, 400, "json_too_deep"),
        ("kiosk", "POST", "/kiosk/tickets", nested, 400, "json_too_deep"),
        ("kiosk", "POST", "/kiosk/tickets", {"data": "{" + " " * 2**20 + "}", "content_type": "application/json"},
         413, "too_large"),
        ("boss", "PATCH", f"/records/{rec}", {"json": {"reception_date": None}}, 422, "validation"),
        ("boss", "PATCH", f"/records/{rec}", {"json": {"needs_study": None}}, 422, "validation"),
        ("boss", "PATCH", f"/records/{rec}", {"json": {"resolution": None}}, 422, "validation"),
        ("boss", "PATCH", f"/records/{rec}", {"json": {"reception_date": "9999-12-31"}}, 422, "validation"),
        ("boss", "PATCH", f"/records/{rec}", {"json": {"extended_to": "9999-12-31", "extension_reason": "x",
                                                       "applicant_informed": True}}, 422, "validation"),
        ("boss", "POST", "/records", {"json": RECORD | {"reception_date": "9999-12-31"}}, 422, "validation"),
        ("boss", "POST", "/records", {"json": RECORD | {"leader_id": 2147483648}}, 422, "validation"),
        ("boss", "POST", "/records", {"json": RECORD | {"ticket_id": 2**40}}, 422, "validation"),
        ("boss", "POST", "/records", {"json": RECORD | {"questions": ["Питання"] * 31}}, 422, "validation"),
        ("boss", "POST", "/records", {"json": RECORD | {"questions": ["я" * 4001]}}, 422, "validation"),
        ("boss", "PATCH", f"/records/{rec}", {"json": {"questions": ["я" * 4001]}}, 422, "validation"),
        ("boss", "GET", "/reception-sessions?office=T1&from=9999-12-31", {}, 422, "date_range"),
        ("boss", "GET", "/records?office=T1&from=9999-12-31", {}, 422, "date_range"),
        ("boss", "POST", f"/reception-sessions/{session}/appointments",
         {"json": {"visitor": {"surname": "Гончар", "name": "Марія"}, "topic": "Спадщина",
                   "slot": "9999-12-31T11:00:00+02:00"}}, 422, "validation"),
        ("boss", "POST", f"/appointments/{appt}/rebook", {"json": {"session": 2**40}}, 422, "validation"),
        ("boss", "POST", "/desks/1/call", {"json": {"ticket_id": 2**40, "reason": "тест"}}, 422, "validation"),
        ("boss", "GET", f"/records/{2**40}", {}, 404, "not_found"),
    ]


def test_out_of_range_and_hostile_values_are_refused_without_side_effects(api, db, leadership) -> None:
    before = fingerprint(db)
    for who, method, path, kwargs, status, code in _api_cases(leadership):
        headers = {"Authorization": f"Bearer {leadership[who]}"} if who != "anyone" else {}
        r = api.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)
        assert_problem(r, (status,))
        assert r.get_json()["code"] == code, (path, kwargs.get("json"), r.get_json())
        assert fingerprint(db) == before, f"{method} {path} changed the database"


def test_problem_detail_is_in_the_callers_language(api, leadership) -> None:
    deep = {"data": DEEP, "content_type": "application/json"}
    uk = api.client.post("/api/v1/auth/token", **deep).get_json()["detail"]
    en = api.client.post("/api/v1/auth/token?lang=en", **deep).get_json()["detail"]
    assert "занадто глибоко" in uk and "32" in uk and "nested too deeply" in en
    too_big = api.client.post("/api/v1/auth/token", data="{" + " " * 2**20 + "}", content_type="application/json")
    assert too_big.status_code == 413 and "1 МБ" in too_big.get_json()["detail"]
    r = api.call("GET", "/reception-sessions?office=T1&from=9999-12-31", leadership["boss"])
    assert "01.01.2000" in r.get_json()["detail"] and "31.12.2100" in r.get_json()["detail"]


def test_values_at_the_limits_are_accepted(api, leadership) -> None:
    boss = leadership["boss"]
    r = api.call("POST", "/records", boss, json=RECORD | {"questions": ["я" * 4000] * 30,
                                                        "reception_date": "2000-01-01"})
    assert r.status_code == 201, r.get_json()
    assert api.call("GET", "/reception-sessions?office=T1&from=2100-12-01", boss).status_code == 200


# --- the same on the HTML pages: a localised page, nothing changed ---------------------------------


def _sign_in(client, db, clock) -> None:
    from tests.web.leadership.test_leadership_pages import sign_in

    sign_in(client, db, clock, "pages", ["manager", "call_centre", "operator", "leader"])


def _html_cases(w: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], int]]:
    form = {"csrf_token": CSRF_TOKEN, "office": "T1"}
    record_form = form | {"reception_date": "", "received_by_name": "Андрій Бондаренко", "surname": "Гончар",
                          "name": "Марія", "kind": "application", "authorship": "individual",
                          "questions": "Спадщина", "needs_study": "1", "answer_method": ""}
    booking = form | {"session": "99999999999999999999", "surname": "Гончар", "name": "Марія", "topic": "Спадщина"}
    return [
        ("POST", f"/backoffice/records/{w['record']}", {"data": record_form}, 422),
        ("POST", f"/backoffice/records/{w['record']}", {"data": record_form | {"reception_date": "9999-12-31"}}, 422),
        ("POST", f"/backoffice/records/{w['record']}", {"data": record_form | {"reception_date": "2026-11-24",
                                                                              "leader_id": "99999999999999999999"}},
         422),
        ("POST", f"/backoffice/records/{w['record']}", {"data": record_form | {"reception_date": "2026-11-24",
                                                                              "questions": "я" * 4001}}, 422),
        ("POST", "/backoffice/records/new?office=T1", {"data": record_form | {"questions": "я\n" * 31}}, 422),
        ("GET", "/backoffice/records/new?ticket=99999999999999999999", {}, 422),
        ("GET", "/backoffice/records?from=9999-12-31", {}, 200),  # the search shows the reason above the list
        ("POST", "/backoffice/booking", {"data": booking}, 422),
        ("GET", "/backoffice/booking?session=99999999999999999999", {}, 422),
        ("GET", "/backoffice/booking?done=99999999999999999999", {}, 422),
        ("POST", f"/backoffice/booking/{w['appointment']}/rebook", {"data": form | {"session": "9" * 20}}, 302),
        ("GET", "/backoffice/reception/today?leader=99999999999999999999", {}, 422),
        ("POST", "/backoffice/booking", {"data": booking | {"topic": "я" * 2**20}}, 413),
    ]


def test_bad_form_values_get_a_localised_page_and_change_nothing(client, db, clock, leadership) -> None:
    _sign_in(client, db, clock)
    # Re-showing a refused edit logs a view of the record, which is an access: only that may be added.
    before = fingerprint(db, skip=("audit_log",))
    audit_before = _audit_actions(db)
    for method, path, kwargs, status in _html_cases(leadership):
        r = client.open(path, method=method, **kwargs)
        page = r.get_data(as_text=True)
        assert r.status_code == status, (method, path, r.status_code, page[:500])
        assert "Internal" not in page and "Traceback" not in page
        if status in (413, 422):
            assert r.mimetype == "text/html" and '<html lang="uk">' in page
            assert re.search(r"[а-яіїєґ]{4}", page.split("<main", 1)[1])  # the reason, in Ukrainian
        assert fingerprint(db, skip=("audit_log",)) == before, f"{method} {path} changed the database"
        assert set(_audit_actions(db)) - set(audit_before) <= {"record.view", "record.list", "appointment.view"}


def test_too_large_form_page_speaks_english_when_asked(client, db, clock, leadership) -> None:
    _sign_in(client, db, clock)
    with client.session_transaction() as sess:
        sess["lang"] = "en"
    r = client.post("/backoffice/booking", data={"csrf_token": CSRF_TOKEN, "topic": "x" * 2**20})
    assert r.status_code == 413 and "too large" in r.get_data(as_text=True) and "1 MB" in r.get_data(as_text=True)


def _audit_actions(db) -> list[str]:
    from reception.audit.models import AuditLog

    with db.read() as s:
        return list(s.scalars(select(AuditLog.action)))

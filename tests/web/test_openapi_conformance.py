"""Every operation of the published document, called once with good data: it must answer its 2xx, and
schemathesis checks that answer (status, content type, headers, body) against the document.

The fuzz test (test_openapi_fuzz) mostly meets 404s and 422s (random ids and codes name nothing); this
tour is what makes response conformance bite on every operation.  A new operation fails the test until
it has a step here.  The app checks each JSON answer against its model as well (decision 027): a view
answering a shape its model does not describe is a logged 500 problem, not a silent pass.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import schemathesis
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from reception.booking.setup import open_to_booking
from reception.http.api.registry import OPERATIONS
from reception.leadership import records
from tests.fakes import ROOT, add_device, add_user, services
from tests.web.leadership.builders import add_leader, add_leadership, add_rule, set_settings

ALL_ROLES = ["admin", "manager", "operator", "leader", "call_centre", "auditor"]
VISITOR = {"surname": "Гончар", "name": "Марія", "phone": "0501112233"}
RECORD = {"office": "T1", "kind": "application", "visitor": {"surname": "Гончар", "name": "Марія"},
          "questions": ["Спадщина"]}

SELF = ("GET", "/openapi.json")
W = dict[str, Any]
# (method, path, who calls, the request: path parameters / query / body from the world, expected status)
Step = tuple[str, str, str, Callable[[W], dict[str, Any]], int]


def _id(key: str) -> Callable[[W], dict[str, Any]]:
    return lambda w: {"path_parameters": {"id": w[key]}}


def _desk(**extra: Any) -> Callable[[W], dict[str, Any]]:
    return lambda w: {"path_parameters": {"code": "1"}, **extra}


T1 = {"path_parameters": {"code": "T1"}}
RANGE = {"query": {"office": "T1", "from": "2026-11-01", "to": "2026-12-31"}}

STEPS: list[Step] = [
    ("POST", "/auth/token", "nobody", lambda w: {"body": {"username": "boss", "password": "secret-pass-1"}}, 200),
    ("GET", "/kiosk/menu", "kiosk", lambda w: {"query": {"lang": "en"}}, 200),
    ("POST", "/kiosk/tickets", "kiosk", lambda w: {"body": {"service": "consult"}}, 201),
    ("POST", "/kiosk/checkin", "kiosk", lambda w: {"body": {"booking_code": w["booking_code"]}}, 201),
    ("GET", "/tickets/{public_token}", "nobody", lambda w: {"path_parameters": {"public_token": w["public_token"]}}, 200),
    ("GET", "/offices/{code}/queue", "boss", lambda w: T1, 200),
    ("GET", "/offices/{code}/hall", "boss", lambda w: T1, 200),
    ("POST", "/desks/{code}/open", "boss", _desk(), 200),
    ("POST", "/desks/{code}/pause", "boss", _desk(body={"reason": "перерва"}), 200),
    ("POST", "/desks/{code}/resume", "boss", _desk(), 200),
    ("POST", "/desks/{code}/call-next", "boss", _desk(), 200),
    ("POST", "/tickets/{id}/recall", "boss", _id("ticket"), 200),
    ("POST", "/tickets/{id}/no-show", "boss", _id("ticket"), 200),
    ("POST", "/tickets/{id}/reactivate", "boss", _id("ticket"), 200),
    ("POST", "/desks/{code}/call", "boss", lambda w: {"path_parameters": {"code": "1"},
                                                      "body": {"ticket_id": w["ticket"], "reason": "повторно"}}, 200),
    ("POST", "/tickets/{id}/start", "boss", _id("ticket"), 200),
    ("POST", "/tickets/{id}/transfer", "boss", lambda w: {"path_parameters": {"id": w["ticket"]},
                                                          "body": {"service": "appeal"}}, 200),
    ("POST", "/tickets/{id}/cancel", "boss", lambda w: {"path_parameters": {"id": w["spare_ticket"]},
                                                        "body": {"reason": "пішов"}}, 200),
    ("POST", "/desks/{code}/call-next", "boss", _desk(), 200),
    ("POST", "/tickets/{id}/finish", "boss", lambda w: {"path_parameters": {"id": w["last_called"]}, "body": {}}, 200),
    # feedback on the visit just finished: by its token, then (once is once) by its code in the hall
    ("POST", "/tickets/{public_token}/feedback", "nobody",
     lambda w: {"path_parameters": {"public_token": _finished(w).public_token}, "body": {"score": 5, "comment": "Дякую"}},
     201),
    ("POST", "/kiosk/feedback", "kiosk", lambda w: {"body": {"code": _finished(w).code, "score": 4}}, 409),
    ("GET", "/tickets/{id}/events", "boss", _id("ticket"), 200),
    ("POST", "/desks/{code}/close", "boss", _desk(), 200),
    ("GET", "/outcomes", "boss", lambda w: {"query": {"kind": "specialist"}}, 200),
    ("GET", "/priority-categories", "boss", lambda w: {}, 200),
    # administration
    ("GET", "/offices", "boss", lambda w: {}, 200),
    ("POST", "/offices", "boss", lambda w: {"body": {"code": "T9", "name_uk": "Нова", "name_en": "New"}}, 201),
    ("PATCH", "/offices/{code}", "boss", lambda w: T1 | {"body": {"name_en": "Test office"}}, 200),
    ("GET", "/offices/{code}/services", "boss", lambda w: T1, 200),
    ("POST", "/offices/{code}/services", "boss", lambda w: T1 | {"body": {"code": "notary", "prefix": "Н",
                                                                          "name_uk": "Нотаріат", "name_en": "Notary"}}, 201),
    ("PATCH", "/offices/{code}/services/{service}", "boss",
     lambda w: {"path_parameters": {"code": "T1", "service": "notary"}, "body": {"target_wait_min": 20}}, 200),
    ("GET", "/offices/{code}/desks", "boss", lambda w: T1, 200),
    ("POST", "/offices/{code}/desks", "boss", lambda w: T1 | {"body": {"code": "9", "name_uk": "Вікно 9",
                                                                       "name_en": "Window 9"}}, 201),
    ("PATCH", "/offices/{code}/desks/{desk}", "boss",
     lambda w: {"path_parameters": {"code": "T1", "desk": "9"}, "body": {"zone": "north"}}, 200),
    ("GET", "/offices/{code}/devices", "boss", lambda w: T1 | {"query": {"live": "0"}}, 200),
    ("POST", "/devices/{id}/revoke", "boss", _id("spare_device"), 200),
    ("GET", "/users", "boss", lambda w: {}, 200),
    ("POST", "/users", "boss", lambda w: {"body": {"username": "newbie", "password": "secret-pass-2",
                                                   "roles": ["operator"], "offices": ["T1"]}}, 201),
    ("PATCH", "/users/{id}", "boss", lambda w: {"path_parameters": {"id": w["spare_user"]},
                                                "body": {"full_name": "Олена Коваль"}}, 200),
    ("POST", "/users/{id}/password", "boss", lambda w: {"path_parameters": {"id": w["spare_user"]},
                                                        "body": {"password": "secret-pass-3"}}, 200),
    ("POST", "/auth/password", "changer", lambda w: {"body": {"current_password": "secret-pass-1",
                                                             "new_password": "another-pass-4"}}, 200),
    ("GET", "/audit", "boss", lambda w: {"query": {"office": "T1"}}, 200),
    ("GET", "/offices/{code}/suspension", "boss", lambda w: T1, 200),
    ("POST", "/offices/{code}/suspend", "boss", lambda w: T1 | {"body": {"reason": "air_raid"}}, 200),
    ("POST", "/offices/{code}/resume", "boss", lambda w: T1 | {"body": {}}, 200),
    # leadership reception and records
    ("GET", "/leaders", "boss", lambda w: {"query": {"office": "T1"}}, 200),
    ("POST", "/leaders", "boss", lambda w: {"body": {"office": "T1", "name_uk": "Ірина Мельник",
                                                     "name_en": "Iryna Melnyk", "position_uk": "Директорка",
                                                     "position_en": "Director"}}, 201),
    ("GET", "/leaders/{id}/rules", "boss", _id("leader"), 200),
    ("POST", "/leaders/{id}/rules", "boss", lambda w: {"path_parameters": {"id": w["leader"]}, "body": {
        "desk": "412", "weekday": 4, "start": "14:00", "end": "15:00", "slot_min": 30,
        "valid_from": "2026-11-01"}}, 201),
    ("POST", "/reception-rules/{id}/exceptions", "boss", lambda w: {"path_parameters": {"id": w["rule"]}, "body": {
        "date": w["later_date"], "action": "cancel"}}, 201),
    ("GET", "/reception-sessions", "boss", lambda w: RANGE, 200),
    ("PATCH", "/reception-sessions/{id}", "boss", lambda w: {"path_parameters": {"id": w["session"]},
                                                             "body": {"remote": False}}, 200),
    ("POST", "/reception-sessions/{id}/appointments", "boss", lambda w: {
        "path_parameters": {"id": w["session"]}, "body": {"visitor": VISITOR, "topic": "Пенсія"}}, 201),
    ("GET", "/reception-sessions/{id}/appointments", "boss", _id("session"), 200),
    ("GET", "/appointments", "boss", lambda w: {"query": {"surname": "Гончар"}}, 200),
    ("POST", "/appointments/{id}/rebook", "boss", lambda w: {"path_parameters": {"id": w["appointment"]},
                                                             "body": {"session": w["session"]}}, 200),
    ("POST", "/appointments/{id}/cancel", "boss", lambda w: {"path_parameters": {"id": w["appointment"]},
                                                             "body": {"reason": "передумала"}}, 200),
    ("GET", "/desks/{code}/appointments", "boss", lambda w: {"path_parameters": {"code": "412"},
                                                             "query": {"office": "T1", "date": w["today"]}}, 200),
    ("POST", "/reception-rules/{id}/end", "boss", _id("rule"), 200),
    ("GET", "/records", "boss", lambda w: {"query": {"office": "T1"}}, 200),
    ("POST", "/records", "boss", lambda w: {"body": RECORD | {"leader_id": w["leader"]}}, 201),
    ("GET", "/records/{id}", "boss", _id("record"), 200),
    ("PATCH", "/records/{id}", "boss", lambda w: {"path_parameters": {"id": w["record"]},
                                                  "body": {"executor": "Бондар", "version": w["record_version"]}}, 200),
    ("GET", "/records/{id}.pdf", "boss", _id("record"), 200),
    ("GET", "/personal-data", "boss", lambda w: {"query": {"surname": "Гончар"}}, 200),
    ("GET", "/personal-data/export", "boss", lambda w: {"query": {"surname": "Гончар"}}, 200),
    ("POST", "/personal-data/erase", "boss", lambda w: {"body": {"surname": "Гончар"}}, 200),
    # reports
    ("GET", "/reports/summary", "boss", lambda w: RANGE, 200),
    ("GET", "/reports/summary.csv", "boss", lambda w: RANGE, 200),
    ("GET", "/reports/summary.xlsx", "boss", lambda w: RANGE, 200),
    ("GET", "/reports/summary.pdf", "boss", lambda w: RANGE, 200),
    # messages to visitors (decision 037)
    ("GET", "/messages", "boss", lambda w: {"query": {"office": "T1", "status": "queued"}}, 200),
    ("GET", "/offices/{code}/alerts", "boss", lambda w: T1, 200),
    # the visitor's channel (decision 038)
    ("POST", "/tickets/{public_token}/subscriptions", "nobody",
     lambda w: {"path_parameters": {"public_token": w["last_token"]},
                "body": {"channel": "sms", "address": "+380501112233"}}, 201),
    ("GET", "/tickets/{public_token}/subscriptions", "nobody",
     lambda w: {"path_parameters": {"public_token": w["last_token"]}}, 200),
    ("DELETE", "/subscriptions/{id}", "nobody",
     lambda w: {"path_parameters": {"id": 1}, "query": {"token": w["last_token"]}}, 204),
    ("POST", "/tickets/{public_token}/replies", "nobody",
     lambda w: {"path_parameters": {"public_token": w["last_token"]}, "body": {"action": "cancel"}}, 200),
    # the journal of appeals (decision 042)
    ("GET", "/appeals/topics", "boss", lambda w: {"query": {"office": "T1"}}, 200),
    ("PUT", "/appeals/topics", "boss", lambda w: {"query": {"office": "T1"}, "body": {"topics": [
        {"code": "pensions", "name_uk": "Пенсії", "name_en": "Pensions"}]}}, 200),
    ("GET", "/appeals/executors", "boss", lambda w: {"query": {"office": "T1"}}, 200),
    ("GET", "/appeals/caller", "boss", lambda w: {"query": {"office": "T1", "phone": "050 111 22 33"}}, 200),
    ("PUT", "/appeals/draft", "boss", lambda w: {"body": {"office": "T1", "data": {"phone": "050"}}}, 200),
    ("GET", "/appeals/draft", "boss", lambda w: {}, 200),
    ("DELETE", "/appeals/draft", "boss", lambda w: {}, 204),
    # the e-mail intake (decision 043)
    ("GET", "/mail-drafts", "boss", lambda w: {"query": {"office": "T1"}}, 200),
    ("GET", "/mail-drafts/{id}", "boss", _id("mail"), 200),
    ("POST", "/mail-drafts/{id}/accept", "boss", lambda w: {"path_parameters": {"id": w["mail"]}, "body": {
        "kind": "application", "surname": "Коваленко", "name": "Петро"}}, 201),
    ("POST", "/mail-drafts/{id}/merge", "boss", lambda w: {"path_parameters": {"id": w["mail_merge"]},
                                                          "body": {"record_id": w["record"]}}, 200),
    ("POST", "/mail-drafts/{id}/discard", "boss", lambda w: {"path_parameters": {"id": w["mail_discard"]},
                                                            "body": {"reason": "Реклама"}}, 200),
    ("GET", "/mail-attachments/{id}", "boss", _id("mail_attachment"), 200),
    ("POST", "/records/{id}/email-answer", "boss", lambda w: {"path_parameters": {"id": w["record"]},
                                                             "body": {"body": "Відповідь на звернення"}}, 200),
    # staffing
    ("POST", "/staffing/plan", "boss", lambda w: {"body": {"arrivals_per_hour": 30, "service_min": 9,
                                                          "target_wait_min": 15, "target_pct": 80}}, 200),
    ("GET", "/offices/{code}/staffing", "boss", lambda w: T1 | {"query": {"date": "2026-11-24"}}, 200),
    # public self-service booking
    ("GET", "/public/offices", "nobody", lambda w: {}, 200),
    ("GET", "/public/slots", "nobody", lambda w: {"query": {"office": "T1", "service": "consult",
                                                            "date": "2026-11-25"}}, 200),
    ("POST", "/public/bookings", "nobody", lambda w: {"body": {
        "office": "T1", "service": "consult", "at": "2026-11-25T11:00:00+02:00",
        "visitor": {"surname": "Гончар", "name": "Ніна", "email": "nina@example.com"}}}, 202),
    ("POST", "/public/bookings/{request_id}/confirm", "nobody", lambda w: {
        "path_parameters": {"request_id": w["public_request"]}, "body": {"code": w["public_code"]}}, 201),
    ("POST", "/public/bookings/{booking_code}/cancel", "nobody", lambda w: {
        "path_parameters": {"booking_code": w["public_booking"]["booking_code"]},
        "body": {"cancel_token": w["public_booking"]["cancel_token"]}}, 200),
    ("POST", "/public/remote-tickets", "nobody", lambda w: {"body": {
        "office": "T1", "service": "consult", "email": "remote@example.com"}}, 202),
    ("POST", "/public/remote-tickets/{request_id}/confirm", "nobody", lambda w: {
        "path_parameters": {"request_id": w["remote_request"]}, "body": {"code": w["remote_code"]}}, 201),
    ("GET", "/public/remote-tickets/{public_token}", "nobody", lambda w: {
        "path_parameters": {"public_token": w["remote_token"]}}, 200),
    ("POST", "/bookings", "boss", lambda w: {"body": {
        "office": "T1", "service": "consult", "at": "2026-11-25T11:30:00+02:00",
        "visitor": {"surname": "Гончар", "name": "Ніна", "phone": "050 111 22 33"}, "override_cap": True}}, 201),
    ("GET", "/reports/arrivals", "boss", lambda w: RANGE, 200),
]


def _finished(w: W) -> Any:
    """The ticket the last call-next called (and the step after it finished)."""
    from reception.queue.models import Ticket

    with w["db"].read() as s:
        return s.get(Ticket, w["last_called"])


@pytest.fixture
def world(api, db, clock) -> W:
    add_leadership(db)
    set_settings(db, booking_cutoff_working_days=0, allow_call_specific=True)
    leader = add_leader(db, clock)
    rule = add_rule(db, clock, leader, weekday=2, start="11:00", end="13:00", slot_min=30,
                    valid_from=date(2026, 11, 1))
    boss = api.user("boss", ALL_ROLES)
    sessions = api.call("GET", "/reception-sessions?office=T1", boss).get_json()
    today, session = sessions[0], sessions[1]["id"]
    booked = api.call("POST", f"/reception-sessions/{today['id']}/appointments", boss,
                      json={"visitor": VISITOR, "topic": "Спадщина"}).get_json()
    appointment = api.call("POST", f"/reception-sessions/{session}/appointments", boss,
                           json={"visitor": VISITOR, "topic": "Пенсія"}).get_json()["id"]
    record = services(api.db, clock).value(records.create_record, ROOT, "T1", {
        "kind": "complaint", "surname": "Коваленко", "name": "Петро", "received_by_name": "А. Бондаренко",
        "questions": ["Невиконання рішення суду"]})
    kiosk = api.device("kiosk")
    first = api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).get_json()
    spare = api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).get_json()
    api.call("POST", "/kiosk/tickets", kiosk, json={"service": "appeal"})
    last = api.call("POST", "/kiosk/tickets", kiosk, json={"service": "appeal"}).get_json()  # the visitor's channel
    public_request, public_code, public_booking = _public_booking(api, db)
    remote_request, remote_code, remote_token = _remote_place(api, db)
    return {
        "last_token": last["public_token"],
        "remote_request": remote_request, "remote_code": remote_code, "remote_token": remote_token,
        "public_request": public_request, "public_code": public_code, "public_booking": public_booking,
        "boss": boss, "kiosk": kiosk, "changer": api.user("changer", ["operator"]),
        "spare_user": add_user(db, clock, "spare", ["operator"], ["T1"]),
        "spare_device": _new_display(db, clock),
        "ticket": first["id"], "spare_ticket": spare["id"], "public_token": first["public_token"],
        "booking_code": booked["booking_code"], "leader": leader, "rule": rule["id"], "session": session,
        "appointment": appointment, "record": record["id"], "record_version": record["version"],
        "today": today["date"], "later_date": sessions[2]["date"], "db": db,
    } | _mail_drafts(api, clock)


def _mail_drafts(api: Any, clock: Any) -> W:
    """Three drafts of the e-mail intake (one with a stored attachment) to decide."""
    import tempfile
    from pathlib import Path

    from sqlalchemy import func, select

    from reception.appeals.mail_models import MailAttachment
    from reception.appeals.mail_parse import ParsedAttachment
    from tests.web.appeals.test_mail_drafts_api import add_draft

    folder = Path(tempfile.mkdtemp(prefix="mail-attachments-"))
    api.client.application.config["MAIL_ATTACHMENTS_DIR"] = str(folder)
    (folder / "c0ffee").write_bytes(b"%PDF-1.4")
    ids = [add_draft(api.db, clock, message_id=f"<w{n}@example.org>", attachments=(
        ParsedAttachment("заява.pdf", "application/pdf", 8, b"%PDF-1.4"),), stored=("c0ffee",)) for n in range(3)]
    with api.db.read() as s:
        attachment = s.scalar(select(func.min(MailAttachment.id)))
    return {"mail": ids[0], "mail_merge": ids[1], "mail_discard": ids[2], "mail_attachment": attachment}


def _public_booking(api: Any, db: Any) -> tuple[str, str, dict[str, Any]]:
    """A service open to booking, a request waiting for its code (and the code), a confirmed booking."""
    from tests.web.test_public_booking import book, code_of

    open_to_booking(db, "T1", "consult", office_rules={"verify_by": "email", "cap_per_day": 0, "cap_active": 0,
                                                       "remote_queue": True, "remote_cap_per_day": 0})
    visitor = {"surname": "Гончар", "name": "Ніна", "email": "nina@example.com"}
    booked = book(api, db, "2026-11-25T10:00:00+02:00", visitor)
    asked = api.call("POST", "/public/bookings", json={"office": "T1", "service": "consult",
                                                       "at": "2026-11-25T10:15:00+02:00", "visitor": visitor})
    request_id = asked.get_json()["request_id"]
    return request_id, code_of(db, request_id), booked


def _remote_place(api: Any, db: Any) -> tuple[str, str, str]:
    """A remote place confirmed (its public token), and a request waiting for its code (and the code)."""
    from tests.web.test_public_booking import code_of

    asked = []
    for email in ("first@example.com", "second@example.com"):
        r = api.call("POST", "/public/remote-tickets", json={"office": "T1", "service": "consult", "email": email})
        asked.append(r.get_json()["request_id"])
    placed = api.call("POST", f"/public/remote-tickets/{asked[0]}/confirm", json={"code": code_of(db, asked[0])})
    return asked[1], code_of(db, asked[1]), placed.get_json()["public_token"]


def _new_display(db: Any, clock: Any) -> int:
    """A display to revoke (its id: the newest device)."""
    from sqlalchemy import func, select

    from reception.accounts.models import Device

    add_device(db, clock, "display", "T1")
    with db.read() as s:
        return int(s.scalar(select(func.max(Device.id))) or 0)


def test_every_operation_answers_as_documented(app, api, world, caplog) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = {(op.method.upper(), op.path): op
                  for op in (r.ok() for r in schema.get_all_operations() if isinstance(r, Ok))}  # an unreadable one fails below
    # Schemathesis leaves out the document's own URL (its answer is still checked against OpenAPIDocument).
    assert set(operations) | {SELF} == {(op.method, op.path) for op in OPERATIONS}, "the document lists every route"
    assert set(operations) == {(m, p) for m, p, *_ in STEPS}, "every operation has a step here"
    failures = []
    with caplog.at_level(logging.ERROR):
        for method, path, who, request, status in STEPS:
            case = operations[(method, path)].Case(**request(world))
            headers = {"Authorization": f"Bearer {world[who]}"} if who != "nobody" else {}
            try:
                response = case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
            except Exception as exc:  # every operation's failure, then report
                failures.append(f"{method} {path}: {str(exc)[:800]}")
                continue
            if response.status_code != status:
                failures.append(f"{method} {path}: {response.status_code} {response.text[:300]}")
            elif path == "/desks/{code}/call-next":
                world["last_called"] = response.json()["id"]
    assert not failures, "\n\n".join(failures)
    assert "does not match its model" not in caplog.text


def test_an_answer_its_model_refuses_is_a_logged_500(api, world, caplog, monkeypatch) -> None:
    """The document cannot lie: a view answering off-model fails loudly, it is never passed on."""
    from reception.http.api import routes_tickets

    monkeypatch.setattr(routes_tickets, "public_status", lambda *a: {"code": 17})
    with caplog.at_level(logging.ERROR):
        r = api.client.get(f"/api/v1/tickets/{world['public_token']}")
    assert r.status_code == 500 and r.mimetype == "application/problem+json"
    assert "does not match its model" in caplog.text and "service" in caplog.text
    said = [r.getMessage() for r in caplog.records if r.name == "reception.http.api.registry"]
    assert said and not any("input_value" in m for m in said)  # where and what, never the values


def test_production_skips_the_answer_check_but_never_the_request_check(api, world, monkeypatch) -> None:
    """VALIDATE_RESPONSES off (the production server's default): an off-model answer leaves as the view
    made it, while a body its model refuses is still a 422."""
    from reception.http.api import routes_tickets

    monkeypatch.setitem(api.client.application.config, "VALIDATE_RESPONSES", False)
    monkeypatch.setattr(routes_tickets, "public_status", lambda *a: {"code": 17})
    r = api.client.get(f"/api/v1/tickets/{world['public_token']}")
    assert r.status_code == 200 and r.get_json() == {"code": 17}
    r = api.call("POST", "/kiosk/tickets", world["kiosk"], json={"service": "consult", "lang": "fr"})
    assert r.status_code == 422 and r.get_json()["code"] == "validation"


def test_the_production_server_turns_the_answer_check_off_unless_set() -> None:
    from reception.ops.server import production_defaults

    for setting, expected in ((None, False), (True, True), (False, False)):
        config = {"VALIDATE_RESPONSES": setting}
        production_defaults(config)
        assert config["VALIDATE_RESPONSES"] is expected


def test_a_refused_body_is_our_problem_document(api, world) -> None:
    r = api.call("POST", "/kiosk/tickets", world["kiosk"], json={"service": "consult", "lang": "fr"})
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    body = r.get_json()
    assert body["code"] == "validation" and "lang" in body["detail"] and body["title"]
    r = api.call("GET", "/reception-sessions?leader=abc", world["boss"])
    assert r.status_code == 422 and r.get_json()["code"] == "validation" and "leader" in r.get_json()["detail"]

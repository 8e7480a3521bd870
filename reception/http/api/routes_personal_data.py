"""One person's data on request (docs/decisions/018): find, export as a JSON download, erase."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, jsonify
from flask.typing import ResponseReturnValue

from reception.http.api import bp
from reception.http.api.registry import ANY_OF, FILLED, PHONE_QUERY, Param, api_route, parse_body
from reception.http.api.routes_leadership import arg
from reception.http.api.schemas.personal_data import SubjectIn
from reception.http.callers import acting
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.permissions import Action
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import personal_data
from reception.notifications.subscriptions import erase_subscriptions, find_subscriptions
from reception.platform.clock import Clock

SUBJECT = (Param("phone", "query", str, False, "any written form, compared as E.164", schema=PHONE_QUERY),
           Param("surname", "query", str, False, "the whole surname, any case", schema=FILLED),
           Param("name", "query", str, False, "the first name, to tell namesakes apart"))
WHOSE = ANY_OF("phone", "surname")  # personal_data.Subject: a phone or a surname names the person


def _subject() -> personal_data.Subject:
    return personal_data.Subject.parse(arg("phone"), arg("surname"), arg("name"))


@api_route(bp, "GET", "/personal-data", summary="What is held about one person, and what may be erased now",
           tag="admin", action=Action.PERSONAL_DATA, params=SUBJECT, query_rule=WHOSE, responses={200: "PersonHeld", 401: None, 403: None, 422: None})
def find_person() -> ResponseReturnValue:
    actor = acting()
    w = wiring()
    subject = _subject()
    found = w.services.value(personal_data.find_person, actor, subject)
    return jsonify(found | {"subscriptions": _subscriptions(actor, subject)})


def _offices(actor: Any) -> Any:
    return None if actor.is_admin else actor.office_ids


def _subscriptions(actor: Any, subject: personal_data.Subject) -> list[dict[str, Any]]:
    """The consents to messages that hold the person's phone (decision 038)."""
    if not subject.phone:
        return []
    with wiring().db.read() as s:
        return find_subscriptions(s, phone=subject.phone, office_ids=_offices(actor))


def _erase_with_subscriptions(uow: UnitOfWork, clock: Clock, actor: Any, subject: personal_data.Subject,
                              lang: str) -> dict[str, Any]:
    """The person's records and bookings as the law allows, and their consents to messages, at once."""
    result = personal_data.erase_person(uow, clock, actor, subject, lang)
    erased = erase_subscriptions(uow.session, clock.now(), phone=subject.phone,
                                 office_ids=_offices(actor)) if subject.phone else 0
    if erased:  # said only when there were any (the field's default is 0)
        result["erased"]["subscriptions"] = erased
    return result


@api_route(bp, "GET", "/personal-data/export", summary="Everything held about one person (JSON download; logged)",
           tag="admin", action=Action.PERSONAL_DATA, params=SUBJECT, query_rule=WHOSE,
           responses={200: "PersonExport", 401: None, 403: None, 404: None, 422: None})
def export_person() -> ResponseReturnValue:
    actor = acting()
    w = wiring()
    subject = _subject()
    data = w.services.value(personal_data.export_person, actor, subject)
    return export_response(data | {"subscriptions": _subscriptions(actor, subject)})


def export_response(data: dict[str, object]) -> Response:
    """UTF-8 JSON as a file (Cyrillic as is, not \\u escapes), never cached."""
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body.encode("utf-8"), mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="personal-data.json"', "Cache-Control": "no-store"},
        content_type="application/json; charset=utf-8")


@api_route(bp, "POST", "/personal-data/erase", summary="Erase one person's data where the law allows (logged)",
           tag="admin", action=Action.PERSONAL_DATA, body=SubjectIn,
           responses={200: "ErasureOut", 401: None, 403: None, 404: None, 409: None, 422: None})
def erase_person() -> ResponseReturnValue:
    actor = acting()
    body = parse_body(SubjectIn)
    w = wiring()
    subject = personal_data.Subject.parse(body.phone, body.surname, body.name)
    return jsonify(w.services.value(_erase_with_subscriptions, actor, subject, request_lang()))

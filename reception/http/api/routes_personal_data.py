"""One person's data on request (docs/decisions/018): find, export as a JSON download, erase."""

from __future__ import annotations

import json

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
from reception.leadership import personal_data

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
    return jsonify(w.services.value(personal_data.find_person, actor, _subject()))


@api_route(bp, "GET", "/personal-data/export", summary="Everything held about one person (JSON download; logged)",
           tag="admin", action=Action.PERSONAL_DATA, params=SUBJECT, query_rule=WHOSE,
           responses={200: "PersonExport", 401: None, 403: None, 404: None, 422: None})
def export_person() -> ResponseReturnValue:
    actor = acting()
    w = wiring()
    return export_response(w.services.value(personal_data.export_person, actor, _subject()))


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
    return jsonify(w.services.value(personal_data.erase_person, actor, subject, request_lang()))

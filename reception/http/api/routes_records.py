"""Reception records (decision 007): register, read, change, search, print — every access logged."""

from __future__ import annotations

from datetime import date

from flask import Response, jsonify
from flask.typing import ResponseReturnValue

from reception.appeals import journal
from reception.http.api import bp
from reception.http.api.registry import PATH_ID, Param, api_route, parse_body, query_int
from reception.http.api.routes_leadership import arg, query_date
from reception.http.api.schemas.leadership import RecordIn, RecordPatch, flatten_record
from reception.http.callers import acting
from reception.http.wiring import wiring
from reception.kernel.errors import ValidationFailed
from reception.kernel.permissions import Action
from reception.leadership import records
from reception.leadership.deadlines import MAX_TOTAL_DAYS


@api_route(bp, "GET", "/records", summary="Search reception records", tag="records",
           action=Action.RECORD_READ,
           params=(Param("office", "query", str, False), Param("q", "query", str, False, "index, name, phone …"),
                   Param("kind", "query", str, False, "", ("proposal", "application", "complaint")),
                   Param("state", "query", str, False, "", ("open", "overdue", "closed")),
                   Param("from", "query", date, False, "reception date from, YYYY-MM-DD"),
                   Param("to", "query", date, False, "reception date to, YYYY-MM-DD"),
                   Param("leader", "query", int, False),
                   Param("form", "query", str, False, "", ("personal_reception", "phone", "email", "letter")),
                   Param("overdue", "query", str, False, "1: on control with the deadline passed", ("0", "1")),
                   Param("near_due", "query", int, False, "on control, due within this many days (0..45)",
                         schema={"minimum": 0, "maximum": 45}),
                   Param("mine", "query", str, False, "1: the caller is the executor", ("0", "1"))),
           responses={200: "RecordOut[]", 401: None, 403: None, 404: None, 422: None})
def list_records() -> ResponseReturnValue:
    actor = acting()
    w = wiring()
    return jsonify(w.services.value(
        records.search_records, actor, office=arg("office"), q=arg("q"), kind=arg("kind"), state=arg("state"),
        date_from=query_date("from"), date_to=query_date("to"), leader_id=query_int("leader"), form=arg("form"),
        overdue=arg("overdue") == "1", near_due_days=_near_due(), mine=arg("mine") == "1"))


def _near_due() -> int | None:
    days = query_int("near_due")
    if days is not None and not 0 <= days <= MAX_TOTAL_DAYS:
        raise ValidationFailed("error.field_choice", field="near_due")
    return days


@api_route(bp, "POST", "/records", summary="Register a reception record", tag="records",
           action=Action.RECORD_WRITE, body=RecordIn,
           responses={201: "RecordOut", 401: None, 403: None, 404: None, 409: None, 422: None})
def create_record() -> ResponseReturnValue:
    actor = acting()
    body = parse_body(RecordIn)
    w = wiring()
    return jsonify(w.services.value(journal.register, actor, body.office, flatten_record(body))), 201


@api_route(bp, "GET", "/records/{id}", summary="One reception record (the read is logged)", tag="records",
           action=Action.RECORD_READ, params=(PATH_ID,),
           responses={200: "RecordOut", 401: None, 403: None, 404: None})
def get_record(id: int) -> ResponseReturnValue:
    actor = acting()
    w = wiring()
    return jsonify(w.services.value(records.get_record, actor, id))


@api_route(bp, "PATCH", "/records/{id}", summary="Change a record, extend its deadline, remove it from control",
           tag="records", action=Action.RECORD_WRITE, body=RecordPatch, params=(PATH_ID,),
           responses={200: "RecordOut", 401: None, 403: None, 404: None, 409: None, 422: None})
def patch_record(id: int) -> ResponseReturnValue:
    actor = acting()
    body = parse_body(RecordPatch)
    w = wiring()
    return jsonify(w.services.value(records.update_record, actor, id, flatten_record(body), body.version))


@api_route(bp, "GET", "/records/{id}.pdf", summary="The record's printable card (A4 PDF, Ukrainian)",
           tag="records", action=Action.RECORD_READ, params=(PATH_ID,),
           responses={200: "application/pdf", 401: None, 403: None, 404: None})
def record_pdf(id: int) -> ResponseReturnValue:
    actor = acting()
    w = wiring()
    pdf = records.card_pdf(w.services, actor, id)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="card-{id}.pdf"',
                             "Cache-Control": "no-store"})

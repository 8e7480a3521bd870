"""Leadership reception: leaders, rules, exceptions, sessions, booking, kiosk check-in, the leader's day."""

from __future__ import annotations

from datetime import date, timedelta

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from reception.arrival.ticketing import CheckIn, check_in
from reception.http.api import bp
from reception.http.api.registry import (
    ANY_OF,
    FILLED,
    PATH_ID,
    PHONE_QUERY,
    Param,
    api_route,
    parse_body,
    query_int,
)
from reception.http.api.schemas.leadership import (
    AppointmentIn,
    CancelIn,
    CheckinIn,
    ExceptionIn,
    LeaderIn,
    RebookIn,
    RemoteIn,
    RuleIn,
)
from reception.http.callers import acting, current_kiosk
from reception.http.security import public_base_url
from reception.http.wiring import wiring
from reception.kernel.bounds import parse_date
from reception.kernel.errors import ValidationFailed
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action
from reception.kernel.phones import phone_for_search
from reception.leadership import booking, schedule, sessions
from reception.offices.lookups import office_by_code
from reception.offices.models import Office
from reception.offices.rules import office_day
from reception.platform.i18n import Text

OFFICE_Q = Param("office", "query", str, False, "office code (default: the caller's only office)")
MAX_SESSION_DAYS = 400  # the longest from..to of the sessions listed at once
PROBLEMS = {401: None, 403: None, 404: None, 409: None, 422: None}


def arg(name: str) -> str | None:
    """A query parameter; NUL (which PostgreSQL refuses in text) is bad input, not a 500."""
    value = request.args.get(name) or None
    if value is not None and "\x00" in value:
        raise ValidationFailed.because(Text.of("error.input.nul", name=name))
    return value


def query_date(name: str) -> date | None:
    return parse_date(arg(name), name)


def _office_id(actor: Actor, code: str | None) -> Office:
    """The office named, or the caller's only office."""
    with wiring().db.read() as s:
        if code:
            office = office_by_code(s, code)
            actor.require_office(office.id)
            return office
        if len(actor.office_ids) != 1:
            raise ValidationFailed.because(Text.of("error.input.office", name="office"))
        (office_id,) = actor.office_ids
        found = s.get(Office, office_id)
        assert found is not None
        return found


# --- leaders and rules ---------------------------------------------------------------------------


@api_route(bp, "GET", "/leaders", summary="List leaders", tag="leadership", action=Action.SCHEDULE_MANAGE,
           params=(OFFICE_Q,), responses={200: "LeaderOut[]", 401: None, 403: None, 404: None, 422: None})
def list_leaders() -> ResponseReturnValue:
    actor = acting()
    return jsonify(schedule.list_leaders(wiring().db, actor, arg("office")))


@api_route(bp, "POST", "/leaders", summary="Add a leader who receives citizens", tag="leadership", action=Action.SCHEDULE_MANAGE,
           body=LeaderIn, responses={201: "LeaderOut"} | PROBLEMS)
def create_leader() -> ResponseReturnValue:
    actor = acting()
    body = parse_body(LeaderIn)
    w = wiring()
    return jsonify(w.services.value(schedule.create_leader, actor, **body.model_dump())), 201


@api_route(bp, "GET", "/leaders/{id}/rules", summary="A leader's reception rules", tag="leadership",
           action=Action.SCHEDULE_MANAGE, params=(PATH_ID,),
           responses={200: "RuleOut[]", 401: None, 403: None, 404: None})
def list_rules(id: int) -> ResponseReturnValue:
    actor = acting()
    return jsonify(schedule.list_rules(wiring().db, actor, id))


@api_route(bp, "POST", "/leaders/{id}/rules",
           summary="Add a recurring reception rule; sessions are materialised (409 room_taken: the room has "
                   "another reception then, named in params)", tag="leadership", action=Action.SCHEDULE_MANAGE, body=RuleIn, params=(PATH_ID,),
           responses={201: "RuleOut"} | PROBLEMS)
def create_rule(id: int) -> ResponseReturnValue:
    actor = acting()
    body = parse_body(RuleIn)
    w = wiring()
    return jsonify(w.services.value(schedule.add_rule, actor, id, **body.model_dump())), 201


@api_route(bp, "POST", "/reception-rules/{id}/end", summary="Stop a rule (published sessions stay)",
           tag="leadership", action=Action.SCHEDULE_MANAGE, params=(PATH_ID,),
           responses={200: "RuleOut", 401: None, 403: None, 404: None})
def end_rule(id: int) -> ResponseReturnValue:
    actor = acting()
    w = wiring()
    return jsonify(w.services.value(schedule.end_rule, actor, id))


@api_route(bp, "POST", "/reception-rules/{id}/exceptions",
           summary="Cancel or move one date of a rule (returns the bookings to inform; a move onto another "
                   "reception's hours in the room: 409 room_taken)", tag="leadership",
           action=Action.SCHEDULE_MANAGE, body=ExceptionIn, params=(PATH_ID,),
           responses={201: "ExceptionOut"} | PROBLEMS)
def create_exception(id: int) -> ResponseReturnValue:
    actor = acting()
    body = parse_body(ExceptionIn)
    w = wiring()
    result = w.services.value(schedule.add_exception, actor, id, rule_date=body.date, action=body.action,
                              new_date=body.new_date, new_start=body.start, new_end=body.end, reason=body.reason)
    return jsonify(result), 201


# --- sessions ------------------------------------------------------------------------------------


@api_route(bp, "GET", "/reception-sessions", summary="Dated reception sessions with free slots", tag="leadership",
           action=Action.SCHEDULE_READ, params=(OFFICE_Q, Param("from", "query", date, False, "YYYY-MM-DD (default today)"),
                                Param("to", "query", date, False, "YYYY-MM-DD (default from + 28 days; at most 400 days after from)"),
                                Param("leader", "query", int, False, "leader id")),
           responses={200: "ReceptionSessionOut[]", 401: None, 403: None, 404: None, 422: None})
def list_sessions() -> ResponseReturnValue:
    actor = acting()
    w = wiring()
    office = _office_id(actor, arg("office"))
    start = query_date("from") or office_day(w.clock.now(), office.timezone)
    end = query_date("to") or start + timedelta(days=28)
    if end < start or (end - start).days > MAX_SESSION_DAYS:
        raise ValidationFailed.because(Text.of("error.input.period", count=MAX_SESSION_DAYS, name="to"))
    return jsonify(sessions.list_sessions(w.db, w.clock, office.id, start, end, leader_id=query_int("leader")))


@api_route(bp, "PATCH", "/reception-sessions/{id}", summary="Hold a session remotely by video link (or not)",
           tag="leadership", action=Action.SCHEDULE_MANAGE, body=RemoteIn, params=(PATH_ID,),
           responses={200: "ReceptionSessionOut"} | PROBLEMS)
def patch_session(id: int) -> ResponseReturnValue:
    actor = acting()
    body = parse_body(RemoteIn)
    w = wiring()
    return jsonify(w.services.value(schedule.set_remote, actor, id, remote=body.remote, video_url=body.video_url))


# --- booking -------------------------------------------------------------------------------------


@api_route(bp, "POST", "/reception-sessions/{id}/appointments", summary="Book a visitor (409 when full)",
           tag="leadership", action=Action.APPOINTMENT_BOOK, body=AppointmentIn, params=(PATH_ID,),
           responses={201: "AppointmentOut"} | PROBLEMS)
def book(id: int) -> ResponseReturnValue:
    actor = acting()
    body = parse_body(AppointmentIn)
    w = wiring()
    visitor = body.visitor.model_dump()
    if body.notify is not None:  # the visitor's consent to messages (decision 038)
        from flask import current_app

        from reception.notifications.bookings import book_with_consent
        from reception.notifications.config import NotifyConfig

        result = w.services.value(book_with_consent, actor, id, consent=body.notify.consent, sms=body.notify.sms,
                                  email=body.notify.email, config=NotifyConfig.from_mapping(current_app.config),
                                  slot=body.slot, category=body.category, topic=body.topic, lang=body.lang, **visitor)
        return jsonify(result), 201
    result = w.services.value(booking.book, actor, id, slot=body.slot, category=body.category, topic=body.topic,
                              lang=body.lang, **visitor)
    return jsonify(result), 201


@api_route(bp, "GET", "/reception-sessions/{id}/appointments", summary="Bookings of a session, in slot order",
           tag="leadership", action=Action.APPOINTMENT_READ,
           params=(PATH_ID,), responses={200: "AppointmentOut[]", 401: None, 403: None, 404: None})
def session_appointments(id: int) -> ResponseReturnValue:
    actor = acting()
    w = wiring()
    return jsonify(booking.find_appointments(w.db, w.clock, actor, session_id=id))


@api_route(bp, "GET", "/appointments", summary="Find bookings by code, by phone (however written) or by surname",
           tag="leadership", action=Action.APPOINTMENT_SEARCH,
           params=(Param("code", "query", str, False, "booking code", schema=FILLED),
                   Param("phone", "query", str, False, "any written form: 0501112233, +38 050 111-22-33",
                         schema=PHONE_QUERY),
                   Param("surname", "query", str, False, "the start of the surname, any case", schema=FILLED)),
           query_rule=ANY_OF("code", "phone", "surname"),
           responses={200: "AppointmentOut[]", 401: None, 403: None, 422: None})
def find_appointments() -> ResponseReturnValue:
    actor = acting()
    w = wiring()
    phone = arg("phone")
    if phone is not None:  # refused as the document states, even when a code decides the search
        phone_for_search(phone)
    return jsonify(booking.find_appointments(w.db, w.clock, actor, code=arg("code"), phone=phone,
                                             surname=arg("surname")))


@api_route(bp, "POST", "/appointments/{id}/cancel", summary="Cancel a booking (frees the place)",
           tag="leadership", action=Action.APPOINTMENT_BOOK, body=CancelIn, params=(PATH_ID,),
           responses={200: "AppointmentOut"} | PROBLEMS)
def cancel_appointment(id: int) -> ResponseReturnValue:
    actor = acting()
    body = parse_body(CancelIn)
    w = wiring()
    return jsonify(w.services.value(booking.cancel, actor, id, body.reason))


@api_route(bp, "POST", "/appointments/{id}/rebook", summary="Move a booking to another slot or session",
           tag="leadership", action=Action.APPOINTMENT_BOOK, body=RebookIn, params=(PATH_ID,),
           responses={200: "AppointmentOut"} | PROBLEMS)
def rebook_appointment(id: int) -> ResponseReturnValue:
    actor = acting()
    body = parse_body(RebookIn)
    w = wiring()
    return jsonify(w.services.value(booking.rebook, actor, id, body.session, body.slot))


# --- kiosk and desk ------------------------------------------------------------------------------


@api_route(bp, "POST", "/kiosk/checkin", summary="Check in a booked appointment: its ticket", tag="kiosk",
           action=Action.KIOSK_ISSUE, body=CheckinIn, responses={201: "KioskTicketOut", 429: None, 503: None} | PROBLEMS)
def kiosk_checkin() -> ResponseReturnValue:
    body = parse_body(CheckinIn)
    arrival = CheckIn(body.booking_code, body.lang)
    return jsonify(check_in(wiring().services, current_kiosk(), public_base_url(), arrival)), 201


@api_route(bp, "GET", "/desks/{code}/appointments", summary="The leader's day at a desk: sessions and visitors",
           tag="desk", action=Action.APPOINTMENT_READ,
           params=(Param("date", "query", date, False, "YYYY-MM-DD (default today)"), OFFICE_Q),
           responses={200: "DeskDaySession[]", 401: None, 403: None, 404: None, 422: None})
def desk_appointments(code: str) -> ResponseReturnValue:
    actor = acting()
    w = wiring()
    if "\x00" in code:
        raise ValidationFailed.because(Text.of("error.input.nul", name="code"))
    day = query_date("date")
    office_code = arg("office")
    if day is None:
        office = _office_id(actor, office_code)
        day = office_day(w.clock.now(), office.timezone)
    return jsonify(booking.desk_day(w.db, w.clock, actor, code, day, office_code))


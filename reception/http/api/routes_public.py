"""The public booking API: no sign-in, no personal data in any answer but the visitor's own booking.

Anonymous JSON calls carry no cookie a forged page could ride on, so they need no CSRF token (as the
token and kiosk endpoints); every one is rate-limited per address, and those that send a code per phone
or e-mail too (``reception.http.public_limits``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from reception.booking import commands as booking
from reception.booking import remote
from reception.http.api import bp
from reception.http.api.registry import FILLED, Param, api_route, parse_body
from reception.http.api.schemas.booking import (
    BookingCancelIn,
    BookingCodeIn,
    BookingVisitorIn,
    PublicBookingIn,
    RemoteTicketIn,
    StaffBookingIn,
)
from reception.http.callers import acting
from reception.http.public_limits import take_public_read, take_public_try
from reception.http.wiring import wiring
from reception.kernel.bounds import parse_date
from reception.kernel.errors import ValidationFailed
from reception.kernel.permissions import Action

OFFICE = Param("office", "query", str, True, "the office's code", schema=FILLED)
SERVICE = Param("service", "query", str, True, "the service's code", schema=FILLED)
DAY = Param("date", "query", date, True, "the office-local day, YYYY-MM-DD")


def visitor_of(sent: BookingVisitorIn, lang: str) -> booking.Visitor:
    """The visitor as the booking stores them: names trimmed (of what the schema calls blank)."""
    return booking.Visitor(surname=sent.surname.strip() or sent.surname, name=sent.name.strip() or sent.name,
                           phone=sent.phone, email=sent.email, lang=lang)


@api_route(bp, "GET", "/public/offices", summary="Offices and services open to booking", tag="public",
           action=Action.PUBLIC, responses={200: "PublicOffice[]", 429: None})
def public_offices() -> ResponseReturnValue:
    take_public_read()
    with wiring().db.read() as s:
        return jsonify(booking.bookable_offices(s))


@api_route(bp, "GET", "/public/slots", summary="A day's bookable times and their free places (no personal data)",
           tag="public", action=Action.PUBLIC, params=(OFFICE, SERVICE, DAY),
           responses={200: "PublicSlot[]", 404: None, 429: None})
def public_slots() -> ResponseReturnValue:
    take_public_read()
    day = parse_date(request.args["date"], "date", exact=True)
    if day is None:
        raise ValidationFailed("error.validation")
    w = wiring()
    with w.db.read() as s:
        return jsonify(booking.free_slots(s, w.clock.now(), request.args["office"], request.args["service"], day))


@api_route(bp, "POST", "/public/bookings",
           summary="Ask for a booking: a one-time code goes out by SMS or e-mail (409 slot_taken, booking_closed, "
                   "booking_cap_reached)",
           tag="public", action=Action.PUBLIC, body=PublicBookingIn,
           responses={202: "VerificationOut", 404: None, 409: None, 429: None})
def public_booking() -> ResponseReturnValue:
    body = parse_body(PublicBookingIn)
    take_public_try(body.visitor.phone or body.visitor.email)
    if not body.consent:
        raise ValidationFailed("selfbook.error.consent_required")
    visitor = replace(visitor_of(body.visitor, body.lang), topic=body.topic)
    answer = wiring().services.value(booking.request_booking, office=body.office, service=body.service,
                                     at=body.at, visitor=visitor)
    return jsonify(answer), 202


@api_route(bp, "POST", "/public/bookings/{request_id}/confirm",
           summary="Confirm with the one-time code: the booking (409 slot_taken, booking_closed, booking_cap_reached, "
                   "code_dead; 422 a wrong code, with the tries left)",
           tag="public", action=Action.PUBLIC, body=BookingCodeIn,
           responses={201: "BookingConfirmedOut", 404: None, 409: None, 429: None})
def public_booking_confirm(request_id: str) -> ResponseReturnValue:
    return _confirmed(booking.confirm_booking, request_id)


@api_route(bp, "POST", "/public/bookings/{booking_code}/cancel", summary="Cancel a booking by its cancel token",
           tag="public", action=Action.PUBLIC, body=BookingCancelIn,
           responses={200: "BookingCancelledOut", 404: None, 409: None, 429: None})
def public_booking_cancel(booking_code: str) -> ResponseReturnValue:
    body = parse_body(BookingCancelIn)
    take_public_try()
    return jsonify(wiring().services.value(booking.cancel_booking, booking_code, body.cancel_token))


@api_route(bp, "POST", "/public/remote-tickets",
           summary="Join a service's live queue from a phone: a one-time code goes out (409 booking_closed where the "
                   "office does not allow it, booking_cap_reached)",
           tag="public", action=Action.PUBLIC, body=RemoteTicketIn,
           responses={202: "VerificationOut", 404: None, 409: None, 429: None})
def public_remote_ticket() -> ResponseReturnValue:
    body = parse_body(RemoteTicketIn)
    take_public_try(body.phone or body.email)
    answer = wiring().services.value(remote.request_remote, office=body.office, service=body.service,
                                     phone=body.phone, email=body.email, lang=body.lang)
    return jsonify(answer), 202


@api_route(bp, "POST", "/public/remote-tickets/{request_id}/confirm",
           summary="Confirm with the one-time code: the place (its code for the kiosk, its public token)",
           tag="public", action=Action.PUBLIC, body=BookingCodeIn,
           responses={201: "RemoteTicketOut", 404: None, 409: None, 429: None})
def public_remote_ticket_confirm(request_id: str) -> ResponseReturnValue:
    return _confirmed(remote.confirm_remote, request_id)


def _confirmed(confirm: Any, request_id: str) -> ResponseReturnValue:
    """A one-time code's answer, for a booking or a remote place alike: 201, or 422 with the tries left."""
    body = parse_body(BookingCodeIn)
    take_public_try()
    answer = wiring().services.value(confirm, request_id, body.code)
    if isinstance(answer, booking.WrongCode):
        raise ValidationFailed("selfbook.error.wrong_code", left=answer.left)
    return jsonify(answer), 201


@api_route(bp, "GET", "/public/remote-tickets/{public_token}", summary="A remote place: how many are ahead, "
           "about when to come", tag="public", action=Action.PUBLIC,
           responses={200: "RemoteTicketStatus", 404: None, 429: None})
def public_remote_ticket_status(public_token: str) -> ResponseReturnValue:
    take_public_read()
    w = wiring()
    with w.db.read() as s:
        return jsonify(remote.remote_status(s, w.clock.now(), public_token))


@api_route(bp, "POST", "/bookings", summary="The call-centre books a specialist service on the phone, through the "
           "same rules (409 slot_taken, booking_closed, booking_cap_reached unless override_cap, audited)",
           tag="booking", action=Action.APPOINTMENT_BOOK, body=StaffBookingIn,
           responses={201: "StaffBookingOut", 404: None, 409: None})
def staff_booking() -> ResponseReturnValue:
    body = parse_body(StaffBookingIn)
    visitor = visitor_of(body.visitor, body.lang)
    answer = wiring().services.value(booking.book_for_caller, acting(), office=body.office, service=body.service,
                                     at=body.at, visitor=visitor, override_cap=body.override_cap)
    return jsonify(answer), 201

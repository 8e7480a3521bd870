"""Kiosk endpoints: the menu and taking a ticket (printing is attempted after the commit)."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from reception.arrival.menu import kiosk_menu
from reception.arrival.ticketing import WalkIn, walk_in
from reception.http.api import bp
from reception.http.api.registry import Param, api_route, parse_body
from reception.http.api.schemas.kiosk import KioskTicketIn
from reception.http.callers import acting, current_kiosk
from reception.http.language import request_lang
from reception.http.security import public_base_url
from reception.http.wiring import wiring
from reception.kernel.permissions import Action

LANG = Param("lang", "query", str, False, "uk (default) or en", ("uk", "en"))


@api_route(bp, "GET", "/kiosk/menu", summary="The kiosk's office, services and priority categories",
           tag="kiosk", action=Action.KIOSK_ISSUE, params=(LANG,), responses={200: "KioskMenu", 401: None, 403: None})
def menu() -> ResponseReturnValue:
    actor = acting()
    w = wiring()
    (office_id,) = actor.office_ids
    # The kiosk polls its menu: that is its heartbeat for staff (throttled, see Heartbeat).
    if actor.device_id is not None:
        w.kiosk_heartbeat.seen(w.db, w.clock, actor.device_id)
    return jsonify(kiosk_menu(w.db, w.clock, office_id, request_lang()))


@api_route(bp, "POST", "/kiosk/tickets", summary="Take a ticket for a service", tag="kiosk", action=Action.KIOSK_ISSUE,
           body=KioskTicketIn,
           responses={201: "KioskTicketOut", 401: None, 403: None, 404: None, 409: None, 422: None, 429: None,
                      503: None})
def take_ticket() -> ResponseReturnValue:
    body = parse_body(KioskTicketIn)
    tap = WalkIn(body.service, body.priority, body.lang, body.idempotency_key)
    return jsonify(walk_in(wiring().services, current_kiosk(), public_base_url(), tap)), 201


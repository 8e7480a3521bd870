"""Ticket transitions, the public status, and the staff queue view."""

from __future__ import annotations

import re
from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from reception.http.api import bp
from reception.http.api.registry import Param, api_route, parse_body
from reception.http.api.schemas.queue import FinishIn, ReasonIn, TransferIn
from reception.http.callers import acting
from reception.http.wiring import wiring
from reception.kernel.errors import NotFound
from reception.kernel.permissions import Action
from reception.offices.lookups import office_by_code
from reception.queue import commands as queue
from reception.queue.models import Ticket
from reception.queue.reads import public_status, queue_view, ticket_history

PUBLIC_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")  # what new_public_token() makes; never reaches SQL otherwise
TICKET_ID = Param("id", "path", int, True, "ticket id")
TRANSITION_RESPONSES = {200: "Ticket", 401: None, 403: None, 404: None, 409: None}


def _run(command: Any, ticket_id: int, **kwargs: Any) -> ResponseReturnValue:
    actor = acting()
    return jsonify(wiring().services.value(command, actor, ticket_id, **kwargs).ticket)


def _simple(action: str, permission: Action, summary: str, command: Any) -> None:
    def view(id: int) -> ResponseReturnValue:
        return _run(command, id)

    view.__name__ = f"ticket_{action.replace('-', '_')}"
    api_route(bp, "POST", f"/tickets/{{id}}/{action}", summary=summary, tag="tickets", action=permission,
              params=(TICKET_ID,), responses=TRANSITION_RESPONSES)(view)


_simple("recall", Action.TICKET_RECALL, "Call the visitor again", queue.recall)
_simple("start", Action.TICKET_START, "Start serving the called visitor", queue.start)
_simple("no-show", Action.TICKET_NO_SHOW, "Mark that the called visitor did not come", queue.no_show)
_simple("reactivate", Action.TICKET_REACTIVATE, "Put a late no-show back into the queue", queue.reactivate)


@api_route(bp, "POST", "/tickets/{id}/cancel", summary="Cancel an open ticket", tag="tickets",
           action=Action.TICKET_CANCEL, params=(TICKET_ID,), body=ReasonIn, responses=TRANSITION_RESPONSES | {422: None})
def ticket_cancel(id: int) -> ResponseReturnValue:
    body = parse_body(ReasonIn)
    return _run(queue.cancel, id, reason=body.reason)


@api_route(bp, "POST", "/tickets/{id}/finish", summary="Finish the visit with an outcome", tag="tickets",
           action=Action.TICKET_FINISH, params=(TICKET_ID,), body=FinishIn, responses=TRANSITION_RESPONSES | {422: None})
def ticket_finish(id: int) -> ResponseReturnValue:
    body = parse_body(FinishIn)
    return _run(queue.finish, id, outcome=body.outcome, note=body.note)


@api_route(bp, "POST", "/tickets/{id}/transfer", summary="Transfer to another service or desk, same code (409 desk_closed: the desk is closed)",
           tag="tickets", action=Action.TICKET_TRANSFER, params=(TICKET_ID,), body=TransferIn,
           responses=TRANSITION_RESPONSES | {422: None})
def ticket_transfer(id: int) -> ResponseReturnValue:
    body = parse_body(TransferIn)
    return _run(queue.transfer, id, service_code=body.service, desk_code=body.desk, note=body.note)


@api_route(bp, "GET", "/tickets/{id}/events", summary="The visit's history across transfers", tag="tickets",
           action=Action.QUEUE_READ, params=(TICKET_ID,), responses={200: "TicketEvent[]", 401: None, 403: None, 404: None})
def ticket_events(id: int) -> ResponseReturnValue:
    actor = acting()
    with wiring().db.read() as s:
        return jsonify(ticket_history(s, actor, id))


@api_route(bp, "GET", "/tickets/{public_token}", summary="Public status of a ticket (no personal data)",
           tag="public", action=Action.PUBLIC, responses={200: "PublicStatus", 404: None})
def ticket_status(public_token: str) -> ResponseReturnValue:
    with wiring().db.read() as s:
        well_formed = PUBLIC_TOKEN.fullmatch(public_token) is not None
        ticket = s.scalar(select(Ticket).where(Ticket.public_token == public_token)) if well_formed else None
        if ticket is None:
            raise NotFound("error.unknown_ticket")
        return jsonify(public_status(s, ticket, wiring().clock.now()))


@api_route(bp, "GET", "/offices/{code}/queue", summary="Waiting per service, current calls, desks, version",
           tag="queue", action=Action.QUEUE_READ, responses={200: "QueueView", 401: None, 403: None, 404: None})
def office_queue(code: str) -> ResponseReturnValue:
    actor = acting()
    with wiring().db.read() as s:
        office = office_by_code(s, code)
        actor.require_office(office.id)
        return jsonify(queue_view(s, office))

"""The outbox's messages and their state, for managers and auditors (decision 037)."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from reception.http.api import bp
from reception.http.api.registry import Param, api_route, query_int
from reception.http.api.routes_leadership import arg
from reception.http.callers import acting
from reception.http.wiring import wiring
from reception.kernel.permissions import Action
from reception.notifications.models import MESSAGE_STATUSES
from reception.notifications.reads import list_messages

PARAMS = (Param("office", "query", str, False, "office code; left out: every office the caller may see"),
          Param("ticket", "query", int, False, "a ticket's id"),
          Param("status", "query", str, False, "queued, sent or failed", enum=MESSAGE_STATUSES))


@api_route(bp, "GET", "/messages", summary="Messages to visitors and their state, newest first (addresses masked)",
           tag="notifications", action=Action.MESSAGES_READ, params=PARAMS,
           responses={200: "MessageOut[]", 401: None, 403: None, 404: None, 422: None})
def messages() -> ResponseReturnValue:
    actor = acting()
    with wiring().db.read() as s:  # an id no ticket has: no messages
        return jsonify(list_messages(s, actor, office=arg("office"), ticket=query_int("ticket"), status=arg("status")))

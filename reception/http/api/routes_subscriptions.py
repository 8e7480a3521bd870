"""The visitor's channel on the phone page: subscribe (Telegram, Viber, SMS, e-mail), unsubscribe with
one tap, and the two replies ("I'm running late", "cancel"). Anyone holding the ticket's public token
may: it is the key the QR code gives (decision 038)."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from reception.http.api import bp
from reception.http.api.registry import Param, api_route, parse_body
from reception.http.api.routes_tickets import PUBLIC_TOKEN
from reception.http.api.schemas.notifications import SubscriptionIn, VisitorReplyIn
from reception.http.limits import take_subscription_try
from reception.http.wiring import wiring
from reception.kernel.errors import DomainError, NotFound
from reception.kernel.permissions import Action
from reception.notifications.config import NotifyConfig
from reception.notifications.replies import reply_from_page
from reception.notifications.subscriptions import subscribe, ticket_subscriptions, unsubscribe
from reception.queue.models import Ticket


class TooManySubscriptions(DomainError):
    status = 429
    key = "error.too_many_subscriptions"


def _config() -> NotifyConfig:
    return NotifyConfig.from_mapping(current_app.config)


def _token(public_token: str | None) -> str:
    if not public_token or PUBLIC_TOKEN.fullmatch(public_token) is None:
        raise NotFound("error.unknown_ticket")
    return public_token


@api_route(bp, "POST", "/tickets/{public_token}/subscriptions",
           summary="Notify me about this ticket (201 made; 200 the ticket's existing one for that channel)",
           tag="public", action=Action.PUBLIC, body=SubscriptionIn,
           responses={201: "SubscriptionOut", 200: "SubscriptionOut", 400: None, 404: None, 409: None, 429: None})
def ticket_subscribe(public_token: str) -> ResponseReturnValue:
    token = _token(public_token)
    body = parse_body(SubscriptionIn)
    if body.channel in ("sms", "email"):
        with wiring().db.read() as s:
            office_id = s.scalar(select(Ticket.office_id).where(Ticket.public_token == token))
        if office_id is None:
            raise NotFound("error.unknown_ticket")
        if not take_subscription_try(token, str(office_id)):
            raise TooManySubscriptions()
    view, made = wiring().services.value(subscribe, token, body.channel, body.address, _config())
    return jsonify(view), 201 if made else 200


@api_route(bp, "GET", "/tickets/{public_token}/subscriptions", summary="This ticket's live subscriptions",
           tag="public", action=Action.PUBLIC, responses={200: "SubscriptionOut[]", 404: None})
def ticket_subscriptions_list(public_token: str) -> ResponseReturnValue:
    token = _token(public_token)
    with wiring().db.read() as s:
        ticket = s.scalar(select(Ticket).where(Ticket.public_token == token))
        if ticket is None:
            raise NotFound("error.unknown_ticket")
        return jsonify(ticket_subscriptions(s, ticket, _config()))


@api_route(bp, "DELETE", "/subscriptions/{id}", summary="Unsubscribe with one tap (404 unless the token is the ticket's)",
           tag="public", action=Action.PUBLIC,
           params=(Param("id", "path", int, True, "subscription id"),
                   Param("token", "query", str, False, "the ticket's public token")),
           responses={204: None, 404: None})
def subscription_delete(id: int) -> ResponseReturnValue:
    token = request.args.get("token", "")
    if not token or PUBLIC_TOKEN.fullmatch(token) is None:
        raise NotFound("error.unknown_subscription")
    wiring().services.value(unsubscribe, id, token)
    return "", 204


@api_route(bp, "POST", "/tickets/{public_token}/replies",
           summary="The visitor's reply from the phone page: late (moves back a few places, once) or cancel",
           tag="public", action=Action.PUBLIC, body=VisitorReplyIn,
           responses={200: "VisitorReplyOut", 404: None, 409: None})
def ticket_reply(public_token: str) -> ResponseReturnValue:
    token = _token(public_token)
    body = parse_body(VisitorReplyIn)
    answer = wiring().services.value(reply_from_page, token, body.action, _config())
    return jsonify({"ok": answer.ok, "message": answer.text})

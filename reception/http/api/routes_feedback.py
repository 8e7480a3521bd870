"""Feedback: a visitor rates a finished visit on the phone page (by its public token) or in the hall
(a paired kiosk, by the code on the slip). Rate-limited per address, and per kiosk in the hall."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue

from reception.feedback.service import Given, give_by_token, give_in_hall
from reception.http.api import bp
from reception.http.api.registry import Param, api_route, parse_body
from reception.http.api.schemas.feedback import FeedbackIn, HallFeedbackIn
from reception.http.callers import acting
from reception.http.limits import take
from reception.http.problems import problem
from reception.http.security import client_address
from reception.http.wiring import wiring
from reception.kernel.permissions import Action

VIA = Param("via", "query", str, False, "phone (default), or message: the page was opened from the "
            "\"how did it go\" message's link", ("phone", "message"))
FEEDBACK_ANSWERS = {201: "FeedbackOut", 404: None, 409: None, 422: None, 429: None}


def _over_limit(rule: str, *key: str) -> bool:
    """Count one rating for ``key`` (shared by the processes through the limiter's storage)."""
    return not take(current_app.config[rule], "feedback", *key)


def _answer(given: Given) -> ResponseReturnValue:
    return jsonify({"id": given.id, "score": given.score, "via": given.via}), 201


@api_route(bp, "POST", "/tickets/{public_token}/feedback",
           summary="Rate a finished visit, once, within the window (409 visit_not_finished, feedback_given, "
                   "feedback_window_closed)", tag="public", action=Action.PUBLIC, body=FeedbackIn, params=(VIA,),
           responses=FEEDBACK_ANSWERS)
def ticket_feedback(public_token: str) -> ResponseReturnValue:
    body = parse_body(FeedbackIn)
    if _over_limit("FEEDBACK_RATE", "address", client_address()):
        return problem(429, "error.too_many_requests")
    w = wiring()
    via = "message" if request.args.get("via") == "message" else "phone"
    return _answer(w.services.value(give_by_token, public_token, body.score, body.comment, via=via,
                                    window_hours=current_app.config["FEEDBACK_WINDOW_HOURS"]))


@api_route(bp, "POST", "/kiosk/feedback",
           summary="The hall survey: rate today's finished visit by the code on its slip", tag="kiosk",
           action=Action.KIOSK_ISSUE, body=HallFeedbackIn, responses=FEEDBACK_ANSWERS | {401: None, 403: None})
def kiosk_feedback() -> ResponseReturnValue:
    body = parse_body(HallFeedbackIn)
    actor = acting()
    (office_id,) = actor.office_ids
    if _over_limit("KIOSK_TICKET_RATE", "device", str(actor.device_id)):
        return problem(429, "error.too_many_requests")
    w = wiring()
    return _answer(w.services.value(give_in_hall, office_id, body.code, body.score, body.comment,
                                    window_hours=current_app.config["FEEDBACK_WINDOW_HOURS"]))

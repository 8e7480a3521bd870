"""POST /auth/token: a user token for integrators."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, jsonify
from flask.typing import ResponseReturnValue

from reception.accounts.auth import USER_TOKEN_TTL_S, issue_user_token
from reception.accounts.models import User
from reception.accounts.service import change_own_password
from reception.http.api import bp
from reception.http.api.registry import api_route, parse_body
from reception.http.api.schemas.accounts import OwnPasswordIn, TokenIn
from reception.http.callers import acting
from reception.http.signin import sign_in
from reception.http.wiring import wiring
from reception.kernel.errors import Forbidden
from reception.kernel.permissions import Action
from reception.queue.reads import iso_local


@api_route(bp, "POST", "/auth/token", summary="Exchange username and password for a bearer token",
           tag="auth", action=Action.PUBLIC, body=TokenIn, responses={200: "TokenOut", 401: None, 422: None, 429: None})
def auth_token() -> ResponseReturnValue:
    body = parse_body(TokenIn)
    user = sign_in(body.username, body.password)
    return _token_answer(user)


def _token_answer(user: User) -> ResponseReturnValue:
    cfg = current_app.config
    token = issue_user_token(cfg["SECRET_KEY"], user.id, user.password_hash, user.token_generation)
    expires = wiring().clock.now() + timedelta(seconds=USER_TOKEN_TTL_S)
    return jsonify({"token": token, "expires_at": iso_local(expires, cfg["TIMEZONE"])})


@api_route(bp, "POST", "/auth/password", summary="Change one's own password (clears must-change; old tokens stop)",
           tag="auth", action=Action.PASSWORD_CHANGE, body=OwnPasswordIn,
           responses={200: "TokenOut", 400: None, 401: None, 403: None, 422: None})
def own_password() -> ResponseReturnValue:
    """The caller's new password; the answer is a fresh token, since every token of the old one stops working."""
    body = parse_body(OwnPasswordIn)
    actor = acting()
    if actor.user_id is None:
        raise Forbidden("error.role")
    w = wiring()
    user = w.services.value(change_own_password, actor.user_id, body.current_password, body.new_password)
    return _token_answer(user)

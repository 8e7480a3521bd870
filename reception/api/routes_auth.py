"""POST /auth/token: a user token for integrators."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, jsonify
from flask.typing import ResponseReturnValue

from ..auth import USER_TOKEN_TTL_S, issue_user_token
from ..readmodels import iso_local
from ..signin import sign_in
from ..web import wiring
from . import bp
from .registry import api_route, parse_body
from .schemas import TokenIn


@api_route(bp, "POST", "/auth/token", summary="Exchange username and password for a bearer token",
           tag="auth", who="anyone", body=TokenIn, responses={200: "TokenOut", 401: None, 422: None, 429: None}, auth=False)
def auth_token() -> ResponseReturnValue:
    body = parse_body(TokenIn)
    w = wiring()
    cfg = current_app.config
    user = sign_in(body.username, body.password)
    token = issue_user_token(cfg["SECRET_KEY"], user.id, user.password_hash)
    expires = w.clock.now() + timedelta(seconds=USER_TOKEN_TTL_S)
    return jsonify({"token": token, "expires_at": iso_local(expires, cfg["TIMEZONE"])})

"""What every request pays around its view is made once, not per request (decision 026): the cookie's
signer per key set, and no hash of the caller's address and agent while session protection is off."""

from __future__ import annotations

from typing import Any

from flask.sessions import SecureCookieSessionInterface

from reception.http.callers import login_manager


def test_session_protection_off_computes_no_identifier(app, api, monkeypatch) -> None:
    token = api.user("olena", ["operator"])
    hashed: list[str] = []

    def identifier() -> str:
        hashed.append("x")
        return "id"

    monkeypatch.setattr(login_manager, "_session_identifier_generator", identifier)
    assert api.call("GET", "/offices/T1/queue", token).status_code == 200
    assert hashed == []
    app.config["SESSION_PROTECTION"] = "basic"  # set, it is Flask-Login's own check again
    assert api.call("GET", "/offices/T1/queue", token).status_code == 200
    assert hashed == ["x"]


def test_the_cookie_signer_is_made_once_per_key_set(app, client, monkeypatch) -> None:
    made: list[Any] = []
    real = SecureCookieSessionInterface.get_signing_serializer

    def counting(self: Any, application: Any) -> Any:
        made.append(application.secret_key)
        return real(self, application)

    monkeypatch.setattr(SecureCookieSessionInterface, "get_signing_serializer", counting)
    for _ in range(3):
        assert client.get("/login").status_code == 200  # opens and saves the session (a CSRF token)
    assert made == ["test-secret"]
    app.secret_key = "rotated-secret"
    assert client.get("/login").status_code == 200
    assert made == ["test-secret", "rotated-secret"]
    cookie = client.get_cookie("session")
    assert cookie is not None
    signer = app.session_interface.get_signing_serializer(app)
    assert signer is not None and signer.loads(cookie.value)  # signed with the key now in force


def test_no_rate_limit_code_runs_around_requests_no_rule_names(app, api) -> None:
    """Limits are counted where their rule is checked (the kiosk's tickets, sign-in, pairing, ...):
    nothing of theirs runs before, after or at the end of every request."""
    hooks = [f for funcs in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs)
             for f in funcs.get(None, [])]
    assert hooks and not [f for f in hooks if "limit" in f"{f.__module__}.{f.__qualname__}".lower()]
    kiosk = api.device("kiosk")
    app.config["KIOSK_TICKET_RATE"] = "1 per minute"  # and the kiosk's own limit still holds
    statuses = [api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).status_code for _ in range(2)]
    assert statuses == [201, 429]

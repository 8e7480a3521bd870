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

"""CSRF (Flask-WTF): a signed-in browser's unsafe requests need the token of its own session; bearer
calls need none (there is no cookie for a forged page to ride on)."""

from __future__ import annotations

from tests.fakes import add_user
from tests.web.desk.helpers import csrf_from

PAGE = "/backoffice/office/suspend"


def _signed_in_page(app, db, clock, username: str):
    from tests.fakes import signed_in

    client = app.test_client()
    signed_in(client, db, clock, add_user(db, clock, username, ["manager"], ["T1"]), csrf=f"raw-{username}")
    return client, csrf_from(client.get(PAGE).get_data(as_text=True))


def test_a_token_only_works_in_the_session_it_was_made_for(app, db, clock, office) -> None:
    mine, my_token = _signed_in_page(app, db, clock, "mgr1")
    theirs, their_token = _signed_in_page(app, db, clock, "mgr2")
    assert my_token != their_token
    form = {"office": "T1", "reason": "air_raid"}
    refused = mine.post(PAGE, data={**form, "csrf_token": their_token})
    assert refused.status_code == 403
    assert mine.post(PAGE, data={**form, "csrf_token": my_token}).status_code == 302


def test_fetch_sends_it_as_a_header_and_bearer_calls_need_none(app, db, clock, office, api) -> None:
    client, token = _signed_in_page(app, db, clock, "mgr3")
    path = "/api/v1/offices/T1/suspend"
    assert client.post(path, json={"reason": "air_raid"}).status_code == 403  # cookie without the token
    assert client.post(path, json={"reason": "air_raid"}, headers={"X-CSRF-Token": token}).status_code in (200, 201)
    bearer = api.user("mgr4", ["manager"], ["T1"])
    assert api.call("POST", "/offices/T1/resume", bearer, json={}).status_code == 200

"""Revocation reaches open sockets, enforced by the server: a revoked display's socket and a user's desk
socket (disabled, password changed, roles changed) are disconnected at once and hear nothing more."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from reception.accounts.models import Device
from reception.http.realtime import DESK_NS, DISPLAY_NS, socketio


@pytest.fixture
def app(db, db_url: str, clock) -> Iterator[Any]:
    """The real Socket.IO publisher (the default test app only records events)."""
    from tests.fakes import make_test_app

    application = make_test_app(db_url, clock)
    yield application
    application.extensions["reception"].db.dispose()


def _names(received: list[dict[str, Any]]) -> list[str]:
    return [e["name"] for e in received]


def _heard(sc: Any, namespace: str) -> list[str]:
    """What the socket received and nobody read yet (also once it is disconnected)."""
    names = [e["name"] for e in sc.queue if e["namespace"] == namespace]
    sc.queue = [e for e in sc.queue if e["namespace"] != namespace]
    return names


def test_revoke_reaches_the_open_display_socket_and_blocks_reconnects(app, client, api, db) -> None:
    manager = api.user("boss", ["manager"])
    token = api.device("display")
    other_token = api.device("display")
    sc = socketio.test_client(app, namespace=DISPLAY_NS, auth={"token": token}, flask_test_client=client)
    other = socketio.test_client(app, namespace=DISPLAY_NS, auth={"token": other_token}, flask_test_client=client)
    assert sc.is_connected(DISPLAY_NS) and other.is_connected(DISPLAY_NS)
    sc.get_received(DISPLAY_NS), other.get_received(DISPLAY_NS)
    with db.read() as s:
        device_id = s.scalars(select(Device.id).order_by(Device.id)).first()

    assert api.call("POST", f"/devices/{device_id}/revoke", manager).status_code == 200

    assert "revoked" in _heard(sc, DISPLAY_NS)
    heard = _names(other.get_received(DISPLAY_NS))
    assert "revoked" not in heard and "queue" in heard  # the other display only learns the version moved
    assert not sc.is_connected(DISPLAY_NS)  # the server ended it: no need for the client to comply
    assert other.is_connected(DISPLAY_NS)
    kiosk = api.device("kiosk")
    operator = api.user("op", ["operator"])
    api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"})
    api.call("POST", "/desks/1/open?office=T1", operator)
    assert api.call("POST", "/desks/1/call-next?office=T1", operator).status_code == 200
    assert _heard(sc, DISPLAY_NS) == []  # nothing more reaches it
    assert "called" in _names(other.get_received(DISPLAY_NS))
    again = socketio.test_client(app, namespace=DISPLAY_NS, auth={"token": token}, flask_test_client=client)
    assert not again.is_connected(DISPLAY_NS)
    assert client.get(f"/display?token={token}").status_code == 403  # the page says "not paired"
    assert client.get(f"/display?token={other_token}").status_code == 302


def _desk_socket(app: Any, db: Any, clock: Any, user_id: int) -> Any:
    from tests.fakes import signed_in

    browser = app.test_client()
    signed_in(browser, db, clock, user_id)
    sc = socketio.test_client(app, namespace=DESK_NS, flask_test_client=browser, auth={"office": "T1"})
    assert sc.is_connected(DESK_NS)
    sc.get_received(DESK_NS)
    return sc


@pytest.mark.parametrize("change", ["disable", "password", "roles", "own_password"])
def test_withdrawn_rights_disconnect_the_users_desk_socket(app, api, db, clock, change: str) -> None:
    from tests.fakes import add_user

    root = api.user("root", ["admin"], [])
    olena = add_user(db, clock, "olena", ["operator"], ["T1"])
    bystander = add_user(db, clock, "petro", ["operator"], ["T1"])
    sc, other = _desk_socket(app, db, clock, olena), _desk_socket(app, db, clock, bystander)
    if change == "disable":
        r = api.call("PATCH", f"/users/{olena}", root, json={"disabled": True})
    elif change == "password":
        r = api.call("POST", f"/users/{olena}/password", root, json={"password": "reset-pass-123"})
    elif change == "roles":
        r = api.call("PATCH", f"/users/{olena}", root, json={"roles": ["call_centre"]})
    else:
        token = api.client.post("/api/v1/auth/token", json={"username": "olena", "password": "secret-pass-1"}
                                ).get_json()["token"]
        r = api.call("POST", "/auth/password", token, json={"current_password": "secret-pass-1",
                                                             "new_password": "brand-new-pass-9"})
    assert r.status_code == 200, r.get_json()
    assert _heard(sc, DESK_NS) == ["signed_out"]
    assert not sc.is_connected(DESK_NS)
    api.call("POST", "/kiosk/tickets", api.device("kiosk"), json={"service": "consult"})
    assert _heard(sc, DESK_NS) == []  # no queue hint after the change
    assert other.is_connected(DESK_NS) and "queue" in _names(other.get_received(DESK_NS))

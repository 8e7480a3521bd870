"""A revoked display hears ``revoked`` on its open socket, its resync is refused, and it cannot reconnect."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from reception.models import Device
from reception.platform.realtime import DISPLAY_NS, socketio


@pytest.fixture
def app(db, db_url: str, clock) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """The real Socket.IO publisher (the default test app only records events)."""
    from tests.fakes import make_test_app

    application = make_test_app(db_url, clock)
    yield application
    application.extensions["reception"].db.dispose()


def _names(received: list[dict[str, Any]]) -> list[str]:
    return [e["name"] for e in received]


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

    assert "revoked" in _names(sc.get_received(DISPLAY_NS))
    heard = _names(other.get_received(DISPLAY_NS))
    assert "revoked" not in heard and "queue" in heard  # the other display only learns the version moved
    sc.emit("resync", namespace=DISPLAY_NS)
    assert not sc.is_connected(DISPLAY_NS)  # a socket that ignored the hint is dropped at its next resync
    again = socketio.test_client(app, namespace=DISPLAY_NS, auth={"token": token}, flask_test_client=client)
    assert not again.is_connected(DISPLAY_NS)
    assert client.get(f"/display?token={token}").status_code == 403  # the page says "not paired"
    assert client.get(f"/display?token={other_token}").status_code == 302

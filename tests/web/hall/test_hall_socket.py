"""The ``/hall`` namespace: managers of the office only; every event of the office reaches them as a hint."""

from __future__ import annotations

from typing import Any

from reception.http.realtime import HALL_NS, SocketIOPublisher, socketio
from tests.conftest import Api
from tests.fakes import add_user, build_office, signed_in, use_publisher


def _connect(app: Any, flask_client: Any, office: Any = "T1") -> Any:
    return socketio.test_client(app, namespace=HALL_NS, flask_test_client=flask_client, auth={"office": office})


def _signed(app: Any, db: Any, clock: Any, name: str, roles: list[str], offices: list[str]) -> Any:
    client = app.test_client()
    signed_in(client, db, clock, add_user(db, clock, name, roles, offices))
    return client


def test_only_the_offices_managers_connect(app, db, clock, office) -> None:
    build_office(db, "T2")
    assert not _connect(app, app.test_client()).is_connected(HALL_NS)
    assert not _connect(app, _signed(app, db, clock, "op", ["operator"], ["T1"])).is_connected(HALL_NS)
    foreign = _signed(app, db, clock, "m2", ["manager"], ["T2"])
    assert not _connect(app, foreign).is_connected(HALL_NS)
    assert not _connect(app, foreign, ["T1"]).is_connected(HALL_NS)
    assert not _connect(app, foreign, "NOPE").is_connected(HALL_NS)
    assert _connect(app, foreign, "T2").is_connected(HALL_NS)


def test_a_ticket_and_a_print_reach_the_hall(app, db, clock, office) -> None:
    use_publisher(app, SocketIOPublisher(socketio))
    build_office(db, "T2")
    mine = _connect(app, _signed(app, db, clock, "m1", ["manager"], ["T1"]))
    theirs = _connect(app, _signed(app, db, clock, "m2", ["manager"], ["T2"]), "T2")
    assert [m["name"] for m in mine.get_received(HALL_NS)] == ["ready"]
    theirs.get_received(HALL_NS)
    api = Api(app.test_client(), db, clock)
    kiosk = api.device("kiosk", printer_url="dummy://")
    assert api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).status_code == 201
    hints = [m["args"][0]["event"] for m in mine.get_received(HALL_NS) if m["name"] == "hint"]
    assert hints == ["issued", "printed"]
    assert theirs.get_received(HALL_NS) == []  # another office hears nothing

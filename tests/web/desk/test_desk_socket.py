"""The ``/desk`` namespace: signed-in staff of the office only; a snapshot at once, then queue hints."""

from __future__ import annotations

from typing import Any

from reception.http.realtime import DESK_NS, SocketIOPublisher, socketio
from tests.fakes import use_publisher


def _connect(app: Any, flask_client: Any = None, auth: Any = None) -> Any:
    return socketio.test_client(app, namespace=DESK_NS, flask_test_client=flask_client, auth=auth)


def test_anonymous_is_refused(app, office) -> None:
    client = _connect(app, app.test_client())
    assert not client.is_connected(DESK_NS)


def test_device_token_is_not_a_staff_session(app, api) -> None:
    display = api.device("display")
    client = _connect(app, app.test_client(), auth={"token": display})
    assert not client.is_connected(DESK_NS)


def test_operator_gets_snapshot_of_own_office(app, staff, api) -> None:
    me = staff("op", ["operator"])
    kiosk = api.device("kiosk")
    api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"})
    client = _connect(app, me.client, auth={"office": "T1"})
    assert client.is_connected(DESK_NS)
    snapshots = [m["args"][0] for m in client.get_received(DESK_NS) if m["name"] == "snapshot"]
    assert len(snapshots) == 1
    snap = snapshots[0]
    assert snap["office"] == "T1" and snap["waiting"]["consult"] == 1 and snap["version"] >= 1
    assert "oldest_waiting_since" in snap and {d["code"] for d in snap["desks"]} == {"1", "2"}
    ack = client.emit("snapshot", {"office": "T1"}, namespace=DESK_NS, callback=True)
    assert ack["version"] == snap["version"]
    client.disconnect(namespace=DESK_NS)


def test_without_office_joins_all_of_the_users_offices(app, staff) -> None:
    me = staff("op", ["operator"])
    client = _connect(app, me.client)
    assert client.is_connected(DESK_NS)
    assert [m["args"][0]["office"] for m in client.get_received(DESK_NS)] == ["T1"]


def test_other_office_user_is_refused(app, staff, second_office) -> None:
    other = staff("op2", ["operator"], ["T2"])
    assert not _connect(app, other.client, auth={"office": "T1"}).is_connected(DESK_NS)
    assert not _connect(app, other.client, auth={"office": "NOPE"}).is_connected(DESK_NS)
    assert not _connect(app, other.client, auth={"office": ["T1"]}).is_connected(DESK_NS)
    own = _connect(app, other.client, auth={"office": "T2"})
    assert own.is_connected(DESK_NS)
    assert own.emit("snapshot", {"office": "T1"}, namespace=DESK_NS, callback=True) == {"error": "forbidden"}


def test_signed_out_session_is_refused(app, staff) -> None:
    me = staff("op", ["operator"])
    from tests.web.desk.helpers import csrf_from

    me.client.post("/logout", data={"csrf_token": csrf_from(me.client.get("/logout").get_data(as_text=True))})
    assert not _connect(app, me.client, auth={"office": "T1"}).is_connected(DESK_NS)


def test_queue_hints_reach_consoles_of_that_office_only(app, staff, api, second_office) -> None:
    use_publisher(app, SocketIOPublisher(socketio))
    mine = _connect(app, staff("op", ["operator"]).client, auth={"office": "T1"})
    theirs = _connect(app, staff("op2", ["operator"], ["T2"]).client, auth={"office": "T2"})
    mine.get_received(DESK_NS)
    theirs.get_received(DESK_NS)
    kiosk = api.device("kiosk")
    issued = api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).get_json()
    hints = [m["args"][0] for m in mine.get_received(DESK_NS) if m["name"] == "queue"]
    assert hints and hints[-1]["event"] == "issued" and hints[-1]["code"] == issued["code"]
    assert not [m for m in theirs.get_received(DESK_NS) if m["name"] == "queue"]


def test_a_pause_reaches_every_desk_console_of_the_office(app, staff, api, second_office) -> None:
    use_publisher(app, SocketIOPublisher(socketio))
    consoles = [_connect(app, staff(name, ["operator"]).client, auth={"office": "T1"}) for name in ("a", "b")]
    elsewhere = _connect(app, staff("c", ["operator"], ["T2"]).client, auth={"office": "T2"})
    pauser = api.user("pauser", ["operator"])
    assert api.call("POST", "/desks/1/open", pauser).status_code == 200
    for console in (*consoles, elsewhere):
        console.get_received(DESK_NS)
    assert api.call("POST", "/desks/1/pause", pauser, json={"reason": "Перерва"}).status_code == 200
    for console in consoles:
        hints = [m["args"][0] for m in console.get_received(DESK_NS) if m["name"] == "queue"]
        assert [h["event"] for h in hints] == ["desk_paused"]
    assert [m for m in elsewhere.get_received(DESK_NS) if m["name"] == "queue"] == []

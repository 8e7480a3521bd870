"""The /display and /ticket Socket.IO namespaces, through Flask-SocketIO's test client."""

from __future__ import annotations

from typing import Any

import pytest

from reception.http.realtime import DISPLAY_NS, TICKET_NS, socketio

CALL_KEYS = {"version", "code", "desk", "desk_name_uk", "desk_name_en", "zone", "at"}


def connect(app: Any, client: Any, namespace: str = DISPLAY_NS, **auth: Any) -> Any:
    return socketio.test_client(app, namespace=namespace, auth=auth or None, flask_test_client=client)


def named(received: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [e["args"][0] for e in received if e["name"] == name]


def test_display_gets_a_snapshot_at_once(app, client, api, hall) -> None:
    hall.issue()
    hall.issue("appeal")
    sc = connect(app, client, token=api.device("display"))
    assert sc.is_connected(DISPLAY_NS)
    snaps = named(sc.get_received(DISPLAY_NS), "snapshot")
    assert len(snaps) == 1
    snap = snaps[0]
    assert {"version", "calls", "waiting"} <= set(snap)
    assert snap["waiting"] == {"consult": 1, "appeal": 1}
    assert snap["calls"] == [] and snap["version"] >= 2
    assert snap["timezone"] == "Europe/Kyiv" and isinstance(snap["server_time_ms"], int)


def test_display_gets_every_call_and_recall_with_versions(app, client, api, hall) -> None:
    first, second = hall.issue(), hall.issue()
    hall.open("1")
    sc = connect(app, client, token=api.device("display"))
    version = named(sc.get_received(DISPLAY_NS), "snapshot")[0]["version"]

    called = hall.call_next("1")
    got = sc.get_received(DISPLAY_NS)
    calls = named(got, "called")
    assert len(calls) == 1 and not named(got, "snapshot")
    event = calls[0]
    assert set(event) >= CALL_KEYS
    assert event["code"] == called["code"] == first["code"]
    assert (event["desk"], event["desk_name_uk"], event["desk_name_en"], event["zone"]) == ("1", "Вікно 1", "Window 1", "hall")
    assert event["version"] > version
    assert event["announce_uk"] == "Талон ка один, пройдіть до вікна номер один."
    assert "announce_en" not in event  # the office does not announce in English

    hall.post(f"/tickets/{called['id']}/recall", "1")
    recalled = named(sc.get_received(DISPLAY_NS), "recalled")
    assert len(recalled) == 1 and recalled[0]["code"] == first["code"]
    assert recalled[0]["version"] > event["version"]

    hall.post(f"/tickets/{called['id']}/start", "1")
    hints = named(sc.get_received(DISPLAY_NS), "queue")
    assert hints and hints[-1]["version"] > recalled[0]["version"]  # non-call changes move the version

    hall.post(f"/tickets/{called['id']}/finish", "1", json={"outcome": "consulted"})
    sc.get_received(DISPLAY_NS)
    hall.call_next("1")
    later = named(sc.get_received(DISPLAY_NS), "called")
    assert [c["code"] for c in later] == [second["code"]]


def test_snapshot_after_calls_shows_latest_first(app, client, api, hall) -> None:
    a, b = hall.issue(), hall.issue("appeal")
    hall.open("1")
    hall.open("412")
    hall.call_next("1")
    hall.call_next("412")
    snap = named(connect(app, client, token=api.device("display")).get_received(DISPLAY_NS), "snapshot")[0]
    assert [c["code"] for c in snap["calls"]] == [b["code"], a["code"]]
    assert CALL_KEYS - {"version"} <= set(snap["calls"][0])
    assert snap["calls"][0]["announce_uk"].endswith("до кабінету номер чотириста дванадцять.")


def test_display_in_another_office_gets_nothing(app, client, api, hall) -> None:
    hall.issue()
    hall.open("1")
    other = connect(app, client, token=api.device("display", "T2"))
    snap = named(other.get_received(DISPLAY_NS), "snapshot")[0]
    assert snap["office"] == "T2"
    hall.call_next("1")
    hall.issue()
    assert other.get_received(DISPLAY_NS) == []


def test_zones_hear_only_their_calls(app, client, api, hall) -> None:
    hall.issue()
    hall.issue("appeal")
    hall.open("1")
    hall.open("412")
    floor4 = connect(app, client, token=api.device("display", zone="floor4"))
    by_query = connect(app, client, token=api.device("display"), zone="hall")
    everything = connect(app, client, token=api.device("display"))
    for sc in (floor4, by_query, everything):
        sc.get_received(DISPLAY_NS)

    hall_call = hall.call_next("1")
    # Of a call in another zone only the new version and counts (so no gap, no snapshot asked).
    heard = floor4.get_received(DISPLAY_NS)
    assert [m["name"] for m in heard] == ["queue"]
    assert heard[0]["args"][0]["event"] == "called" and "waiting" in heard[0]["args"][0]
    assert [c["code"] for c in named(by_query.get_received(DISPLAY_NS), "called")] == [hall_call["code"]]
    assert [c["code"] for c in named(everything.get_received(DISPLAY_NS), "called")] == [hall_call["code"]]

    room_call = hall.call_next("412")
    assert [c["zone"] for c in named(floor4.get_received(DISPLAY_NS), "called")] == ["floor4"]
    assert named(by_query.get_received(DISPLAY_NS), "called") == []
    assert [c["code"] for c in named(everything.get_received(DISPLAY_NS), "called")] == [room_call["code"]]

    # The zoned snapshot holds the zone's calls only.
    floor4.emit("resync", namespace=DISPLAY_NS)
    snap = named(floor4.get_received(DISPLAY_NS), "snapshot")[0]
    assert snap["zone"] == "floor4" and [c["code"] for c in snap["calls"]] == [room_call["code"]]


def test_device_zone_wins_over_a_requested_zone(app, client, api, hall) -> None:
    sc = connect(app, client, token=api.device("display", zone="floor4"), zone="hall")
    assert named(sc.get_received(DISPLAY_NS), "snapshot")[0]["zone"] == "floor4"


@pytest.mark.parametrize("auth", [None, {}, {"token": ""}, {"token": "not-a-token"}, {"token": 17},
                                  {"token": "x" * 5000}, {"token": ["a"]}])
def test_bad_display_tokens_are_refused(app, client, office, auth) -> None:
    sc = socketio.test_client(app, namespace=DISPLAY_NS, auth=auth, flask_test_client=client)
    assert not sc.is_connected(DISPLAY_NS)


def test_a_kiosk_token_cannot_connect_as_a_display(app, client, api) -> None:
    sc = connect(app, client, token=api.device("kiosk"))
    assert not sc.is_connected(DISPLAY_NS)


def test_a_revoked_display_is_refused(app, client, api, db) -> None:
    from sqlalchemy import update

    from reception.accounts.models import Device

    token = api.device("display")
    with db.write() as s:
        s.execute(update(Device).values(is_active=False))
    assert not connect(app, client, token=token).is_connected(DISPLAY_NS)


def test_resync_sends_the_snapshot_again_but_not_in_a_loop(app, client, api, hall) -> None:
    sc = connect(app, client, token=api.device("display"))
    sc.get_received(DISPLAY_NS)
    hall.issue()
    sc.get_received(DISPLAY_NS)
    sc.emit("resync", namespace=DISPLAY_NS)
    sc.emit("resync", namespace=DISPLAY_NS)  # within a second: ignored
    snaps = named(sc.get_received(DISPLAY_NS), "snapshot")
    assert len(snaps) == 1 and snaps[0]["waiting"]["consult"] == 1


def test_english_announcement_when_the_office_wants_it(app, client, api) -> None:
    from tests.web.display.conftest import Hall  # noqa: PLC0415

    t2 = Hall(api, "T2")
    t2.issue()
    t2.open("1")
    sc = connect(app, client, token=api.device("display", "T2"))
    assert named(sc.get_received(DISPLAY_NS), "snapshot")[0]["announce_en"] is True
    t2.call_next("1")
    event = named(sc.get_received(DISPLAY_NS), "called")[0]
    assert event["announce_en"] == "Ticket K 1, please go to Window 1."
    assert event["announce_uk"] == "Талон ка один, пройдіть до вікна номер один."


# --- /ticket ------------------------------------------------------------------------------------


def test_ticket_page_socket_gets_status_and_the_call(app, client, api, hall) -> None:
    mine = hall.issue()
    other = hall.issue()
    hall.open("1")
    sc = connect(app, client, TICKET_NS, public_token=other["public_token"])
    assert sc.is_connected(TICKET_NS)
    status = named(sc.get_received(TICKET_NS), "status")[0]
    assert status["code"] == other["code"] and status["status"] == "waiting" and status["position"] == 1
    assert not ({"surname", "name", "phone"} & set(status))

    hall.call_next("1")  # calls `mine`: ours only learns the queue moved
    got = sc.get_received(TICKET_NS)
    assert named(got, "status") == [] and len(named(got, "queue")) == 1
    sc.emit("refresh", namespace=TICKET_NS)
    assert named(sc.get_received(TICKET_NS), "status")[0]["position"] == 0

    hall.post(f"/tickets/{mine['id']}/cancel", "1", json={"reason": "test"})
    sc.get_received(TICKET_NS)
    hall.call_next("1")
    hint = named(sc.get_received(TICKET_NS), "status")[0]
    assert hint["status"] == "called" and hint["go_uk"] == "Пройдіть до вікна 1" and hint["go_en"] == "Please go to Window 1"


def test_ticket_socket_refuses_unknown_tokens(app, client, office) -> None:
    for auth in (None, {"public_token": "nope"}, {"public_token": "x" * 500}, {"public_token": 5},
                 {"public_token": "a\x00b"}):
        sc = socketio.test_client(app, namespace=TICKET_NS, auth=auth, flask_test_client=client)
        assert not sc.is_connected(TICKET_NS)


def test_ticket_socket_hears_nothing_of_another_service(app, client, api, hall) -> None:
    appeal = hall.issue("appeal")
    hall.issue("consult")
    hall.open("2")  # serves consult only
    sc = connect(app, client, TICKET_NS, public_token=appeal["public_token"])
    sc.get_received(TICKET_NS)
    hall.call_next("2")
    assert sc.get_received(TICKET_NS) == []


def test_phone_page_of_a_visit_ended_by_next_learns_it_is_done(app, client, api, hall, clock) -> None:
    first, _second = hall.issue(), hall.issue()
    hall.open("1")
    hall.call_next("1")
    sc = connect(app, client, TICKET_NS, public_token=first["public_token"])
    assert named(sc.get_received(TICKET_NS), "status")[0]["status"] == "called"
    clock.advance(minutes=6)
    hall.call_next("1")  # ends the first visit implicitly (decision 003) and calls the second
    hints = named(sc.get_received(TICKET_NS), "status")
    assert [h["status"] for h in hints] == ["done"] and hints[0]["event"] == "finished"

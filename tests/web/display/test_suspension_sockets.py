"""The office's suspension live: displays hear ``suspended`` then ``resumed``, snapshots carry it,
phone pages learn it; another office hears nothing."""

from __future__ import annotations

from typing import Any

from reception.http.realtime import DISPLAY_NS, TICKET_NS
from tests.web.display.test_display_sockets import connect, named


def suspend(api: Any, token: str, office: str = "T1", reason: str = "air_raid") -> None:
    r = api.call("POST", f"/offices/{office}/suspend", token, json={"reason": reason})
    assert r.status_code == 200, r.get_json()


def resume(api: Any, token: str, office: str = "T1", **body: Any) -> None:
    r = api.call("POST", f"/offices/{office}/resume", token, json=body)
    assert r.status_code == 200, r.get_json()


def test_display_hears_suspended_then_resumed_and_the_snapshot_follows(app, client, api, hall) -> None:
    hall.issue()
    manager = api.user("boss", ["manager"])
    display = connect(app, client, token=api.device("display"))
    zoned = connect(app, client, token=api.device("display", zone="floor4"))
    other = connect(app, client, token=api.device("display", "T2"))
    first = named(display.get_received(DISPLAY_NS), "snapshot")[0]
    assert first["suspended"] is None
    for sc in (zoned, other):
        sc.get_received(DISPLAY_NS)

    suspend(api, manager)
    got = display.get_received(DISPLAY_NS)
    events = named(got, "suspended")
    assert len(events) == 1 and not named(got, "queue")
    event = events[0]
    assert event["version"] > first["version"]
    assert (event["reason"], event["title_uk"], event["title_en"]) == ("air_raid", "Повітряна тривога", "Air-raid alert")
    assert event["since"].startswith("2026-11-24T10:00")
    assert event["announce_uk"].startswith("Увага! Повітряна тривога.")
    assert "announce_en" not in event  # T1 does not announce in English
    assert len(named(zoned.get_received(DISPLAY_NS), "suspended")) == 1  # every zone of the office
    assert other.get_received(DISPLAY_NS) == []  # another office hears nothing

    zoned.emit("resync", namespace=DISPLAY_NS)
    snap = named(zoned.get_received(DISPLAY_NS), "snapshot")[0]
    assert {"reason", "since"} <= set(snap["suspended"]) and snap["suspended"]["reason"] == "air_raid"
    late = connect(app, client, token=api.device("display"))
    assert named(late.get_received(DISPLAY_NS), "snapshot")[0]["suspended"]["reason"] == "air_raid"

    resume(api, manager)
    resumed = named(display.get_received(DISPLAY_NS), "resumed")
    assert len(resumed) == 1 and resumed[0]["version"] > event["version"]
    assert resumed[0]["announce_uk"] == "Прийом відвідувачів відновлено. Стежте за викликом на табло."
    again = connect(app, client, token=api.device("display"))
    assert named(again.get_received(DISPLAY_NS), "snapshot")[0]["suspended"] is None


def test_an_office_announcing_in_english_gets_both(app, client, api) -> None:
    manager = api.user("boss2", ["manager"], ["T2"])
    display = connect(app, client, token=api.device("display", "T2"))
    display.get_received(DISPLAY_NS)
    suspend(api, manager, "T2", "blackout")
    event = named(display.get_received(DISPLAY_NS), "suspended")[0]
    assert event["announce_en"].startswith("Attention, please. Due to a power outage")


def test_phone_pages_learn_the_suspension_and_refetch_it(app, client, api, hall) -> None:
    ticket = hall.issue()
    manager = api.user("boss", ["manager"])
    phone = connect(app, client, TICKET_NS, public_token=ticket["public_token"])
    assert named(phone.get_received(TICKET_NS), "status")[0]["suspended"] is None
    suspend(api, manager)
    assert named(phone.get_received(TICKET_NS), "suspended")
    phone.emit("refresh", namespace=TICKET_NS)
    status = named(phone.get_received(TICKET_NS), "status")[0]
    assert status["suspended"]["title_uk"] == "Повітряна тривога" and status["position"] == 0
    resume(api, manager)
    assert named(phone.get_received(TICKET_NS), "resumed")

"""The kiosk hears the office's suspension as the wall display does (``/kiosk`` namespace): only a
paired kiosk may listen, and only to its own office."""

from __future__ import annotations

from reception.http.realtime import KIOSK_NS
from tests.web.display.test_display_sockets import connect, named
from tests.web.display.test_suspension_sockets import resume, suspend


def test_a_kiosk_hears_suspended_and_resumed_of_its_own_office(app, client, api) -> None:
    manager = api.user("boss", ["manager"])
    kiosk = connect(app, client, KIOSK_NS, token=api.device("kiosk"))
    other = connect(app, client, KIOSK_NS, token=api.device("kiosk", "T2"))
    assert kiosk.is_connected(KIOSK_NS) and other.is_connected(KIOSK_NS)
    suspend(api, manager)
    assert [e["event"] for e in named(kiosk.get_received(KIOSK_NS), "suspended")] == ["suspended"]
    resume(api, manager)
    assert len(named(kiosk.get_received(KIOSK_NS), "resumed")) == 1
    assert other.get_received(KIOSK_NS) == []  # another office's kiosk hears nothing


def test_only_a_paired_kiosk_may_listen(app, client, api) -> None:
    for auth in ({}, {"token": "not-a-token"}, {"token": api.device("display")}, {"token": 7}):
        sc = connect(app, client, KIOSK_NS, **auth)
        assert not sc.is_connected(KIOSK_NS), auth

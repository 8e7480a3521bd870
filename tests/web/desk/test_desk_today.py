"""The console's "served today" figures: counted in the core for the office-local day."""

from __future__ import annotations

from datetime import UTC, datetime


def _serve(me, api, minutes: float, clock) -> None:
    kiosk = api.device("kiosk", "T1")
    assert api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).status_code == 201
    ticket = me.api("POST", "/desks/1/call-next?office=T1").get_json()
    assert me.api("POST", f"/tickets/{ticket['id']}/start").status_code == 200
    clock.advance(minutes=minutes)
    assert me.api("POST", f"/tickets/{ticket['id']}/finish", json={"outcome": "consulted"}).status_code == 200


def test_console_state_counts_this_desks_visits_today_and_restarts_at_local_midnight(staff, api, clock) -> None:
    me = staff("op", ["operator"])
    assert me.open_desk("1").status_code == 302
    assert me.client.get("/desk/T1/1/state").get_json()["today"] == {"served": 0, "avg_service_min": None}
    _serve(me, api, 4, clock)
    _serve(me, api, 8, clock)
    assert me.client.get("/desk/T1/1/state").get_json()["today"] == {"served": 2, "avg_service_min": 6}

    colleague = staff("op2", ["operator"])  # another desk's visits are not this desk's figures
    assert colleague.open_desk("2").status_code == 302
    assert colleague.client.get("/desk/T1/2/state").get_json()["today"]["served"] == 0

    clock.set(datetime(2026, 11, 24, 22, 30, tzinfo=UTC))  # 00:30 in Kyiv, still the 24th in UTC
    assert me.login("op").status_code == 302  # the 12-hour session of the morning has ended
    assert me.client.get("/desk/T1/1/state").get_json()["today"] == {"served": 0, "avg_service_min": None}

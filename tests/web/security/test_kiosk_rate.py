"""A paired kiosk is limited per device (issue 11): one token once issued 1,155 tickets in 20 s."""

from __future__ import annotations

from typing import Any


def _take(api: Any, kiosk: str, lang: str = "uk") -> Any:
    return api.call("POST", f"/kiosk/tickets?lang={lang}", kiosk, json={"service": "consult", "lang": lang})


def test_the_default_limit_stops_a_flood_but_not_a_busy_kiosk(app, api) -> None:
    assert app.config["KIOSK_TICKET_RATE"] == "30 per minute"
    kiosk = api.device("kiosk")
    statuses = [_take(api, kiosk).status_code for _ in range(31)]
    assert statuses == [201] * 30 + [429]


def test_over_the_limit_the_kiosk_gets_a_friendly_problem_in_the_visitors_language(app, api, db) -> None:
    app.config["KIOSK_TICKET_RATE"] = "3 per minute"
    kiosk, other = api.device("kiosk"), api.device("kiosk")
    assert [_take(api, kiosk).status_code for _ in range(3)] == [201, 201, 201]
    r = _take(api, kiosk)
    body = r.get_json()
    assert r.status_code == 429 and r.mimetype == "application/problem+json"
    assert body["code"] == "too_many_tickets" and body["status"] == 429
    assert body["detail"].startswith("Зачекайте, будь ласка, хвилину")
    assert "ask a member of staff" in _take(api, kiosk, "en").get_json()["detail"]
    # A booked visitor's check-in counts against the same device, and nothing was issued.
    r = api.call("POST", "/kiosk/checkin", kiosk, json={"booking_code": "ABC123"})
    assert r.status_code == 429 and r.get_json()["code"] == "too_many_tickets"
    assert _take(api, other).status_code == 201  # another kiosk of the office is not affected
    assert api.call("GET", "/offices/T1/queue", api.user("op", ["operator"])).get_json()["waiting"]["consult"] == 4

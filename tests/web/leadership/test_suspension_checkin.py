"""A booked visitor checking in while the office is suspended: 503, and the booking is kept."""

from __future__ import annotations

from tests.web.leadership.test_leadership_checkin import booked  # noqa: F401  (the fixture)


def test_checkin_is_refused_while_suspended_and_the_booking_is_kept(api, booked) -> None:  # noqa: F811
    manager = api.user("boss2", ["manager"])
    assert api.call("POST", "/offices/T1/suspend", manager, json={"reason": "air_raid"}).status_code == 200
    r = api.call("POST", "/kiosk/checkin", booked["kiosk"], json={"booking_code": booked["codes"][0]})
    assert r.status_code == 503 and r.get_json()["code"] == "office_suspended"
    assert r.get_json()["detail"] == "Повітряна тривога. Видача талонів призупинена. Пройдіть в укриття."
    day = api.call("GET", "/desks/412/appointments?date=2026-11-24", booked["cc"]).get_json()
    assert [v["effective_status"] for v in day[0]["appointments"]] == ["booked", "booked"]

    assert api.call("POST", "/offices/T1/resume", manager, json={}).status_code == 200
    r = api.call("POST", "/kiosk/checkin", booked["kiosk"], json={"booking_code": booked["codes"][0]})
    assert r.status_code == 201 and r.get_json()["code"] == "П-001"

"""What the printed slip says to a visitor: «Перед вами: нікого», «Відскануйте…», and to a booked visitor
(called to a room, not a window) «…номер і місце прийому» (decision 034)."""

from __future__ import annotations

from typing import Any

from printers.layout import build_layout
from tests.web.leadership.builders import todays_reception


def printed(app: Any) -> list[str]:
    return build_layout(app.config["printer"].slips[-1]).texts()


def test_a_walk_in_slip_says_nobody_ahead_and_asks_to_scan(app, api, kiosk) -> None:
    assert api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).status_code == 201
    texts = printed(app)
    assert "Перед вами: нікого" in texts and "Перед вами: 0" not in texts
    assert "Відскануйте, щоб стежити за чергою з телефона" in texts
    assert "Слідкуйте за екраном і звуковим оголошенням. Талон дійсний сьогодні." in texts


def test_a_booked_visitor_is_told_to_watch_for_the_place_of_reception(app, api, db, clock, kiosk) -> None:
    cc, session = todays_reception(api, db, clock)
    booked = api.call("POST", f"/reception-sessions/{session['id']}/appointments", cc,
                      json={"visitor": {"surname": "Коваль", "name": "Олена"}, "topic": "Спадщина",
                            "slot": session["slots"][0]["at"]}).get_json()
    r = api.call("POST", "/kiosk/checkin", kiosk, json={"booking_code": booked["booking_code"]})
    assert r.status_code == 201, r.get_json()
    texts = printed(app)
    assert "Слідкуйте за табло: там з'явиться ваш номер і місце прийому. Талон дійсний сьогодні." in texts
    assert not any("вікно" in t for t in texts)

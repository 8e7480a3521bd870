"""The wall display never sends a visitor to the wrong place (decision 032): a break waits until the
visitor at the desk is dealt with; a finished or abandoned call leaves the main card (its status is in
the snapshot and in the event's hint); a transfer is refused to a closed desk, takes the old desk off
the board and shows the new one when the visitor is called there. SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from reception.http.realtime import DISPLAY_NS
from tests.web.display.test_display_sockets import connect, named


def _snapshot(app: Any, client: Any, api: Any) -> dict[str, Any]:
    return named(connect(app, client, token=api.device("display")).get_received(DISPLAY_NS), "snapshot")[0]


def _desk_state(api: Any, token: str, desk: str = "1") -> str:
    desks = api.call("GET", "/offices/T1/queue", token).get_json()["desks"]
    return next(d["status"] for d in desks if d["code"] == desk)


def test_no_break_while_a_visitor_is_called_or_served(app, client, api, hall) -> None:
    ticket = hall.issue()
    op = hall.open("1")
    hall.call_next("1")
    before = _snapshot(app, client, api)["version"]
    refused = api.call("POST", "/desks/1/pause?office=T1", op, json={"reason": "Обід"})
    assert refused.status_code == 409
    problem = refused.get_json()
    assert problem["code"] == "break_visitor_at_desk" and "К-001" in problem["detail"]
    assert "завершіть прийом" in problem["detail"] and "перенаправте" in problem["detail"]
    assert _snapshot(app, client, api)["version"] == before  # nothing changed, nobody told
    assert _desk_state(api, op) == "open"
    hall.post(f"/tickets/{ticket['id']}/start", "1")
    assert api.call("POST", "/desks/1/pause?office=T1", op, json={"reason": "Обід"}).status_code == 409
    hall.post(f"/tickets/{ticket['id']}/finish", "1", json={"outcome": "consulted"})
    paused = api.call("POST", "/desks/1/pause?office=T1", op, json={"reason": "Обід"})
    assert paused.status_code == 200 and paused.get_json()["status"] == "paused"


def test_a_no_show_also_frees_the_desk_for_a_break(app, client, api, hall) -> None:
    from sqlalchemy import update

    from reception.offices.models import Office

    with api.db.write() as s:  # no recalls needed before a no-show here
        s.execute(update(Office).where(Office.code == "T1").values(settings={"recalls_before_no_show": 0}))
    ticket = hall.issue()
    op = hall.open("1")
    hall.call_next("1")
    hall.post(f"/tickets/{ticket['id']}/no-show", "1")
    assert api.call("POST", "/desks/1/pause?office=T1", op, json={"reason": "Обід"}).status_code == 200


def test_a_finished_call_leaves_the_main_card_within_the_event(app, client, api, hall) -> None:
    ticket = hall.issue()
    hall.open("1")
    hall.call_next("1")
    board = connect(app, client, token=api.device("display"))
    snap = named(board.get_received(DISPLAY_NS), "snapshot")[0]
    assert [(c["code"], c["status"]) for c in snap["calls"]] == [("К-001", "called")]
    hall.post(f"/tickets/{ticket['id']}/finish", "1", json={"outcome": "consulted"})
    hints = named(board.get_received(DISPLAY_NS), "queue")
    # The hint names the ticket and its new status: the board drops the main card at once.
    assert [(h["code"], h["status"]) for h in hints] == [("К-001", "done")]
    assert [(c["code"], c["status"]) for c in _snapshot(app, client, api)["calls"]] == [("К-001", "done")]


def test_transfer_to_a_closed_desk_is_refused_and_the_board_follows_the_visitor(app, client, api, hall) -> None:
    hall.issue("appeal")
    hall.open("1")
    called = hall.call_next("1")
    board = connect(app, client, token=api.device("display"))
    board.get_received(DISPLAY_NS)
    version = _snapshot(app, client, api)["version"]
    refused = api.call("POST", f"/tickets/{called['id']}/transfer", hall.operators["1"], json={"desk": "412"})
    assert refused.status_code == 409
    problem = refused.get_json()
    assert problem["code"] == "desk_closed" and "«412» закрите" in problem["detail"]
    assert _snapshot(app, client, api)["version"] == version  # nothing changed
    assert board.get_received(DISPLAY_NS) == []

    hall.open("412")
    moved = hall.post(f"/tickets/{called['id']}/transfer", "1", json={"desk": "412"})
    hints = named(board.get_received(DISPLAY_NS), "queue")
    assert (hints[-1]["code"], hints[-1]["status"]) == (called["code"], "waiting")  # off the board
    assert _snapshot(app, client, api)["calls"] == []  # no "С-001 Вікно 1" left to mislead
    again = hall.call_next("412")
    assert again["id"] == moved["id"]
    calls = named(board.get_received(DISPLAY_NS), "called")
    assert [(c["code"], c["desk_name_uk"]) for c in calls] == [(called["code"], "Кабінет 412")]
    assert [(c["code"], c["desk_name_uk"]) for c in _snapshot(app, client, api)["calls"]] == \
        [(called["code"], "Кабінет 412")]

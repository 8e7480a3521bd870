"""An operator acts only on the visitor called at their own desk (the permission table's desk scope).

Recall, start, finish, no-show, cancel and transfer of a ticket called at another desk are refused
(403, localised, nothing changed) unless it was transferred to the caller's desk; a manager of the
office may act on any of its desks; a stranger to the office does not even see the ticket.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from reception.queue.models import Ticket

ACTIONS: list[tuple[str, dict[str, Any] | None]] = [
    ("recall", None), ("start", None), ("finish", {"outcome": "consulted"}), ("no-show", None),
    ("cancel", {"reason": "пішов"}), ("transfer", {"service": "appeal"}),
]


@pytest.fixture
def floor(api: Any, db: Any) -> dict[str, Any]:
    """Two operators at desks 1 and 2 of T1; desk 1 has called the visitor."""
    kiosk = api.device("kiosk")
    a, b = api.user("op_a", ["operator"]), api.user("op_b", ["operator"])
    assert api.call("POST", "/desks/1/open", a).status_code == 200
    assert api.call("POST", "/desks/2/open", b).status_code == 200
    issued = api.call("POST", "/kiosk/tickets", kiosk, json={"service": "appeal"})  # desk 2 does not serve it
    assert issued.status_code == 201
    called = api.call("POST", "/desks/1/call-next", a)
    assert called.status_code == 200 and called.get_json()["id"] == issued.get_json()["id"]
    return {"kiosk": kiosk, "a": a, "b": b, "ticket": called.get_json()["id"]}


def _state(db: Any, ticket_id: int) -> tuple[str, int]:
    with db.read() as s:
        row = s.get(Ticket, ticket_id)
        assert row is not None
        return row.status, row.recall_count


@pytest.mark.parametrize(("action", "body"), ACTIONS)
def test_another_desks_operator_is_refused_and_nothing_changes(api: Any, db: Any, floor: dict[str, Any],
                                                               action: str, body: dict[str, Any] | None) -> None:
    before = _state(db, floor["ticket"])
    r = api.call("POST", f"/tickets/{floor['ticket']}/{action}?lang=uk", floor["b"], json=body or {})
    assert r.status_code == 403 and r.mimetype == "application/problem+json"
    problem = r.get_json()
    assert problem["code"] == "other_desk"
    assert "іншого вікна (1)" in problem["detail"]
    assert _state(db, floor["ticket"]) == before


def test_the_message_is_english_for_an_english_caller(api: Any, floor: dict[str, Any]) -> None:
    r = api.call("POST", f"/tickets/{floor['ticket']}/recall?lang=en", floor["b"])
    assert r.status_code == 403 and "another desk (1)" in r.get_json()["detail"]


def test_the_own_desk_acts(api: Any, db: Any, floor: dict[str, Any]) -> None:
    assert api.call("POST", f"/tickets/{floor['ticket']}/recall", floor["a"]).status_code == 200
    assert _state(db, floor["ticket"]) == ("called", 1)
    assert api.call("POST", f"/tickets/{floor['ticket']}/start", floor["a"]).status_code == 200


def test_a_manager_of_the_office_acts_on_any_desk(api: Any, db: Any, floor: dict[str, Any]) -> None:
    boss = api.user("boss", ["manager"])
    assert api.call("POST", f"/tickets/{floor['ticket']}/recall", boss).status_code == 200
    r = api.call("POST", f"/tickets/{floor['ticket']}/finish", boss, json={"outcome": "consulted"})
    assert r.status_code == 200 and r.get_json()["status"] == "done"


def test_an_admin_acts_on_any_desk(api: Any, floor: dict[str, Any]) -> None:
    root = api.user("root", ["admin"], [])
    assert api.call("POST", f"/tickets/{floor['ticket']}/recall", root).status_code == 200
    assert api.call("POST", f"/tickets/{floor['ticket']}/start", root).get_json()["status"] == "serving"


def test_a_manager_of_another_office_does_not_see_the_ticket(api: Any, db: Any, floor: dict[str, Any]) -> None:
    from tests.fakes import build_office

    build_office(db, "T2")
    stranger = api.user("stranger", ["manager", "operator"], ["T2"])
    assert api.call("POST", f"/tickets/{floor['ticket']}/recall", stranger).status_code == 404
    assert _state(db, floor["ticket"]) == ("called", 0)


def test_a_visitor_transferred_to_a_desk_belongs_to_that_desk(api: Any, db: Any, floor: dict[str, Any]) -> None:
    moved = api.call("POST", f"/tickets/{floor['ticket']}/transfer", floor["a"], json={"desk": "2"})
    assert moved.status_code == 200
    new_id = moved.get_json()["id"]
    # Waiting for desk 2 now: desk 1 may no longer cancel it, desk 2 may.
    r = api.call("POST", f"/tickets/{new_id}/cancel", floor["a"], json={})
    assert r.status_code == 403 and r.get_json()["code"] == "other_desk"
    called = api.call("POST", "/desks/2/call-next", floor["b"])
    assert called.status_code == 200 and called.get_json()["id"] == new_id
    assert api.call("POST", f"/tickets/{new_id}/start", floor["b"]).status_code == 200
    with db.read() as s:
        assert s.scalar(select(Ticket.status).where(Ticket.id == new_id)) == "serving"


def test_a_waiting_ticket_of_no_desk_is_any_desks(api: Any, db: Any, floor: dict[str, Any]) -> None:
    issued = api.call("POST", "/kiosk/tickets", floor["kiosk"], json={"service": "consult"})
    r = api.call("POST", f"/tickets/{issued.get_json()['id']}/cancel", floor["b"], json={"reason": "пішов"})
    assert r.status_code == 200 and r.get_json()["status"] == "cancelled"

"""Who may act where: office scope on pages and the API, devices never call, CSRF on cookie API calls."""

from __future__ import annotations

from sqlalchemy import select

from reception.offices.models import Desk
from reception.queue.models import Ticket


def _issue(api, office: str = "T1", service: str = "consult") -> dict:
    kiosk = api.device("kiosk", office)
    r = api.call("POST", "/kiosk/tickets", kiosk, json={"service": service})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_operator_opens_desk_and_works_through_the_api_with_the_session(staff, api) -> None:
    me = staff("op", ["operator"])
    ticket = _issue(api)
    r = me.open_desk("1")
    assert r.status_code == 302 and r.headers["Location"] == "/desk/T1/1"
    page = me.client.get("/desk/T1/1").get_data(as_text=True)
    assert 'id="desk-config"' in page and "Вікно 1" in page
    called = me.api("POST", "/desks/1/call-next?office=T1")
    assert called.status_code == 200 and called.get_json()["id"] == ticket["id"]
    state = me.client.get("/desk/T1/1/state").get_json()
    assert state["current"]["code"] == "К-001" and state["current"]["service_kind"] == "specialist"
    assert me.api("POST", f"/tickets/{ticket['id']}/finish", json={"outcome": "consulted"}).status_code == 200
    assert me.api("POST", "/desks/1/call-next?office=T1").status_code == 204  # nobody waits


def test_cookie_api_call_without_csrf_header_changes_nothing(staff, api, db) -> None:
    me = staff("op", ["operator"])
    _issue(api)
    me.open_desk("1")
    r = me.api("POST", "/desks/1/call-next?office=T1", csrf=False)
    assert r.status_code == 403 and r.mimetype == "application/problem+json"
    assert "Оновіть її" in r.get_json()["detail"]
    with db.read() as s:
        assert s.scalar(select(Ticket.status)) == "waiting"


def test_operator_cannot_touch_another_offices_desks_or_tickets(staff, api, second_office, db) -> None:
    other = staff("op2", ["operator"], ["T2"])
    mine = staff("op", ["operator"])
    t1 = _issue(api, "T1")
    mine.open_desk("1")
    assert mine.api("POST", "/desks/1/call-next?office=T1").status_code == 200

    # pages: the other office's desk is neither listed nor openable, its console not shown
    assert 'data-desk="1"' in other.client.get("/desk").get_data(as_text=True)  # T2's own desk 1
    assert "Тестова установа T1" not in other.client.get("/desk").get_data(as_text=True)
    r = other.open_desk("1", office="T1")
    assert r.status_code == 302 and r.headers["Location"] == "/desk"
    assert other.client.get("/desk/T1/1").headers["Location"] == "/desk"
    assert other.client.get("/desk/T1/1/state").status_code == 404

    # API: desks and tickets of T1 look missing to an operator of T2
    assert other.api("POST", "/desks/1/open?office=T1").status_code == 404
    assert other.api("POST", "/desks/1/call-next?office=T1").status_code == 404
    for action in ("recall", "start", "no-show"):
        assert other.api("POST", f"/tickets/{t1['id']}/{action}").status_code == 404
    assert other.api("POST", f"/tickets/{t1['id']}/finish", json={"outcome": "consulted"}).status_code == 404
    assert other.api("POST", f"/tickets/{t1['id']}/transfer", json={"service": "appeal"}).status_code == 404
    assert other.api("GET", "/offices/T1/queue").status_code == 403
    assert other.api("GET", f"/tickets/{t1['id']}/events").status_code == 404
    with db.read() as s:
        ticket = s.get(Ticket, t1["id"])
        assert ticket.status == "called" and ticket.recall_count == 0
        desk = s.scalar(select(Desk).join(Desk.office).where(Desk.code == "1", Desk.office_id == ticket.office_id))
        assert desk.status == "open"


def test_kiosk_and_display_tokens_cannot_call_anyone(api, db) -> None:
    op = api.user("op", ["operator"])
    ticket = _issue(api)
    assert api.call("POST", "/desks/1/open", op).status_code == 200
    for kind in ("kiosk", "display"):
        device = api.device(kind)
        assert api.call("POST", "/desks/1/call-next", device).status_code == 403
        assert api.call("POST", "/desks/1/open", device).status_code == 403
        assert api.call("POST", f"/tickets/{ticket['id']}/recall", device).status_code == 403
        assert api.call("POST", "/desks/1/call", device, json={"ticket_id": ticket["id"], "reason": "x"}).status_code == 403
    with db.read() as s:
        assert s.get(Ticket, ticket["id"]).status == "waiting"


def test_devices_and_anonymous_get_no_console_state(client, api) -> None:
    assert client.get("/desk/T1/1/state").status_code == 401
    display = api.device("display")
    r = client.get("/desk/T1/1/state", headers={"Authorization": f"Bearer {display}"})
    assert r.status_code == 403 and r.mimetype == "application/problem+json"


def test_roles_without_desk_work_cannot_open_desks(staff) -> None:
    boss = staff("boss", ["manager"])
    r = boss.open_desk("1")
    assert r.status_code == 403
    assert boss.client.get("/desk/T1/1").status_code == 403


def test_console_of_a_desk_not_opened_sends_back_to_choose(staff) -> None:
    me = staff("op", ["operator"])
    r = me.client.get("/desk/T1/2")
    assert r.status_code == 302 and r.headers["Location"] == "/desk"
    assert "Спершу відкрийте" in me.client.get("/desk").get_data(as_text=True)


def test_desk_taken_by_colleague_is_shown_and_refused(staff) -> None:
    first, second = staff("op", ["operator"]), staff("op2", ["operator"])
    first.open_desk("1")
    html = second.client.get("/desk").get_data(as_text=True)
    assert "зайняте: op" in html
    assert second.open_desk("1").headers["Location"] == "/desk"
    assert "уже зайняте" in second.client.get("/desk").get_data(as_text=True)
    assert "Продовжити роботу: Вікно 1" in first.client.get("/desk").get_data(as_text=True)


def test_call_specific_only_where_configured_and_logged(staff, api, db) -> None:
    from reception.offices.models import Desk as DeskRow

    me = staff("op", ["operator"])
    first, second = _issue(api), _issue(api)
    me.open_desk("1")
    assert me.client.get("/desk/T1/1/state").get_json()["waiting"] is None
    refused = me.api("POST", "/desks/1/call?office=T1", json={"ticket_id": second["id"], "reason": "ветеран"})
    assert refused.status_code == 409
    with db.write() as s:
        s.scalar(select(DeskRow).where(DeskRow.code == "1")).allow_call_specific = True
    waiting = me.client.get("/desk/T1/1/state").get_json()["waiting"]
    assert [w["code"] for w in waiting] == ["К-001", "К-002"]
    assert "btn-specific" in me.client.get("/desk/T1/1").get_data(as_text=True)
    r = me.api("POST", "/desks/1/call?office=T1", json={"ticket_id": second["id"], "reason": "ветеран"})
    assert r.status_code == 200 and r.get_json()["code"] == "К-002"
    events = me.api("GET", f"/tickets/{second['id']}/events").get_json()
    assert events[-1]["rule"] == "specific" and events[-1]["reason"] == "ветеран"
    assert first["id"] != second["id"]


def test_leader_sees_link_to_todays_reception(staff) -> None:
    boss = staff("lead", ["leader"])
    html = boss.client.get("/desk").get_data(as_text=True)
    assert 'href="/backoffice/reception/today"' in html

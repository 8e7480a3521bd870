"""The two replies as commands: late moves a waiting visitor back N places once (audited, with its
event), cancel leaves the queue; from the phone page and by button."""

from __future__ import annotations

from sqlalchemy import select

from reception.audit.models import AuditLog
from reception.queue.models import TicketEvent
from tests.web.notifications.conftest import messages, subscribe, subscriptions, take
from tests.web.notifications.test_hooks import button, start, tg
from tests.web.test_bad_input import fingerprint


def order(api, op: str, n: int) -> list[str]:
    """The codes desk 1 calls next, in order."""
    called = []
    for _ in range(n):
        r = api.call("POST", "/desks/1/call-next", op).get_json()
        called.append(r["code"])
        api.call("POST", f"/tickets/{r['id']}/finish", op, json={})
    return called


def test_late_moves_back_three_places_once(api, db, hall, clock, app) -> None:
    tickets = []
    for _ in range(6):
        tickets.append(take(api, hall["kiosk"]))
        clock.advance(seconds=30)
    late = tickets[1]
    r = api.call("POST", f"/tickets/{late['public_token']}/replies", json={"action": "late"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["ok"] is True and "перед вами — 4" in r.get_json()["message"]
    status = api.call("GET", f"/tickets/{late['public_token']}").get_json()
    assert status["position"] == 4
    before = fingerprint(db)
    again = api.call("POST", f"/tickets/{late['public_token']}/replies", json={"action": "late"})
    assert again.status_code == 409 and "один раз" in again.get_json()["detail"]
    assert fingerprint(db) == before
    codes = [t["code"] for t in tickets]
    assert order(api, hall["op"], 6) == [codes[0], codes[2], codes[3], codes[4], codes[1], codes[5]]
    with db.read() as s:
        [moved] = s.scalars(select(TicketEvent).where(TicketEvent.kind == "moved_back")).all()
        assert moved.actor_user_id is None and moved.data["places"] == 3 and moved.data["via"] == "web"
        audited = s.scalars(select(AuditLog).where(AuditLog.action == "ticket.visitor_late")).all()
        assert len(audited) == 1 and audited[0].user_id is None and audited[0].detail == {"via": "web"}
    names = [e.name for e in app.config["publisher"].events] if hasattr(app.config["publisher"], "events") else []
    assert not names or "moved_back" in names


def test_late_near_the_end_moves_only_as_far_as_the_line_goes(api, db, hall) -> None:
    first, second = take(api, hall["kiosk"]), take(api, hall["kiosk"])
    r = api.call("POST", f"/tickets/{first['public_token']}/replies", json={"action": "late"}).get_json()
    assert r["ok"] and "перед вами — 1" in r["message"]
    last = api.call("POST", f"/tickets/{first['public_token']}/replies", json={"action": "late"})
    assert last.status_code == 409
    assert api.call("GET", f"/tickets/{second['public_token']}").get_json()["position"] == 0


def test_late_when_already_called_is_refused(api, db, hall) -> None:
    t = take(api, hall["kiosk"])
    api.call("POST", "/desks/1/call-next", hall["op"])
    r = api.call("POST", f"/tickets/{t['public_token']}/replies", json={"action": "late"})
    assert r.status_code == 409 and t["code"] in r.get_json()["detail"]


def test_cancel_from_the_page_leaves_the_queue(api, db, hall) -> None:
    t = take(api, hall["kiosk"])
    r = api.call("POST", f"/tickets/{t['public_token']}/replies", json={"action": "cancel"})
    assert r.status_code == 200 and r.get_json()["ok"]
    assert api.call("GET", f"/tickets/{t['public_token']}").get_json()["status"] == "cancelled"
    assert api.call("POST", f"/tickets/{t['public_token']}/replies", json={"action": "cancel"}).status_code == 409
    with db.read() as s:
        [ev] = s.scalars(select(TicketEvent).where(TicketEvent.kind == "cancelled")).all()
        assert ev.reason == "visitor:web" and ev.actor_user_id is None


def test_telegram_buttons_late_and_cancel_answer_in_the_chat(api, client, db, hall) -> None:
    t = take(api, hall["kiosk"])
    for _ in range(3):
        take(api, hall["kiosk"])
    subscribe(api, t, "telegram")
    tg(client, start(555, subscriptions(db)[0].bind_token, update_id=1))
    sub_id = subscriptions(db)[0].id
    assert tg(client, button(555, f"late:{sub_id}", 2)).get_json()["outcome"] == "replied"
    assert api.call("GET", f"/tickets/{t['public_token']}").get_json()["position"] == 3
    assert tg(client, button(555, "cancel", 3)).get_json()["outcome"] == "replied"  # no id: this chat's open ticket
    answers = messages(db, kind="reply_answer")
    assert [m.address for m in answers] == ["555", "555"] and "скасовано" in answers[-1].body
    # another chat cannot act on this subscription by naming it
    other = take(api, hall["kiosk"])
    subscribe(api, other, "telegram")
    tg(client, start(556, subscriptions(db)[1].bind_token, update_id=4))
    before = api.call("GET", f"/tickets/{other['public_token']}").get_json()["position"]
    tg(client, button(999, f"late:{subscriptions(db)[1].id}", 5))
    assert api.call("GET", f"/tickets/{other['public_token']}").get_json()["position"] == before


def test_two_late_replies_at_once_move_the_ticket_once(api, db, db_url, hall, clock) -> None:
    from reception.notifications.config import NotifyConfig
    from reception.notifications.replies import reply_from_page
    from tests.fakes import race

    late = take(api, hall["kiosk"])
    for _ in range(4):
        clock.advance(seconds=20)  # issued one after another, as on a real kiosk
        take(api, hall["kiosk"])
    outcomes = race(db_url, clock, reply_from_page, [(late["public_token"], "late", NotifyConfig())] * 4)
    assert sorted(outcomes) == ["error.late_again"] * 3 + ["ok"]
    with db.read() as s:
        assert len(s.scalars(select(TicketEvent).where(TicketEvent.kind == "moved_back")).all()) == 1
    assert api.call("GET", f"/tickets/{late['public_token']}").get_json()["position"] == 3


def test_the_office_setting_says_how_far_late_moves(api, db, hall, clock) -> None:
    boss = api.user("boss", ["manager"])
    refused = api.call("PATCH", "/offices/T1", boss, json={"settings": {"late_move_places": 0}})
    assert refused.status_code == 422 and refused.get_json()["detail"] == "«Запізнююся»: від 1 до 50 місць."
    assert api.call("PATCH", "/offices/T1", boss, json={"settings": {"late_move_places": 1}}).status_code == 200
    tickets = []
    for _ in range(4):
        tickets.append(take(api, hall["kiosk"]))
        clock.advance(seconds=30)
    r = api.call("POST", f"/tickets/{tickets[0]['public_token']}/replies", json={"action": "late"}).get_json()
    assert r["ok"] and "перед вами — 1" in r["message"]

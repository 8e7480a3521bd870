"""Which events send which messages: exactly one per cause, in the visitor's language, and nothing
without a bound subscription."""

from __future__ import annotations

from tests.web.notifications.conftest import messages, subscribe, subscriptions, take
from tests.web.notifications.test_hooks import start, tg


def kinds(db) -> list[str]:
    return [m.kind for m in messages(db)]


def test_called_sends_one_message_naming_the_desk(api, db, hall) -> None:
    t = take(api, hall["kiosk"])
    subscribe(api, t, "sms", "+380501112233")
    called = api.call("POST", "/desks/1/call-next", hall["op"]).get_json()
    assert called["code"] == t["code"]
    api.call("POST", "/desks/1/call-next", hall["op"])  # a double click answers the same call
    [msg] = messages(db, kind="called")
    assert msg.body == f"Талон {t['code']}: вас запрошують — Вікно 1."
    assert msg.ticket_id == t["id"] and msg.idempotency_key.startswith(f"called:{t['id']}:")
    api.call("POST", f"/tickets/{t['id']}/recall", hall["op"])
    assert len(messages(db, kind="called")) == 1  # a recall is the hall's, not another message


def test_english_visitor_reads_english(api, db, hall) -> None:
    r = api.call("POST", "/kiosk/tickets", hall["kiosk"], json={"service": "consult", "lang": "en"})
    t = r.get_json()
    subscribe(api, t, "email", "anna@example.org")
    api.call("POST", "/desks/1/call-next", hall["op"])
    [msg] = messages(db, kind="called")
    assert msg.body == f"Ticket {t['code']}: you are called — Window 1." and msg.subject == f"Queue: ticket {t['code']}"


def test_turn_near_once_when_few_are_ahead(api, db, hall) -> None:
    tickets = [take(api, hall["kiosk"]) for _ in range(6)]
    watcher = tickets[5]
    subscribe(api, watcher, "sms", "+380501112233")
    subscribe(api, tickets[4], "telegram")  # not bound: told nothing
    near_after = []
    for _ in range(4):
        r = api.call("POST", "/desks/1/call-next", hall["op"]).get_json()
        api.call("POST", f"/tickets/{r['id']}/finish", hall["op"], json={})
        near_after.append(len(messages(db, kind="turn_near")))
    # 6 waiting, the watcher last: after the 1st call 4 are ahead (no message; estimate is long), after
    # the 2nd 3 are ahead (N=3): one message, and never again
    assert near_after == [0, 1, 1, 1]
    [msg] = messages(db, kind="turn_near")
    assert watcher["code"] in msg.body and msg.address == "+380501112233"
    assert {b["action"] for b in msg.buttons} == {"late", "cancel", "stop"}
    assert kinds(db).count("turn_near") == 1


def test_finished_asks_how_it_went_with_the_feedback_link(api, db, hall) -> None:
    t = take(api, hall["kiosk"])
    subscribe(api, t, "sms", "+380501112233")
    api.call("POST", "/desks/1/call-next", hall["op"])
    api.call("POST", f"/tickets/{t['id']}/finish", hall["op"], json={})
    [msg] = messages(db, kind="feedback_ask")
    assert f"http://test/t/{t['public_token']}#feedback" in msg.body and "Як усе пройшло" in msg.body


def test_suspended_and_resumed_once_each(api, db, hall) -> None:
    t = take(api, hall["kiosk"])
    subscribe(api, t, "sms", "+380501112233")
    manager = api.user("boss", ["manager"])
    assert api.call("POST", "/offices/T1/suspend", manager, json={"reason": "air_raid"}).status_code == 200
    api.call("POST", "/offices/T1/resume", manager, json={"after_min": 10})  # a scheduled end: no second alarm
    [alarm] = messages(db, kind="suspended")
    assert "укриття" in alarm.body and "збережено" in alarm.body and t["code"] in alarm.body
    assert api.call("POST", "/offices/T1/resume", manager, json={}).status_code == 200
    [back] = messages(db, kind="resumed")
    assert t["code"] in back.body


def test_nothing_without_a_bound_subscription(api, client, db, hall) -> None:
    t = take(api, hall["kiosk"])
    subscribe(api, t, "telegram")  # the link never opened
    other = take(api, hall["kiosk"])
    sub_id = subscribe(api, other, "sms", "+380501112233").get_json()["id"]
    api.call("DELETE", f"/subscriptions/{sub_id}?token={other['public_token']}")
    before = len(messages(db))
    api.call("POST", "/desks/1/call-next", hall["op"])
    api.call("POST", f"/tickets/{t['id']}/finish", hall["op"], json={})
    api.call("POST", "/desks/1/call-next", hall["op"])
    assert len(messages(db)) == before
    # once bound, the same ticket's next event is sent
    tg(client, start(31337, subscriptions(db)[0].bind_token))
    assert messages(db)[-1].address == "31337"


def test_transfer_keeps_the_subscription(api, db, hall) -> None:
    t = take(api, hall["kiosk"])
    subscribe(api, t, "sms", "+380501112233")
    api.call("POST", "/desks/1/call-next", hall["op"])
    moved = api.call("POST", f"/tickets/{t['id']}/transfer", hall["op"], json={"service": "appeal"}).get_json()
    assert subscriptions(db)[0].ticket_id == moved["id"]
    api.call("POST", "/desks/1/call-next", hall["op"])
    assert [m.ticket_id for m in messages(db, kind="called")] == [t["id"], moved["id"]]


def test_a_call_in_an_office_nobody_subscribed_in_asks_about_subscriptions_once(api, db, app, clock, hall) -> None:
    """The hot path's price for the channel (decision 026): one short read for every trigger of a call-next."""
    from sqlalchemy import event

    first, second = take(api, hall["kiosk"]), take(api, hall["kiosk"])
    api.call("POST", "/desks/1/call-next", hall["op"])
    clock.advance(seconds=60)  # past the double-click window
    asked: list[str] = []

    def note(_conn, _cursor, statement: str, *_args) -> None:
        asked.append(statement)

    engine = app.extensions["reception"].db.write_engine
    event.listen(engine, "before_cursor_execute", note)
    try:  # this Next finishes the first visitor and calls the second: two events, three triggers
        assert api.call("POST", "/desks/1/call-next", hall["op"]).get_json()["code"] == second["code"]
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert first["code"] != second["code"]
    assert sum("subscriptions" in s for s in asked) == 1
    assert not messages(db)  # and nobody is told anything

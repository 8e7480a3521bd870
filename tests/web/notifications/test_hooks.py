"""The providers' webhooks: binding by /start and conversation_started, forged calls refused with nothing
changed, replays acting once, unknown payloads ignored, replies by button and by word."""

from __future__ import annotations

import json
from typing import Any

from reception.notifications.hooks import viber_signature
from tests.web.notifications.conftest import (
    SMS_SECRET,
    TG_SECRET,
    VIBER_TOKEN,
    messages,
    subscribe,
    subscriptions,
    take,
)
from tests.web.test_bad_input import fingerprint


def tg(client, update: Any, secret: str | None = TG_SECRET):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return client.post("/hooks/telegram", data=json.dumps(update), content_type="application/json", headers=headers)


def vb(client, event: Any, token: str = VIBER_TOKEN, signature: str | None = None):
    body = json.dumps(event).encode()
    sig = signature if signature is not None else viber_signature(body, token)
    return client.post("/hooks/viber", data=body, content_type="application/json",
                       headers={"X-Viber-Content-Signature": sig})


def sms(client, sender: str, text: str, ident: str | None = None, secret: str = SMS_SECRET):
    body = {"from": sender, "text": text} | ({"id": ident} if ident else {})
    return client.post("/hooks/sms", json=body, headers={"X-Reception-Secret": secret})


def start(chat: int, payload: str | None, update_id: int = 1) -> dict[str, Any]:
    return {"update_id": update_id, "message": {"message_id": 5, "chat": {"id": chat, "type": "private"},
                                                "from": {"id": chat, "language_code": "uk"}, "text": f"/start {payload}"}}


def button(chat: int, data: str, update_id: int) -> dict[str, Any]:
    return {"update_id": update_id, "callback_query": {"id": f"cb{update_id}", "from": {"id": chat},
                                                       "message": {"chat": {"id": chat}}, "data": data}}


def test_telegram_binds_by_start_and_confirms(api, client, db, hall) -> None:
    t = take(api, hall["kiosk"])
    subscribe(api, t, "telegram")
    token = subscriptions(db)[0].bind_token
    r = tg(client, start(777001, token))
    assert r.status_code == 200 and r.get_json()["outcome"] == "bound"
    [sub] = subscriptions(db)
    assert sub.address == "777001" and sub.bound_at is not None
    [msg] = messages(db)
    assert msg.channel == "telegram" and msg.address == "777001" and msg.kind == "subscribed" and t["code"] in msg.body
    assert any(b["action"] == "stop" and b["data"] == f"stop:{sub.id}" for b in msg.buttons)
    # the page no longer offers the link once bound
    assert api.call("GET", f"/tickets/{t['public_token']}/subscriptions").get_json()[0]["bound"] is True


def test_viber_binds_on_conversation_started_and_welcomes_in_the_answer(api, client, db, hall) -> None:
    t = take(api, hall["kiosk"])
    subscribe(api, t, "viber")
    token = subscriptions(db)[0].bind_token
    r = vb(client, {"event": "conversation_started", "timestamp": 1, "message_token": 4912661846655238145,
                    "type": "open", "context": token, "user": {"id": "01234567890A=", "language": "uk"},
                    "subscribed": False})
    assert r.status_code == 200
    answer = r.get_json()
    assert answer["type"] == "text" and t["code"] in answer["text"] and answer["sender"]["name"]
    assert subscriptions(db)[0].address == "01234567890A="
    assert messages(db) == []  # Viber: the welcome is the answer, never a send_message to a non-subscriber


def test_forged_webhooks_are_refused_and_change_nothing(api, client, db, hall) -> None:
    t = take(api, hall["kiosk"])
    subscribe(api, t, "telegram")
    subscribe(api, t, "viber")
    token = subscriptions(db)[0].bind_token
    before = fingerprint(db)
    assert tg(client, start(1, token), secret="wrong").status_code == 401
    assert tg(client, start(1, token), secret=None).status_code == 401
    event = {"event": "conversation_started", "message_token": 1, "context": subscriptions(db)[1].bind_token,
             "user": {"id": "u1"}}
    assert vb(client, event, token="not-the-token").status_code == 403
    assert vb(client, event, signature="").status_code == 403
    assert sms(client, "+380501112233", "СТОП", secret="nope").status_code == 401
    assert client.post("/hooks/sms", json={"from": "+380501112233", "text": "STOP"}).status_code == 401
    assert fingerprint(db) == before
    assert all(s.address is None for s in subscriptions(db))


def test_unknown_and_malformed_payloads(api, client, db, hall) -> None:
    before = fingerprint(db)
    assert tg(client, {"update_id": 9, "edited_message": {"text": "hi"}}).get_json()["outcome"] == "ignored"
    assert tg(client, [1, 2, 3]).status_code == 200
    assert vb(client, {"event": "webhook", "timestamp": 1, "message_token": 1}).status_code == 200  # set_webhook's check
    assert vb(client, {"event": "delivered", "message_token": 2, "user_id": "x"}).status_code == 200
    r = client.post("/hooks/telegram", data=b"{not json", content_type="application/json",
                    headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET})
    assert r.status_code == 400
    assert sms(client, "+380501112233", "ПІЗНО").get_json()["outcome"] == "ignored"  # a stranger: never answered
    assert fingerprint(db) == before


def test_a_replayed_update_changes_nothing_twice(api, client, db, hall) -> None:
    t = take(api, hall["kiosk"])
    take(api, hall["kiosk"])
    subscribe(api, t, "telegram")
    tg(client, start(42, subscriptions(db)[0].bind_token, update_id=100))
    sub_id = subscriptions(db)[0].id
    first = tg(client, button(42, f"late:{sub_id}", 101))
    assert first.get_json()["outcome"] == "replied"
    before = fingerprint(db)
    again = tg(client, button(42, f"late:{sub_id}", 101))
    assert again.status_code == 200 and again.get_json()["outcome"] == "replayed"
    assert fingerprint(db) == before


def test_sms_reply_words_in_either_alphabet(api, client, db, hall) -> None:
    t = take(api, hall["kiosk"])
    behind = [take(api, hall["kiosk"]) for _ in range(4)]
    subscribe(api, t, "sms", "050 111 22 33")
    r = sms(client, "380501112233", "  пізно!", ident="m1")
    assert r.get_json()["outcome"] == "replied"
    answer = messages(db, kind="reply_answer")[-1]
    assert answer.address == "+380501112233" and t["code"] in answer.body
    assert sms(client, "+380501112233", "LATE", ident="m2").get_json()["outcome"] == "refused"
    assert "один раз" in messages(db, kind="reply_answer")[-1].body
    assert sms(client, "+380501112233", "що?", ident="m3").get_json()["outcome"] == "unknown_reply"
    assert "ПІЗНО" in messages(db, kind="reply_answer")[-1].body
    assert sms(client, "+380501112233", "Скасувати", ident="m4").get_json()["outcome"] == "replied"
    assert api.call("GET", f"/tickets/{t['public_token']}").get_json()["status"] == "cancelled"
    assert sms(client, "+380501112233", "CTOП", ident="m5").get_json()["outcome"] == "stopped"  # Latin look-alikes
    assert subscriptions(db)[0].revoked_at is not None
    assert len(behind) == 4

"""The visitor's channel end to end, on SQLite and PostgreSQL, against the local provider servers: a kiosk
ticket, the subscription (Telegram's /start deep link, Viber's conversation_started, a typed phone or
e-mail), the desk's calls, the delivery job, what each provider received (texts, reply buttons), the
visitor's reply by button, word or link, the ticket moved back and the answer delivered; the office
suspended and resumed; "how did it go" after the visit; a gateway killed mid-run losing nothing."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from reception.leadership.models import Appointment
from reception.notifications.channels import Channel, configured_channels
from reception.notifications.delivery import DeliveryOutcome, deliver_due
from reception.notifications.hooks import viber_signature
from reception.notifications.models import Message
from reception.platform.db import Database
from tests.protocol_servers import SmtpServer, TelegramServer, TurboSmsServer, ViberServer

TG_SECRET = "tg-e2e-secret"
SMS_SECRET = "sms-e2e-secret"
CHAT = 700123
VIBER_USER = "e2eViberUser0A=="
PHONE = "+380501112233"
EMAIL = "olena@example.org"


@dataclass
class Hall:
    api: Any
    client: Any
    db: Database
    clock: Any
    kiosk: str
    op: str
    channels: dict[str, Channel]

    def take(self) -> dict[str, Any]:
        r = self.api.call("POST", "/kiosk/tickets", self.kiosk, json={"service": "consult"})
        assert r.status_code == 201, r.get_json()
        return dict(r.get_json())

    def call_next(self) -> dict[str, Any]:
        r = self.api.call("POST", "/desks/1/call-next", self.op)
        assert r.status_code == 200, r.get_json()
        return dict(r.get_json())

    def finish(self, ticket_id: int) -> None:
        r = self.api.call("POST", f"/tickets/{ticket_id}/finish", self.op, json={})
        assert r.status_code == 200, r.get_json()

    def serve_next(self) -> dict[str, Any]:
        called = self.call_next()
        self.finish(called["id"])
        return called

    def subscribe(self, ticket: dict[str, Any], channel: str, address: str | None = None) -> dict[str, Any]:
        body = {"channel": channel} | ({"address": address} if address else {})
        r = self.api.call("POST", f"/tickets/{ticket['public_token']}/subscriptions", json=body)
        assert r.status_code == 201, r.get_json()
        return dict(r.get_json())

    def status(self, ticket: dict[str, Any]) -> dict[str, Any]:
        return dict(self.api.call("GET", f"/tickets/{ticket['public_token']}").get_json())

    def deliver(self, channels: dict[str, Channel] | None = None) -> DeliveryOutcome:
        return deliver_due(self.db, self.clock, self.channels if channels is None else channels)

    def telegram(self, update: dict[str, Any], secret: str = TG_SECRET) -> dict[str, Any]:
        r = self.client.post("/hooks/telegram", data=json.dumps(update), content_type="application/json",
                             headers={"X-Telegram-Bot-Api-Secret-Token": secret})
        assert r.status_code == 200, r.get_data(as_text=True)
        return dict(r.get_json() or {})

    def viber(self, event: dict[str, Any], token: str) -> dict[str, Any]:
        body = json.dumps(event).encode()
        r = self.client.post("/hooks/viber", data=body, content_type="application/json",
                             headers={"X-Viber-Content-Signature": viber_signature(body, token)})
        assert r.status_code == 200, r.get_data(as_text=True)
        return dict(r.get_json() or {})

    def sms(self, sender: str, text: str, ident: str) -> dict[str, Any]:
        r = self.client.post("/hooks/sms", json={"from": sender, "text": text, "id": ident},
                             headers={"X-Reception-Secret": SMS_SECRET})
        assert r.status_code == 200, r.get_data(as_text=True)
        return dict(r.get_json() or {})

    def messages(self, **where: Any) -> list[Message]:
        with self.db.read() as s:
            query = select(Message)
            for name, value in where.items():
                query = query.where(getattr(Message, name) == value)
            return list(s.scalars(query.order_by(Message.id)))


@pytest.fixture
def hall(app, api, client, db, clock, gateways) -> Hall:
    app.config |= {"TELEGRAM_BOT_NAME": "cnap_test_bot", "VIBER_BOT_URI": "cnaptest",
                   "TELEGRAM_WEBHOOK_SECRET": TG_SECRET, "SMS_WEBHOOK_SECRET": SMS_SECRET, **gateways}
    kiosk = api.device("kiosk")
    op = api.user("op", ["operator"])
    assert api.call("POST", "/desks/1/open", op).status_code == 200
    return Hall(api, client, db, clock, kiosk, op, configured_channels(gateways))


def line_with_watcher(hall: Hall) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Seven waiting tickets; the watcher is the fourth (three ahead, three behind)."""
    tickets = [hall.take() for _ in range(7)]
    return tickets, tickets[3]


def callback(update_id: int, data: str) -> dict[str, Any]:
    """A tap on an inline button, as the Bot API posts it."""
    return {"update_id": update_id, "callback_query": {
        "id": f"cbq-{update_id}", "from": {"id": CHAT, "language_code": "uk"}, "data": data,
        "message": {"message_id": 9, "chat": {"id": CHAT, "type": "private"}}}}


def tg_keyboard(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [button for row in (body.get("reply_markup") or {}).get("inline_keyboard", []) for button in row]


def test_telegram_from_the_deep_link_to_how_did_it_go(hall: Hall, telegram_server: TelegramServer) -> None:
    tickets, watcher = line_with_watcher(hall)
    sub = hall.subscribe(watcher, "telegram")
    link = urlsplit(sub["link"])
    assert (link.netloc, link.path) == ("t.me", "/cnap_test_bot")
    payload = parse_qs(link.query)["start"][0]
    start = {"update_id": 1001, "message": {"message_id": 1, "chat": {"id": CHAT, "type": "private"},
                                            "from": {"id": CHAT, "language_code": "uk"}, "text": f"/start {payload}"}}
    assert hall.telegram(start)["outcome"] == "bound"
    assert hall.telegram(start)["outcome"] == "replayed"  # Telegram retries an update: bound once
    assert hall.deliver().sent == 1
    [confirmed] = telegram_server.sent()
    assert confirmed["chat_id"] == str(CHAT) and watcher["code"] in confirmed["text"]
    assert {b.get("callback_data") for b in tg_keyboard(confirmed)} >= {f"stop:{sub['id']}"}

    # the desk calls the first: the watcher has two ahead, their turn is near
    assert hall.call_next()["code"] == tickets[0]["code"]
    assert hall.deliver().sent == 1
    near = telegram_server.sent()[-1]
    assert watcher["code"] in near["text"]
    buttons = tg_keyboard(near)
    assert [b.get("callback_data") for b in buttons] == [f"late:{sub['id']}", f"cancel:{sub['id']}",
                                                         f"stop:{sub['id']}"]
    assert [b["text"] for b in buttons] == ["Запізнююсь", "Скасувати", "Відписатися"]

    # "I'm running late" by the inline button: moved back three places, answered in the same chat
    ahead_before = hall.status(watcher)["position"]
    late = buttons[0]["callback_data"]
    tap = callback(1002, late)
    tapped = hall.telegram(tap)
    assert tapped["outcome"] == "replied"
    assert (tapped["method"], tapped["callback_query_id"]) == ("answerCallbackQuery", "cbq-1002")  # no spinner
    assert hall.telegram(tap)["outcome"] == "replayed"
    assert hall.status(watcher)["position"] == ahead_before + 3
    assert hall.deliver().sent == 1
    answer = telegram_server.sent()[-1]
    assert answer["chat_id"] == str(CHAT) and watcher["code"] in answer["text"]
    [row] = hall.messages(kind="reply_answer")
    assert row.status == "sent" and row.body == answer["text"]

    # a second "late" is refused in words, the place kept
    assert hall.telegram(callback(1003, late))["outcome"] == "refused"
    assert hall.status(watcher)["position"] == ahead_before + 3
    hall.deliver()
    assert "лише один раз" in telegram_server.sent()[-1]["text"]

    # served in turn: the call names the desk, then "how did it go" with the feedback link
    hall.finish(tickets[0]["id"])
    while (called := hall.call_next())["code"] != watcher["code"]:
        hall.finish(called["id"])
    hall.deliver()
    [call] = [b for b in telegram_server.sent() if "запрошують" in b["text"]]
    assert call["text"] == f"Талон {watcher['code']}: вас запрошують — Вікно 1." and call["chat_id"] == str(CHAT)
    hall.finish(watcher["id"])
    assert hall.deliver().sent == 1
    how = telegram_server.sent()[-1]
    assert f"/t/{watcher['public_token']}#feedback" in how["text"]
    assert all(m.status == "sent" for m in hall.messages())
    assert Counter(m.kind for m in hall.messages()) == Counter(
        {"subscribed": 1, "turn_near": 1, "reply_answer": 2, "called": 1, "feedback_ask": 1})


def test_viber_binds_replies_by_keyboard_and_hears_the_call(hall: Hall, viber_server: ViberServer) -> None:
    tickets, watcher = line_with_watcher(hall)
    sub = hall.subscribe(watcher, "viber")
    context = parse_qs(urlsplit(sub["link"]).query)["context"][0]
    started = {"event": "conversation_started", "timestamp": 1, "message_token": 5001, "type": "open",
               "context": context, "user": {"id": VIBER_USER, "language": "uk"}, "subscribed": False}
    welcome = hall.viber(started, viber_server.token)
    assert watcher["code"] in welcome["text"]  # the welcome is the webhook's answer
    assert hall.deliver().sent == 0 and viber_server.sent() == []

    hall.call_next()
    assert hall.deliver().sent == 1
    [near] = viber_server.sent()
    assert near["receiver"] == VIBER_USER and watcher["code"] in near["text"]
    keys = near["keyboard"]["Buttons"]
    assert [(b["ActionType"], b["ActionBody"]) for b in keys] == [
        ("reply", f"late:{sub['id']}"), ("reply", f"cancel:{sub['id']}"), ("reply", f"stop:{sub['id']}")]

    ahead_before = hall.status(watcher)["position"]
    reply = {"event": "message", "timestamp": 2, "message_token": 5002,
             "sender": {"id": VIBER_USER, "language": "uk"},
             "message": {"type": "text", "text": keys[0]["ActionBody"]}}
    assert hall.viber(reply, viber_server.token)["outcome"] == "replied"
    assert hall.viber(reply, viber_server.token)["outcome"] == "replayed"
    assert hall.status(watcher)["position"] == ahead_before + 3
    assert hall.deliver().sent == 1
    answer = viber_server.sent()[-1]
    assert answer["receiver"] == VIBER_USER and watcher["code"] in answer["text"]

    hall.finish(tickets[0]["id"])
    while (called := hall.call_next())["code"] != watcher["code"]:
        hall.finish(called["id"])
    hall.deliver()
    assert viber_server.sent()[-1]["text"] == f"Талон {watcher['code']}: вас запрошують — Вікно 1."
    assert all(r.headers.get("X-Viber-Auth-Token") == viber_server.token for r in viber_server.received)


def test_sms_reply_word_and_the_office_suspended_and_resumed(hall: Hall, sms_server: TurboSmsServer) -> None:
    tickets, watcher = line_with_watcher(hall)
    hall.subscribe(watcher, "sms", PHONE)
    assert hall.deliver().sent == 1  # the confirmation
    hall.call_next()
    assert hall.deliver().sent == 1
    near = sms_server.sent()[-1]
    assert near["recipients"] == [PHONE.lstrip("+")] and watcher["code"] in near["sms"]["text"]

    ahead_before = hall.status(watcher)["position"]
    assert hall.sms(PHONE.lstrip("+"), "ПІЗНО", "in-1")["outcome"] == "replied"
    assert hall.sms(PHONE.lstrip("+"), "ПІЗНО", "in-1")["outcome"] == "replayed"
    assert hall.status(watcher)["position"] == ahead_before + 3
    assert hall.deliver().sent == 1
    answer = sms_server.sent()[-1]
    assert answer["recipients"] == [PHONE.lstrip("+")] and watcher["code"] in answer["sms"]["text"]

    # air-raid: the office suspended through its API, then resumed
    manager = hall.api.user("boss", ["manager"])
    assert hall.api.call("POST", "/offices/T1/suspend", manager, json={"reason": "air_raid"}).status_code == 200
    assert hall.deliver().sent == 1
    alarm = sms_server.sent()[-1]["sms"]["text"]
    assert "укриття" in alarm and watcher["code"] in alarm
    assert hall.api.call("POST", "/offices/T1/resume", manager, json={}).status_code == 200
    assert hall.deliver().sent == 1
    assert watcher["code"] in sms_server.sent()[-1]["sms"]["text"]
    assert [m.kind for m in hall.messages()][-2:] == ["suspended", "resumed"]
    assert {m.status for m in hall.messages()} == {"sent"}


def test_email_links_to_the_page_where_the_reply_is_made(hall: Hall, smtp_server: SmtpServer) -> None:
    tickets, watcher = line_with_watcher(hall)
    hall.subscribe(watcher, "email", EMAIL)
    hall.call_next()
    assert hall.deliver().sent == 2  # the confirmation and "your turn is near"
    near = smtp_server.messages[-1]
    assert near["To"] == EMAIL and watcher["code"] in near["Subject"]
    text = near.get_content()
    page = f"http://test/t/{watcher['public_token']}"
    assert watcher["code"] in text and page in text

    ahead_before = hall.status(watcher)["position"]
    r = hall.api.call("POST", f"/tickets/{watcher['public_token']}/replies", json={"action": "late"})
    assert r.status_code == 200 and r.get_json()["ok"] is True and watcher["code"] in r.get_json()["message"]
    assert hall.status(watcher)["position"] == ahead_before + 3
    r = hall.api.call("POST", f"/tickets/{watcher['public_token']}/replies", json={"action": "late"})
    assert r.status_code == 409

    hall.finish(tickets[0]["id"])
    while (called := hall.call_next())["code"] != watcher["code"]:
        hall.finish(called["id"])
    hall.finish(watcher["id"])
    hall.deliver()
    called_mail, how = smtp_server.messages[-2:]
    assert "Вікно 1" in called_mail.get_content() and called_mail["To"] == EMAIL
    assert f"{page}#feedback" in how.get_content()
    assert len({m["Message-ID"] for m in smtp_server.messages}) == len(smtp_server.messages) == 4


def test_a_telegram_gateway_killed_mid_run_loses_no_message(hall: Hall, telegram_server: TelegramServer) -> None:
    tickets = [hall.take() for _ in range(4)]
    for n, ticket in enumerate(tickets):
        sub = hall.subscribe(ticket, "telegram")
        payload = parse_qs(urlsplit(sub["link"]).query)["start"][0]
        hall.telegram({"update_id": 2000 + n, "message": {"message_id": n, "chat": {"id": CHAT + n},
                                                          "text": f"/start {payload}"}})
    assert hall.deliver().sent == 4
    telegram_server.stop()  # the gateway dies
    for _ in range(3):
        hall.serve_next()  # called, near and "how did it go": all queued while it is down
    due = [m for m in hall.messages() if m.status == "queued"]
    assert due
    outcome = hall.deliver()
    assert outcome.sent == 0 and outcome.retried == len(due)  # retry scheduled, the desk never waited
    assert all(m.last_error for m in hall.messages(status="queued"))
    hall.clock.advance(minutes=1)
    hall.deliver()  # still down: retried later, nothing lost
    telegram_server.start()
    hall.clock.advance(hours=2)
    assert hall.deliver().sent == len(due)
    assert {m.status for m in hall.messages()} == {"sent"}
    texts = Counter((b["chat_id"], b["text"]) for b in telegram_server.sent())
    assert set(texts.values()) == {1}  # exactly one sendMessage per message
    assert len(telegram_server.sent()) == len(hall.messages())
    assert not hall.deliver()


@pytest.mark.parametrize("letter_id", ["<a1b2@mail.example.org>", None])
def test_an_appeals_answer_by_email_threads_under_the_letter(api, db, clock, smtp_server: SmtpServer,
                                                             letter_id: str | None) -> None:
    from reception.appeals.mail_parse import message_key
    from tests.web.appeals.test_mail_drafts_api import ACCEPT, add_draft

    cc = api.user("cc", ["call_centre"])
    mail_id = add_draft(db, clock, message_id=letter_id or message_key(b"a letter without a Message-ID"))
    record = api.call("POST", f"/mail-drafts/{mail_id}/accept", cc, json=ACCEPT).get_json()["record"]["id"]
    r = api.call("POST", f"/records/{record}/email-answer", cc, json={"body": "Субсидію перераховано."})
    assert r.status_code == 200, r.get_json()
    assert deliver_due(db, clock, configured_channels(smtp_server.config)).sent == 1
    [answer] = smtp_server.messages
    assert answer["To"] == "olena@example.org" and answer["Subject"] == "Re: Субсидія за жовтень"
    assert answer["In-Reply-To"] == letter_id and answer["References"] == letter_id
    assert answer.get_content().startswith("Субсидію перераховано.")


def test_cancel_and_stop_by_button_and_by_word(hall: Hall, telegram_server: TelegramServer,
                                               sms_server: TurboSmsServer) -> None:
    tickets, watcher = line_with_watcher(hall)
    sub = hall.subscribe(watcher, "telegram")
    payload = parse_qs(urlsplit(sub["link"]).query)["start"][0]
    hall.telegram({"update_id": 3001, "message": {"message_id": 1, "chat": {"id": CHAT}, "text": f"/start {payload}"}})
    texting = tickets[5]
    hall.subscribe(texting, "sms", PHONE)
    hall.call_next()
    hall.deliver()
    near = telegram_server.sent()[-1]
    cancel = [b["callback_data"] for b in tg_keyboard(near) if b["callback_data"].startswith("cancel:")][0]

    # "cancel" by the inline button: the ticket leaves the queue, the visitor is told
    assert hall.telegram(callback(3002, cancel))["outcome"] == "replied"
    assert hall.status(watcher)["status"] == "cancelled"
    assert hall.deliver().sent == 1
    assert watcher["code"] in telegram_server.sent()[-1]["text"]

    # "СТОП" by SMS: the subscription ends, answered once, and nothing more is sent to that number
    assert hall.sms(PHONE, "СТОП", "in-stop")["outcome"] == "stopped"
    assert hall.deliver().sent == 1
    assert [m.kind for m in hall.messages(channel="sms")][-1] == "reply_answer"
    stopped = len(sms_server.sent())
    served = [hall.serve_next()["code"] for _ in range(5)]  # the one called already, then on to the texter
    assert texting["code"] in served and watcher["code"] not in served
    hall.deliver()
    assert len(sms_server.sent()) == stopped  # neither "called" nor "how did it go" after the stop
    assert {m.status for m in hall.messages()} == {"sent"}


def test_a_booking_confirmed_moved_reminded_and_cancelled_by_sms_and_email(
        app, api, client, db, clock, gateways, sms_server: TurboSmsServer, smtp_server: SmtpServer) -> None:
    from datetime import UTC, datetime

    from reception.notifications.triggers import remind_tomorrow
    from tests.web.leadership.builders import add_leadership
    from tests.web.leadership.test_leadership_booking import VISITOR, _leader_and_rule, _sessions

    app.config |= {"SMS_WEBHOOK_SECRET": SMS_SECRET, **gateways}
    channels = configured_channels(gateways)
    add_leadership(db)
    mgr, cc = api.user("mgr", ["manager"]), api.user("cc", ["call_centre"])
    _leader_and_rule(api, mgr)
    s1, s2 = _sessions(api, cc)[1:3]
    r = api.call("POST", f"/reception-sessions/{s1['id']}/appointments", cc,
                 json={"visitor": VISITOR, "topic": "Земельне питання",
                       "notify": {"consent": True, "sms": True, "email": EMAIL}})
    assert r.status_code == 201, r.get_json()
    appt = r.get_json()
    code = appt["booking_code"]
    phone = VISITOR["phone"]

    assert deliver_due(db, clock, channels).sent == 2
    [sms_confirmed] = sms_server.sent()
    assert sms_confirmed["recipients"] == [phone.lstrip("+")]
    for text in (sms_confirmed["sms"]["text"], smtp_server.messages[0].get_content()):
        assert code in text and "03.12.2026 о 10:00" in text and "Кабінет 412" in text
    assert smtp_server.messages[0]["To"] == EMAIL

    # moved by the call-centre: both hear the new date
    assert api.call("POST", f"/appointments/{appt['id']}/rebook", cc, json={"session": s2["id"]}).status_code == 200
    assert deliver_due(db, clock, channels).sent == 2
    assert "10.12.2026" in sms_server.sent()[-1]["sms"]["text"] and "10.12.2026" in smtp_server.messages[-1].get_content()

    # the day before: the reminder, once
    clock.set(datetime(2026, 12, 9, 16, 0, tzinfo=UTC))
    services = app.extensions["reception"].services
    assert services.value(remind_tomorrow) == 2
    services.value(remind_tomorrow)
    assert deliver_due(db, clock, channels).sent == 2
    assert code in sms_server.sent()[-1]["sms"]["text"] and "10.12.2026" in sms_server.sent()[-1]["sms"]["text"]

    # "СКАСУВАТИ" by SMS: the booking is cancelled and the answer reaches the phone
    r = client.post("/hooks/sms", json={"from": phone.lstrip("+"), "text": "Скасувати", "id": "b-1"},
                    headers={"X-Reception-Secret": SMS_SECRET})
    assert r.get_json()["outcome"] == "replied"
    with db.read() as s:
        got = s.get(Appointment, appt["id"])
        assert got is not None and got.status == "cancelled"
    assert deliver_due(db, clock, channels).sent == 1
    assert code in sms_server.sent()[-1]["sms"]["text"]
    assert len(sms_server.sent()) == 4 and len(smtp_server.messages) == 3

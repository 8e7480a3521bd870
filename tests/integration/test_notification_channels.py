"""Each channel against a local server speaking its provider's protocol (tests/protocol_servers)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from reception.notifications.channels import Permanent, Retryable, configured_channels
from reception.notifications.channels.sms import TurboSmsChannel
from reception.notifications.channels.smtp import SmtpChannel, message_id
from reception.notifications.channels.telegram import TelegramChannel
from reception.notifications.channels.viber import ViberChannel
from reception.notifications.models import Message
from tests.protocol_servers import SmtpServer, TelegramServer, TurboSmsServer, ViberServer

pytestmark = pytest.mark.one_suite("sqlite")  # no database here

BUTTONS = [{"text": "Запізнююсь", "action": "late"}, {"text": "Скасувати", "action": "cancel"},
           {"text": "Сторінка талона", "url": "https://cnap.example/t/abc"}]


def message(channel: str, address: str, **kw: Any) -> Message:
    at = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    return Message(id=kw.pop("id", 7), idempotency_key=kw.pop("key", "called:42"), channel=channel, address=address,
                   kind="called", body=kw.pop("body", "Талон К-005: підійдіть до вікна 3"),
                   buttons=kw.pop("buttons", BUTTONS), attachments=kw.pop("attachments", []), status="queued",
                   attempts=1, next_attempt_at=at, created_at=at, **kw)


def test_only_configured_channels_are_built() -> None:
    assert configured_channels({}) == {}
    built = configured_channels({"TELEGRAM_BOT_TOKEN": "t", "SMS_URL": "http://x/send.json", "SMS_TOKEN": "s",
                                 "SMTP_URL": "smtp://h:25", "MAIL_FROM": "a@b.c"})
    assert sorted(built) == ["email", "sms", "telegram"]


# --- Telegram -------------------------------------------------------------------------------------

def test_telegram_sends_text_and_inline_buttons(telegram_server: TelegramServer) -> None:
    channel = TelegramChannel(telegram_server.token, telegram_server.base_url, timeout=1)
    sent = channel.send(message("telegram", "555001"))
    (call,) = telegram_server.received
    assert call.path == f"/bot{telegram_server.token}/sendMessage"
    assert call.body["chat_id"] == "555001" and call.body["text"] == "Талон К-005: підійдіть до вікна 3"
    assert call.body["reply_markup"] == {"inline_keyboard": [
        [{"text": "Запізнююсь", "callback_data": "late:7"}], [{"text": "Скасувати", "callback_data": "cancel:7"}],
        [{"text": "Сторінка талона", "url": "https://cnap.example/t/abc"}]]}
    assert sent.provider_id == "1000"


def test_telegram_rate_limit_is_retryable_after_its_delay(telegram_server: TelegramServer) -> None:
    channel = TelegramChannel(telegram_server.token, telegram_server.base_url, timeout=1)
    telegram_server.fail("429", retry_after=7)
    with pytest.raises(Retryable) as caught:
        channel.send(message("telegram", "555001"))
    assert caught.value.retry_after == 7 and "429" in caught.value.reason


def test_telegram_blocked_bot_and_wrong_token_are_permanent(telegram_server: TelegramServer) -> None:
    telegram_server.blocked.add("555001")
    with pytest.raises(Permanent, match="403"):
        TelegramChannel(telegram_server.token, telegram_server.base_url, timeout=1).send(message("telegram", "555001"))
    with pytest.raises(Permanent, match="401"):
        TelegramChannel("wrong", telegram_server.base_url, timeout=1).send(message("telegram", "1"))


def test_telegram_server_error_timeout_and_refusal_are_retryable(telegram_server: TelegramServer) -> None:
    channel = TelegramChannel(telegram_server.token, telegram_server.base_url, timeout=0.5)
    telegram_server.fail("500")
    with pytest.raises(Retryable, match="500"):
        channel.send(message("telegram", "1"))
    telegram_server.fail("timeout")
    with pytest.raises(Retryable, match="timeout"):
        channel.send(message("telegram", "1"))
    telegram_server.stop()
    with pytest.raises(Retryable, match="connection"):
        channel.send(message("telegram", "1"))


# --- Viber ----------------------------------------------------------------------------------------

def test_viber_sends_with_token_sender_and_reply_keyboard(viber_server: ViberServer) -> None:
    channel = ViberChannel(viber_server.token, f"{viber_server.base_url}/pa", sender_name="ЦНАП", timeout=1)
    sent = channel.send(message("viber", "01234567890A="))
    (call,) = viber_server.received
    assert call.path == "/pa/send_message" and call.headers["X-Viber-Auth-Token"] == viber_server.token
    body = call.body
    assert body["receiver"] == "01234567890A=" and body["type"] == "text" and body["sender"] == {"name": "ЦНАП"}
    assert body["keyboard"]["Type"] == "keyboard"
    assert body["keyboard"]["Buttons"][:2] == [
        {"ActionType": "reply", "ActionBody": "late:7", "Text": "Запізнююсь"},
        {"ActionType": "reply", "ActionBody": "cancel:7", "Text": "Скасувати"}]
    assert body["keyboard"]["Buttons"][2]["ActionType"] == "open-url"
    assert sent.provider_id == "5098034272017990000"


def test_viber_statuses(viber_server: ViberServer) -> None:
    channel = ViberChannel(viber_server.token, f"{viber_server.base_url}/pa", timeout=1)
    viber_server.unsubscribed.add("gone")
    with pytest.raises(Permanent, match="viber 6"):
        channel.send(message("viber", "gone"))
    viber_server.fail("429")
    with pytest.raises(Retryable, match="viber 12"):
        channel.send(message("viber", "x"))
    viber_server.fail("500")
    with pytest.raises(Retryable, match="500"):
        channel.send(message("viber", "x"))
    with pytest.raises(Permanent, match="viber 2"):
        ViberChannel("wrong", f"{viber_server.base_url}/pa", timeout=1).send(message("viber", "x"))


# --- SMS (TurboSMS) -------------------------------------------------------------------------------

def test_sms_sends_e164_without_plus_and_bearer_token(sms_server: TurboSmsServer) -> None:
    channel = TurboSmsChannel(sms_server.config["SMS_URL"], sms_server.token, sender="CNAP", timeout=1)
    sent = channel.send(message("sms", "+380501234567", body="К-005: вікно 3"))
    (call,) = sms_server.received
    assert call.path == "/message/send.json" and call.headers["Authorization"] == f"Bearer {sms_server.token}"
    assert call.body == {"recipients": ["380501234567"], "sms": {"sender": "CNAP", "text": "К-005: вікно 3"}}
    assert sent.provider_id


def test_sms_errors(sms_server: TurboSmsServer) -> None:
    channel = TurboSmsChannel(sms_server.config["SMS_URL"], sms_server.token, sender="CNAP", timeout=1)
    with pytest.raises(Permanent, match="E.164"):
        channel.send(message("sms", "050 123 45 67"))
    sms_server.fail("999")
    with pytest.raises(Retryable, match="999"):
        channel.send(message("sms", "+380501234567"))
    sms_server.fail("500")
    with pytest.raises(Retryable, match="500"):
        channel.send(message("sms", "+380501234567"))
    with pytest.raises(Permanent, match="103"):
        TurboSmsChannel(sms_server.config["SMS_URL"], "wrong", sender="CNAP", timeout=1).send(
            message("sms", "+380501234567"))


# --- e-mail (SMTP) --------------------------------------------------------------------------------

def test_email_plain_text_links_attachment_and_message_id(smtp_server: SmtpServer, tmp_path: Path) -> None:
    slip = tmp_path / "slip.pdf"
    slip.write_bytes(b"%PDF-1.4 test")
    channel = SmtpChannel(smtp_server.config["SMTP_URL"], "ЦНАП <cnap@example.org>", timeout=2)
    sent = channel.send(message("email", "ivan@example.com", subject="Ваш запис",
                                attachments=[{"filename": "talon.pdf", "content_type": "application/pdf",
                                              "path": str(slip)}]))
    (mail,) = smtp_server.messages
    assert smtp_server.envelopes[0][1] == ["ivan@example.com"]
    assert mail["To"] == "ivan@example.com" and mail["Subject"] == "Ваш запис"
    assert mail["Message-ID"] == message_id("called:42", "cnap@example.org") == sent.provider_id
    body = mail.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Талон К-005" in text and "Сторінка талона: https://cnap.example/t/abc" in text
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_filename() == "talon.pdf" and attachment.get_content() == b"%PDF-1.4 test"


def test_email_failures(smtp_server: SmtpServer) -> None:
    channel = SmtpChannel(smtp_server.config["SMTP_URL"], "cnap@example.org", timeout=2)
    smtp_server.fail("421")
    with pytest.raises(Retryable, match="421"):
        channel.send(message("email", "ivan@example.com"))
    smtp_server.fail("550")
    with pytest.raises(Permanent, match="recipient refused"):
        channel.send(message("email", "nobody@example.com"))
    with pytest.raises(Permanent, match="attachment missing"):
        channel.send(message("email", "ivan@example.com", attachments=[{"filename": "x.pdf", "path": "/nonexistent"}]))
    smtp_server.stop()
    with pytest.raises(Retryable, match="smtp"):
        channel.send(message("email", "ivan@example.com"))


def test_smtp_url_forms() -> None:
    c = SmtpChannel("smtps://user%40x:p%3Ass@mail.example:2465", "a@b.c")
    assert (c.tls, c.host, c.port, c.user, c.password) == (True, "mail.example", 2465, "user@x", "p:ss")
    assert SmtpChannel("smtp://mail.example?starttls=1", "a@b.c").starttls
    with pytest.raises(ValueError):
        SmtpChannel("http://mail.example", "a@b.c")

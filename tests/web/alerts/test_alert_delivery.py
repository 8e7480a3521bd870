"""An alert reaches the subscribed manager through the real channels: the outbox row written by the
evaluation is sent by the delivery job to local servers speaking Telegram's Bot API and SMTP; a
gateway that is down when the alert is raised loses nothing and the alert is told once when it is back."""

from __future__ import annotations

from typing import Any

from reception.notifications.channels import configured_channels
from reception.notifications.delivery import deliver_due
from reception.queue import commands as queue
from tests.protocol_servers import SmtpServer, TelegramServer
from tests.protocol_servers.fixtures import smtp_server, telegram_server  # noqa: F401
from tests.web.alerts.conftest import at


def _raise_wait_over_target(a1: Any) -> None:
    at(a1.clock, 10, 0)
    a1.run.value(queue.open_desk, a1.op, "1", "A1")
    a1.run.value(queue.issue_ticket, office_code="A1", service_code="consult")
    at(a1.clock, 10, 11)
    assert a1.evaluate() == 1


def test_a_raised_alert_reaches_the_manager_by_telegram_and_e_mail(
        a1: Any, telegram_server: TelegramServer, smtp_server: SmtpServer) -> None:  # noqa: F811
    channels = configured_channels({**telegram_server.config, **smtp_server.config, "NOTIFY_TIMEOUT_S": 1.0})
    _raise_wait_over_target(a1)
    outcome = deliver_due(a1.db, a1.clock, channels)
    assert outcome.sent == 2
    (tg,) = telegram_server.sent()
    assert str(tg["chat_id"]) == "100500"
    assert "Очікування понад ціль" in tg["text"] and "«Консультація»" in tg["text"]
    (mail,) = smtp_server.messages
    assert mail["To"] == "boss@example.org" and "Очікування понад ціль" in mail.get_content()
    assert {m.status for m in a1.messages()} == {"sent"}
    at(a1.clock, 10, 12)
    a1.evaluate()
    assert deliver_due(a1.db, a1.clock, channels).sent == 0  # the alert holds: nothing is told twice
    assert len(telegram_server.sent()) == 1 and len(smtp_server.messages) == 1


def test_a_gateway_down_when_the_alert_is_raised_loses_nothing(
        a1: Any, telegram_server: TelegramServer, smtp_server: SmtpServer) -> None:  # noqa: F811
    channels = configured_channels({**telegram_server.config, **smtp_server.config, "NOTIFY_TIMEOUT_S": 1.0})
    telegram_server.stop()
    _raise_wait_over_target(a1)
    first = deliver_due(a1.db, a1.clock, channels)
    assert first.sent == 1 and len(smtp_server.messages) == 1  # e-mail went; Telegram waits its retry
    assert {m.channel: m.status for m in a1.messages()} == {"telegram": "queued", "email": "sent"}
    telegram_server.start()
    at(a1.clock, 10, 30)  # past the backoff
    assert deliver_due(a1.db, a1.clock, channels).sent == 1
    assert len(telegram_server.sent()) == 1 and len(smtp_server.messages) == 1
    assert {m.status for m in a1.messages()} == {"sent"}

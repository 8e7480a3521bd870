"""The channels a message leaves by: one interface, one adapter per provider.

A channel is anything with ``name`` and ``send(message) -> Sent``; it raises :class:`Retryable` when
the provider may take the message later (a timeout, a 5xx, a rate limit: ``retry_after`` seconds when
the provider says) and :class:`Permanent` when it never will (a blocked bot, an unknown receiver, a
refused address). The delivery job (``reception.notifications.delivery``) decides what to do with
either; a channel never touches the database.

Buttons (``Message.buttons``: ``{"text", "action"?, "url"?, "data"?}``): in a messenger an ``action``
becomes a reply the bot receives back (Telegram ``callback_data``, Viber ``ActionBody``) carrying
``data`` if the button has it, else ``"<action>:<message id>"`` (at most 64 bytes), even when the
button also has a ``url``; a button with only a ``url`` is a link. E-mail has no replies: it shows the
``url`` (the phone page, where the same replies are buttons).

Each adapter is configured by the environment (``reception.platform.config``) and built by
:func:`configured_channels` only when its settings are present; nothing touches the network at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from reception.notifications.models import Message

TIMEOUT_S = 10.0  # connect and read: a gateway that hangs holds one message, never the job for long


@dataclass(frozen=True)
class Sent:
    provider_id: str | None  # the provider's message id, when it gives one


class DeliveryError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:500]


class Retryable(DeliveryError):
    """Try again later (``retry_after``: seconds the provider asked for, else the job's backoff)."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class Permanent(DeliveryError):
    """Never deliverable as it is: the message fails with this reason."""


class Channel(Protocol):
    name: str

    def send(self, message: Message) -> Sent: ...


def callback_data(button: Mapping[str, Any], message: Message) -> str:
    data = str(button.get("data") or f"{button.get('action')}:{message.id}")
    return data.encode("utf-8")[:64].decode("utf-8", "ignore")


def configured_channels(config: Mapping[str, Any]) -> dict[str, Channel]:
    """The channels whose settings are present (Flask-style upper-case keys), by channel name."""
    from reception.notifications.channels.sms import TurboSmsChannel
    from reception.notifications.channels.smtp import SmtpChannel
    from reception.notifications.channels.telegram import TelegramChannel
    from reception.notifications.channels.viber import ViberChannel

    timeout = float(config.get("NOTIFY_TIMEOUT_S") or TIMEOUT_S)
    channels: dict[str, Channel] = {}
    if config.get("TELEGRAM_BOT_TOKEN"):
        channels["telegram"] = TelegramChannel(str(config["TELEGRAM_BOT_TOKEN"]),
                                               str(config.get("TELEGRAM_API_URL") or TelegramChannel.DEFAULT_URL),
                                               timeout=timeout)
    if config.get("VIBER_AUTH_TOKEN"):
        channels["viber"] = ViberChannel(str(config["VIBER_AUTH_TOKEN"]),
                                         str(config.get("VIBER_API_URL") or ViberChannel.DEFAULT_URL),
                                         sender_name=str(config.get("VIBER_SENDER_NAME") or "ЦНАП"), timeout=timeout)
    if config.get("SMS_URL") and config.get("SMS_TOKEN"):
        channels["sms"] = TurboSmsChannel(str(config["SMS_URL"]), str(config["SMS_TOKEN"]),
                                          sender=str(config.get("SMS_SENDER") or "CNAP"), timeout=timeout)
    if config.get("SMTP_URL") and config.get("MAIL_FROM"):
        channels["email"] = SmtpChannel(str(config["SMTP_URL"]), str(config["MAIL_FROM"]), timeout=timeout)
    return channels

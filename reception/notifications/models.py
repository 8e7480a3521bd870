"""Tables of the notifications slice: the outbox of messages and the subscriptions that address them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from reception.platform.orm import Base, UTCDateTime, aware_dt, intpk

CHANNELS = ("telegram", "viber", "sms", "email")
MESSAGE_STATUSES = ("queued", "sent", "failed")


class Subscription(Base):
    """Who wants messages, on which channel, about what: a visitor about one ticket or one booking (with
    their consent), or a staff member (alerts, reports). Telegram and Viber subscriptions have no address
    until the visitor opens the deep link carrying ``bind_token`` and the bot learns the chat."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        # One live subscription per ticket and channel (unsubscribing sets revoked_at).
        Index("uq_subscriptions_ticket_channel", "ticket_id", "channel", unique=True,
              sqlite_where=text("ticket_id IS NOT NULL AND revoked_at IS NULL"),
              postgresql_where=text("ticket_id IS NOT NULL AND revoked_at IS NULL")),
    )

    id: Mapped[intpk]
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # one of CHANNELS
    # chat id (telegram), user id (viber), E.164 phone (sms), e-mail address: personal data
    address: Mapped[str | None] = mapped_column(String(320))
    bind_token: Mapped[str | None] = mapped_column(String(64), unique=True)  # the deep link's payload
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # a staff member's
    topic: Mapped[str] = mapped_column(String(32), default="visit")  # visit | alerts | reports
    lang: Mapped[str] = mapped_column(String(2), default="uk")
    created_at: Mapped[aware_dt]
    bound_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)  # per-topic settings (e.g. a report's period)


class Message(Base):
    """One message to one address, written by :func:`reception.notifications.outbox.enqueue` in the
    transaction of its cause and delivered at least once by the delivery job (the key makes it once)."""

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_due", "status", "next_attempt_at"),
        Index("ix_messages_office_created", "office_id", "created_at"),
    )

    id: Mapped[intpk]
    # Unique: the same cause enqueued twice (a retried command, a replayed update) is one message, and
    # the provider sees it as the idempotency key where it takes one.
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("subscriptions.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(320))  # personal data: anonymised with its cause
    kind: Mapped[str] = mapped_column(String(32))  # called, turn_near, booking_confirmed, verification_code, ...
    subject: Mapped[str | None] = mapped_column(String(200))  # e-mail only
    body: Mapped[str] = mapped_column(Text)
    # Inline buttons (Telegram/Viber) or links (e-mail): [{"text": ..., "action": "late"|"cancel"|..., "url"?: ...}]
    buttons: Mapped[list[Any]] = mapped_column(default=list)
    attachments: Mapped[list[Any]] = mapped_column(default=list)  # [{"filename", "content_type", "path"}] (e-mail)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # one of MESSAGE_STATUSES
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[aware_dt]
    last_error: Mapped[str | None] = mapped_column(String(500))
    provider_id: Mapped[str | None] = mapped_column(String(128))  # the provider's message id once sent
    created_at: Mapped[aware_dt]
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # E-mail only: the Message-ID of the letter this one answers (In-Reply-To and References).
    in_reply_to: Mapped[str | None] = mapped_column(String(255), default=None)

"""The outbox's messages as staff see them (decision 037); the visitor's subscriptions from the phone page
and the replies made there (decision 038)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from reception.http.api.schemas.common import Strict


class MessageTicket(BaseModel):
    id: int
    code: str | None


class MessageOut(BaseModel):
    id: int
    office: str | None
    channel: Literal["telegram", "viber", "sms", "email"]
    kind: str
    status: Literal["queued", "sent", "failed"]
    address: str  # masked: "+380•••••67", "i•••@example.com"; "" once anonymised
    attempts: int
    created_at: str
    sent_at: str | None
    next_attempt_at: str | None  # a queued message's next try
    last_error: str | None
    ticket: MessageTicket | None


class SubscriptionIn(Strict):
    """``address``: the phone (SMS; any written form, stored in E.164) or the e-mail address; not for
    Telegram or Viber, whose chat is bound when the visitor opens ``link``."""

    channel: Literal["telegram", "viber", "sms", "email"]
    address: str | None = Field(default=None, max_length=320)


class SubscriptionOut(BaseModel):
    id: int
    channel: Literal["telegram", "viber", "sms", "email"]
    link: str | None = None  # the deep link (Telegram, Viber) until the chat is bound
    bound: bool = False


class VisitorReplyIn(Strict):
    """``late``: move back a few places, once; ``cancel``: leave the queue."""

    action: Literal["late", "cancel"]


class VisitorReplyOut(BaseModel):
    ok: bool
    message: str  # what the visitor is told, in the ticket's language

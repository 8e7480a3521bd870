"""The outbox's messages as staff see them (decision 037)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


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

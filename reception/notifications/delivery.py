"""The delivery job: the outbox's messages, sent through their channels (decision 037).

Every few seconds (``NOTIFY_POLL_S``) the server's job:

1. **claims** a batch of due messages (``status = 'queued' AND next_attempt_at <= now``) in one short
   transaction: on PostgreSQL ``FOR UPDATE SKIP LOCKED``, so two processes never take the same row
   (SQLite has one writer at a time anyway); the claim counts the attempt and moves
   ``next_attempt_at`` a lease ahead, so a sender that dies mid-send leaves the message due again
   when the lease ends;
2. **sends** each through its channel outside any transaction (a gateway's seconds never hold a lock
   a kiosk or a desk waits on: they only insert rows);
3. **records** the outcome in its own short transaction: ``sent`` (``provider_id``, ``sent_at``);
   a retry after exponential backoff with jitter (or the provider's ``retry_after``) with
   ``last_error``; or ``failed`` with the reason, after a permanent refusal, after
   ``NOTIFY_MAX_ATTEMPTS`` tries, or at once when the channel is not configured (so a demo without
   gateways shows its messages as not sent). For a failed message ``next_attempt_at`` is when it failed.

At least once: a crash between a provider's "accepted" and the record sends that message again when
the lease ends. E-mail carries a ``Message-ID`` made from the idempotency key; Telegram, Viber and the
SMS gateway take no idempotency key, so that window (one send's duration) is the duplicate risk.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from reception.notifications.channels import Channel, Permanent, Retryable, Sent
from reception.notifications.models import Message
from reception.platform.clock import Clock
from reception.platform.db import Database

log = logging.getLogger("reception.notifications")

BATCH = 20
LEASE = timedelta(minutes=5)  # > BATCH sends at their timeout: a live sender never loses its claim
BACKOFF_FIRST_S = 30.0
BACKOFF_MAX_S = 3600.0
RUN_BUDGET_S = 50.0  # one run stops claiming after this long; the next tick goes on
NOT_CONFIGURED = "channel not configured"


def backoff(attempts: int, retry_after: float | None = None, rng: random.Random | None = None) -> float:
    """Seconds before the next try after ``attempts`` tries: 30 s doubling to an hour, ±20 % jitter so
    messages that failed together do not return together; the provider's ``retry_after`` wins."""
    if retry_after is not None and retry_after > 0:
        return min(float(retry_after), BACKOFF_MAX_S)
    base = min(BACKOFF_MAX_S, BACKOFF_FIRST_S * 2 ** max(0, attempts - 1))
    return base * (rng or random).uniform(0.8, 1.2)


@dataclass
class DeliveryOutcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    def __bool__(self) -> bool:
        return bool(self.sent or self.retried or self.failed)


def claim(db: Database, now: datetime, limit: int = BATCH) -> list[Message]:
    """Take up to ``limit`` due messages for this sender (see the module's text)."""
    with db.write() as s:
        rows = list(s.scalars(select(Message).where(Message.status == "queued", Message.next_attempt_at <= now)
                              .order_by(Message.next_attempt_at, Message.id).limit(limit)
                              .with_for_update(skip_locked=True)))
        for row in rows:
            row.attempts += 1
            row.next_attempt_at = now + LEASE
        return rows


def deliver_due(db: Database, clock: Clock, channels: Mapping[str, Channel], *, max_attempts: int = 8,
                batch: int = BATCH, budget_s: float = RUN_BUDGET_S) -> DeliveryOutcome:
    """One run of the job: claim, send, record, until nothing is due or the budget is spent."""
    outcome = DeliveryOutcome()
    started = time.monotonic()
    while time.monotonic() - started < budget_s:
        messages = claim(db, clock.now(), batch)
        claimed = time.monotonic()
        if not messages:
            break
        for n, message in enumerate(messages):
            if time.monotonic() - claimed > LEASE.total_seconds() * 0.8:  # slow gateways ate the lease:
                _release(db, clock, messages[n:])  # hand the rest back before another sender may take them
                return outcome
            deliver_one(db, clock, channels, message, max_attempts, outcome)
        if len(messages) < batch:
            break
    return outcome


def _release(db: Database, clock: Clock, messages: list[Message]) -> None:
    """Give back claimed messages not tried: due now, their attempt not counted."""
    with db.write() as s:
        for message in messages:
            s.execute(update(Message).where(_mine(message))  # type: ignore[arg-type]
                      .values(next_attempt_at=clock.now(), attempts=message.attempts - 1)
                      .execution_options(synchronize_session=False))


def deliver_one(db: Database, clock: Clock, channels: Mapping[str, Channel], message: Message,
                max_attempts: int, outcome: DeliveryOutcome) -> None:
    channel = channels.get(message.channel)
    try:
        if channel is None:
            raise Permanent(NOT_CONFIGURED)
        sent = channel.send(message)
    except Retryable as exc:
        if message.attempts >= max_attempts:
            _fail(db, clock, message, f"{exc.reason} (after {message.attempts} attempts)")
            outcome.failed += 1
        else:
            _retry(db, clock, message, exc)
            outcome.retried += 1
        return
    except Permanent as exc:
        _fail(db, clock, message, exc.reason)
        outcome.failed += 1
        return
    except Exception as exc:  # an adapter's bug must not stop the others: retried, logged
        log.exception("channel %s failed on message %s", message.channel, message.id)
        _retry(db, clock, message, Retryable(f"error: {type(exc).__name__}"))
        outcome.retried += 1
        return
    _sent(db, clock, message, sent)
    outcome.sent += 1


def _mine(message: Message) -> object:
    """Still this sender's claim: queued, with the attempt count the claim set."""
    return (Message.id == message.id) & (Message.status == "queued") & (Message.attempts == message.attempts)


def _sent(db: Database, clock: Clock, message: Message, sent: Sent) -> None:
    with db.write() as s:
        # Sent is recorded even if the claim lapsed meanwhile: the provider has it.
        s.execute(update(Message).where(Message.id == message.id, Message.status == "queued")
                  .values(status="sent", provider_id=sent.provider_id, sent_at=clock.now(), last_error=None)
                  .execution_options(synchronize_session=False))


def _retry(db: Database, clock: Clock, message: Message, exc: Retryable) -> None:
    delay = backoff(message.attempts, exc.retry_after)
    with db.write() as s:
        s.execute(update(Message).where(_mine(message))  # type: ignore[arg-type]
                  .values(next_attempt_at=clock.now() + timedelta(seconds=delay), last_error=exc.reason)
                  .execution_options(synchronize_session=False))
    log.info("message %s (%s) not sent, retry in %.0f s: %s", message.id, message.channel, delay, exc.reason)


def _fail(db: Database, clock: Clock, message: Message, reason: str) -> None:
    with db.write() as s:
        s.execute(update(Message).where(_mine(message))  # type: ignore[arg-type]
                  .values(status="failed", next_attempt_at=clock.now(), last_error=reason[:500])
                  .execution_options(synchronize_session=False))
    log.warning("message %s (%s) failed: %s", message.id, message.channel, reason)

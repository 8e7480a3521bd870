"""The delivery job against the local provider servers, on SQLite and PostgreSQL: sends, retries with
backoff, failures with reasons, a gateway killed mid-run, a crashed sender's claim, two senders racing."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from reception.notifications.channels import Channel, Sent, configured_channels
from reception.notifications.delivery import LEASE, NOT_CONFIGURED, backoff, claim, deliver_due
from reception.notifications.models import Message
from reception.notifications.outbox import enqueue
from reception.offices.models import Office
from reception.platform.db import Database, connect
from reception.platform.scheduler import PeriodicJob, Scheduler
from tests.fakes import build_office, make_clock
from tests.protocol_servers import SmtpServer, TelegramServer, TurboSmsServer, ViberServer

ADDRESSES = {"telegram": "555001", "viber": "01234567890A=", "sms": "+380501234567", "email": "ivan@example.com"}


def add(db: Database, clock: Any, key: str, channel: str = "telegram", address: str | None = None,
        **kw: Any) -> int:
    with db.write() as s:
        office_id = s.scalar(select(Office.id).where(Office.code == "T1"))
        message = enqueue(s, at=clock.now(), key=key, channel=channel, address=address or ADDRESSES[channel],
                          kind="called", body=f"Повідомлення {key}", office_id=office_id, **kw)
        assert message is not None
        return message.id


def rows(db: Database) -> dict[str, Message]:
    with db.read() as s:
        return {m.idempotency_key: m for m in s.scalars(select(Message))}


def test_each_channel_is_sent_through_the_job(db: Database, gateways: dict[str, Any],
                                              telegram_server: TelegramServer, viber_server: ViberServer,
                                              sms_server: TurboSmsServer, smtp_server: SmtpServer) -> None:
    clock = make_clock()
    build_office(db)
    for channel in ADDRESSES:
        add(db, clock, f"k-{channel}", channel, subject="Тема" if channel == "email" else None)
    outcome = deliver_due(db, clock, configured_channels(gateways))
    assert (outcome.sent, outcome.retried, outcome.failed) == (4, 0, 0)
    assert [b["chat_id"] for b in telegram_server.sent()] == ["555001"]
    assert [b["receiver"] for b in viber_server.sent()] == ["01234567890A="]
    assert [b["recipients"] for b in sms_server.sent()] == [["380501234567"]]
    assert [m["To"] for m in smtp_server.messages] == ["ivan@example.com"]
    for m in rows(db).values():
        assert m.status == "sent" and m.attempts == 1 and m.provider_id and m.sent_at == clock.now()
    assert not deliver_due(db, clock, configured_channels(gateways))  # nothing twice


def test_server_error_is_retried_with_backoff_then_sent(db: Database, telegram_server: TelegramServer) -> None:
    clock = make_clock()
    build_office(db)
    add(db, clock, "a")
    channels = configured_channels({**telegram_server.config, "NOTIFY_TIMEOUT_S": 0.5})
    telegram_server.fail("500")
    assert deliver_due(db, clock, channels).retried == 1
    m = rows(db)["a"]
    assert m.status == "queued" and m.attempts == 1 and m.last_error == "HTTP 500"
    delay = (m.next_attempt_at - clock.now()).total_seconds()
    assert 24 <= delay <= 36  # 30 s ± 20 %
    assert not deliver_due(db, clock, channels)  # not due yet
    telegram_server.fail("timeout")
    clock.advance(seconds=40)
    assert deliver_due(db, clock, channels).retried == 1
    m = rows(db)["a"]
    assert m.attempts == 2 and m.last_error == "timeout"
    assert 48 <= (m.next_attempt_at - clock.now()).total_seconds() <= 72  # doubled
    clock.advance(seconds=80)
    assert deliver_due(db, clock, channels).sent == 1
    m = rows(db)["a"]
    assert m.status == "sent" and m.attempts == 3 and m.last_error is None
    assert len(telegram_server.sent()) == 1  # the 500 and the timeout never reached the record


def test_rate_limit_waits_what_the_provider_asks(db: Database, telegram_server: TelegramServer) -> None:
    clock = make_clock()
    build_office(db)
    add(db, clock, "a")
    telegram_server.fail("429", retry_after=7)
    deliver_due(db, clock, configured_channels(telegram_server.config))
    assert rows(db)["a"].next_attempt_at == clock.now() + timedelta(seconds=7)


def test_permanent_refusal_fails_with_its_reason(db: Database, telegram_server: TelegramServer,
                                                 viber_server: ViberServer) -> None:
    clock = make_clock()
    build_office(db)
    telegram_server.blocked.add("blocked-chat")
    viber_server.unsubscribed.add("gone")
    add(db, clock, "t", "telegram", "blocked-chat")
    add(db, clock, "v", "viber", "gone")
    outcome = deliver_due(db, clock, configured_channels({**telegram_server.config, **viber_server.config}))
    assert outcome.failed == 2
    by_key = rows(db)
    assert by_key["t"].status == "failed" and "403" in (by_key["t"].last_error or "") and by_key["t"].attempts == 1
    assert by_key["v"].status == "failed" and "viber 6" in (by_key["v"].last_error or "")


def test_too_many_attempts_fail_the_message(db: Database, sms_server: TurboSmsServer) -> None:
    clock = make_clock()
    build_office(db)
    add(db, clock, "s", "sms")
    sms_server.fail("999", times=3)
    channels = configured_channels(sms_server.config)
    for _ in range(3):
        deliver_due(db, clock, channels, max_attempts=3)
        clock.advance(hours=2)
    m = rows(db)["s"]
    assert m.status == "failed" and m.attempts == 3 and m.last_error == "turbosms 999: INTERNAL_ERROR (after 3 attempts)"
    assert len(sms_server.received) == 3  # three tries, each refused inside the gateway


def test_a_channel_not_configured_fails_at_once(db: Database) -> None:
    clock = make_clock()
    build_office(db)
    add(db, clock, "e", "email")
    assert deliver_due(db, clock, {}).failed == 1
    m = rows(db)["e"]
    assert m.status == "failed" and m.last_error == NOT_CONFIGURED and m.next_attempt_at == clock.now()


class StopsServerAfter:
    """The real channel; after ``n`` sends the gateway dies (the test's doing, not the channel's)."""

    def __init__(self, channel: Channel, server: TelegramServer, n: int) -> None:
        self.inner, self.server, self.n, self.name = channel, server, n, channel.name

    def send(self, message: Message) -> Sent:
        sent = self.inner.send(message)
        self.n -= 1
        if self.n == 0:
            self.server.stop()
        return sent


def test_a_gateway_killed_mid_run_loses_no_message(db: Database, telegram_server: TelegramServer) -> None:
    clock = make_clock()
    build_office(db)
    keys = [f"m{i}" for i in range(8)]
    for key in keys:
        add(db, clock, key)
    channel = configured_channels({**telegram_server.config, "NOTIFY_TIMEOUT_S": 0.5})["telegram"]
    outcome = deliver_due(db, clock, {"telegram": StopsServerAfter(channel, telegram_server, 3)})
    assert (outcome.sent, outcome.retried) == (3, 5)
    assert telegram_server.refused()
    clock.advance(minutes=1)
    deliver_due(db, clock, {"telegram": channel})  # still down: retried again, nothing lost
    telegram_server.start()
    clock.advance(hours=1)
    assert deliver_due(db, clock, {"telegram": channel}).sent == 5
    assert sorted(b["text"] for b in telegram_server.sent()) == sorted(f"Повідомлення {k}" for k in keys)
    assert {m.status for m in rows(db).values()} == {"sent"}


def test_a_crashed_senders_claim_is_taken_over_after_its_lease(db: Database, telegram_server: TelegramServer) -> None:
    clock = make_clock()
    build_office(db)
    add(db, clock, "a")
    assert [m.idempotency_key for m in claim(db, clock.now())] == ["a"]  # ...and that sender dies
    channels = configured_channels(telegram_server.config)
    assert not deliver_due(db, clock, channels)  # leased: nobody else sends it meanwhile
    clock.advance(seconds=LEASE.total_seconds() + 1)
    assert deliver_due(db, clock, channels).sent == 1
    assert len(telegram_server.sent()) == 1 and rows(db)["a"].attempts == 2


def test_two_senders_racing_never_send_a_message_twice(db: Database, db_url: str,
                                                       telegram_server: TelegramServer) -> None:
    clock = make_clock()
    build_office(db)
    keys = [f"r{i}" for i in range(60)]
    for key in keys:
        add(db, clock, key)
    channels = configured_channels(telegram_server.config)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def sender() -> None:
        own = connect(db_url)  # a process of its own: its own pool and (on SQLite) its own writer lock
        try:
            start.wait()
            deliver_due(own, clock, channels, batch=4)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    texts = [b["text"] for b in telegram_server.sent()]
    assert sorted(texts) == sorted(f"Повідомлення {k}" for k in keys)  # each once, none missing
    assert {(m.status, m.attempts) for m in rows(db).values()} == {("sent", 1)}


def test_two_scheduler_holders_deliver_each_message_once(db: Database, db_url: str,
                                                         telegram_server: TelegramServer) -> None:
    clock = make_clock()
    build_office(db)
    keys = [f"j{i}" for i in range(30)]
    for key in keys:
        add(db, clock, key)
    channels = configured_channels(telegram_server.config)
    databases = [connect(db_url), connect(db_url)]

    def job(d: Database) -> PeriodicJob:
        return PeriodicJob("notifications.deliver", timedelta(seconds=5), lambda: deliver_due(d, clock, channels, batch=3))

    schedulers = [Scheduler(d, clock, job(d), lease=timedelta(minutes=2), holder=f"holder-{i}")
                  for i, d in enumerate(databases)]
    try:
        for _round in range(3):
            barrier = threading.Barrier(2)

            def tick(s: Scheduler, barrier: threading.Barrier = barrier) -> None:
                barrier.wait()
                s.tick()

            threads = [threading.Thread(target=tick, args=(s,)) for s in schedulers]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=60)
            clock.advance(seconds=5)
    finally:
        for d in databases:
            d.dispose()
    assert sorted(b["text"] for b in telegram_server.sent()) == sorted(f"Повідомлення {k}" for k in keys)
    assert {m.status for m in rows(db).values()} == {"sent"}


def test_backoff_grows_is_capped_and_jittered() -> None:
    import random

    rng = random.Random(1)
    assert 24 <= backoff(1, rng=rng) <= 36
    assert 48 <= backoff(2, rng=rng) <= 72
    assert backoff(20, rng=rng) <= 3600 * 1.2
    assert backoff(3, retry_after=5) == 5


def test_a_batch_that_outlives_its_lease_hands_the_rest_back(db: Database, telegram_server: TelegramServer,
                                                            monkeypatch: Any) -> None:
    """A gateway so slow the claim's lease nearly ran out: the untried messages are released at once (due,
    their attempt not counted), so no other sender takes one this sender is about to send."""
    import reception.notifications.delivery as delivery

    clock = make_clock()
    build_office(db)
    for key in ("a", "b", "c"):
        add(db, clock, key)
    channel = configured_channels(telegram_server.config)["telegram"]
    monkeypatch.setattr(delivery, "LEASE", timedelta(seconds=0.5))  # the lease, shortened for the test

    class Slow:
        name = "telegram"

        def send(self, message: Message) -> Sent:
            import time

            time.sleep(0.45)
            return channel.send(message)

    outcome = deliver_due(db, clock, {"telegram": Slow()}, batch=3)
    assert outcome.sent == 1
    by_key = rows(db)
    assert by_key["a"].status == "sent"
    for key in ("b", "c"):
        assert by_key[key].status == "queued" and by_key[key].attempts == 0 and by_key[key].next_attempt_at == clock.now()
    assert deliver_due(db, clock, {"telegram": channel}).sent == 2
    assert len(telegram_server.sent()) == 3

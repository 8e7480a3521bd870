"""The anonymisation run scheduled by the server (docs/decisions/018): due by the fake clock, one runner of two."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from reception.audit.models import AuditLog
from reception.leadership.models import ReceptionRecord
from reception.leadership.retention import run_retention
from reception.platform.leases import JobLease
from reception.platform.scheduler import DailyJob, Scheduler, is_due, last_slot
from tests.fakes import services
from tests.web.leadership.test_retention_service import FIRST_DAY_AFTER, world  # noqa: F401  (the fixture)

KYIV = "Europe/Kyiv"
DUE = 2  # the world's record closed in 2026 and its anonymous one are past their term on 1 Jan 2032


def test_the_slot_is_today_or_yesterday_at_the_hour_in_kyiv() -> None:
    morning = datetime(2026, 11, 24, 0, 30, tzinfo=UTC)  # 02:30 in Kyiv
    assert last_slot(morning, 3, KYIV) == datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 03:00 yesterday, Kyiv
    assert last_slot(morning + timedelta(minutes=30), 3, KYIV) == datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    assert is_due(None, morning, 3, KYIV)
    assert not is_due(datetime(2026, 11, 23, 1, 0, tzinfo=UTC), morning, 3, KYIV)
    assert is_due(datetime(2026, 11, 22, 23, 0, tzinfo=UTC), morning, 3, KYIV)  # missed: due at start-up


def _anonymised(db) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "record.anonymise")))


def _scheduler(db, clock, holder: str, hour: int = 3) -> Scheduler:
    return Scheduler(db, clock, DailyJob("records.anonymise", hour, KYIV, lambda: services(db, clock).value(run_retention)),
                     holder=holder)


def test_a_tick_runs_once_a_day_at_the_hour(db, clock, world) -> None:  # noqa: F811
    clock.set(FIRST_DAY_AFTER + timedelta(hours=4))  # 1 Jan 2032, 04:00 Kyiv: past today's 03:00
    first = _scheduler(db, clock, "a")
    assert first.tick() is True and _anonymised(db) == DUE
    with db.read() as s:
        closed = s.get(ReceptionRecord, world["closed"])
        assert closed is not None and closed.surname == "" and closed.anonymised_at is not None
        lease = s.get(JobLease, "records.anonymise")
        assert lease is not None and lease.last_run_at is not None and lease.lease_until is None
    assert first.tick() is False  # done for today
    clock.advance(hours=22)  # 2 Jan, 02:00: before the hour
    assert first.tick() is False
    clock.advance(hours=1, minutes=1)  # 03:01
    assert first.tick() is True and _anonymised(db) == DUE  # ran, found nothing new


def test_start_up_after_a_missed_day_runs_at_once(db, clock, world) -> None:  # noqa: F811
    clock.set(FIRST_DAY_AFTER + timedelta(hours=1))  # 1 Jan, 01:00, before the hour of 03:00 ...
    assert _scheduler(db, clock, "a").tick() is True  # ... but yesterday's 03:00 never ran: overdue
    assert _anonymised(db) == DUE


def test_two_concurrent_ticks_anonymise_once(db, clock, world) -> None:  # noqa: F811
    clock.set(FIRST_DAY_AFTER + timedelta(hours=4))
    ran: list[bool] = []
    start = threading.Barrier(2)

    def tick(holder: str) -> None:
        scheduler = _scheduler(db, clock, holder)
        start.wait()
        ran.append(scheduler.tick())

    threads = [threading.Thread(target=tick, args=(h,)) for h in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(ran) == [False, True]
    assert _anonymised(db) == DUE


def test_a_held_lease_blocks_until_it_expires(db, clock, world) -> None:  # noqa: F811
    clock.set(FIRST_DAY_AFTER + timedelta(hours=4))
    crashed = _scheduler(db, clock, "crashed")
    assert crashed._claim(clock.now(), last_slot(clock.now(), 3, KYIV))  # claimed, then the process died
    other = _scheduler(db, clock, "b")
    assert other.tick() is False and _anonymised(db) == 0
    clock.advance(minutes=31)  # the 30-minute lease is over
    assert other.tick() is True and _anonymised(db) == DUE


def test_a_failing_run_is_retried_and_logged(db, clock, world, caplog) -> None:  # noqa: F811
    clock.set(FIRST_DAY_AFTER + timedelta(hours=4))
    calls: list[int] = []

    def broken() -> None:
        calls.append(1)
        raise RuntimeError("database away")

    failing = Scheduler(db, clock, DailyJob("records.anonymise", 3, KYIV, broken), holder="a")
    assert failing.tick() is False and "records.anonymise failed" in caplog.text
    assert _scheduler(db, clock, "a").tick() is True and _anonymised(db) == DUE  # lease released, next tick runs


def test_the_hour_is_checked() -> None:
    with pytest.raises(ValueError):
        Scheduler(None, None, DailyJob("x", 24, KYIV, lambda: None))  # type: ignore[arg-type]


def test_the_app_carries_the_scheduler_with_the_configured_hour(db) -> None:
    from reception.app import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "RETENTION_HOUR": 5})
    scheduler = app.extensions["reception.scheduler"]
    assert scheduler.job.hour == 5 and scheduler._thread is None  # started by the serving process only

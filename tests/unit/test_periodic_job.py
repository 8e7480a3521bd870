"""The scheduler's periodic job (the suspensions' due resumes, decision 012): once per period, one
holder at a time, on the same leases as the daily jobs."""

from __future__ import annotations

from datetime import timedelta

from reception.platform.scheduler import PeriodicJob, Scheduler
from tests.fakes import make_clock, memory_database


def test_a_periodic_job_runs_once_per_period_and_by_one_holder() -> None:
    db, clock = memory_database(), make_clock()
    runs: list[str] = []
    job = PeriodicJob("test.every", timedelta(seconds=30), lambda: runs.append("ran"))
    first, second = Scheduler(db, clock, job, holder="a"), Scheduler(db, clock, job, holder="b")
    assert first.tick() is True and runs == ["ran"]
    assert second.tick() is False and first.tick() is False  # ran in this period already
    clock.advance(seconds=29)
    assert second.tick() is False
    clock.advance(seconds=1)  # the next period
    assert second.tick() is True and runs == ["ran", "ran"]
    assert job.slot(clock.now()) == clock.now() and job.slot(clock.now() + timedelta(seconds=29)) == clock.now()
    db.dispose()

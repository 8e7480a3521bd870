"""Jobs run by the server process itself: daily ones (docs/decisions/018: the anonymisation run) and
periodic ones (decision 012: recording the suspensions whose scheduled resume fell due).

A job is due when it has not run since its most recent slot (a daily job's configured office-local
hour, today's or yesterday's; a periodic job's last multiple of its period), so a server started
after a missed slot runs it at once. Any number of
server processes may tick: only the one whose conditional UPDATE claims the lease row runs it
(``job_leases``; the same statement on SQLite and PostgreSQL: on PostgreSQL the row lock makes a
second claimer wait and then re-check the WHERE on the committed row). A lease that outlives a
crashed holder expires and the next tick takes over.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, update
from sqlalchemy.dialects import postgresql, sqlite

from reception.platform.clock import Clock
from reception.platform.db import Database, rows_changed
from reception.platform.leases import JobLease

log = logging.getLogger("reception.scheduler")


def last_slot(now: datetime, hour: int, timezone: str) -> datetime:
    """The latest instant at ``hour``:00 local time that is not after ``now`` (an aware datetime)."""
    local = now.astimezone(ZoneInfo(timezone))
    slot = datetime.combine(local.date(), time(hour), tzinfo=local.tzinfo)
    if slot > local:
        slot = datetime.combine(local.date() - timedelta(days=1), time(hour), tzinfo=local.tzinfo)
    return slot


def is_due(last_run: datetime | None, now: datetime, hour: int, timezone: str) -> bool:
    return last_run is None or last_run < last_slot(now, hour, timezone)


@dataclass
class DailyJob:
    name: str
    hour: int  # local wall-clock hour, 0..23
    timezone: str
    run: Callable[[], Any]  # returns something worth logging

    def slot(self, now: datetime) -> datetime:
        return last_slot(now, self.hour, self.timezone)


_EPOCH = datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC"))


@dataclass
class PeriodicJob:
    name: str
    every: timedelta
    run: Callable[[], Any]

    def slot(self, now: datetime) -> datetime:
        """The latest multiple of ``every`` (counted from a fixed instant) that is not after ``now``."""
        return now - (now - _EPOCH) % self.every


class Scheduler:
    """Ticks one job; ``start`` runs the ticks on a daemon thread of the server process."""

    def __init__(self, db: Database, clock: Clock, job: DailyJob | PeriodicJob, *,
                 lease: timedelta = timedelta(minutes=30), holder: str | None = None) -> None:
        if isinstance(job, DailyJob) and not 0 <= job.hour <= 23:
            raise ValueError(f"the hour of {job.name} must be 0..23, not {job.hour}")
        self.db, self.clock, self.job, self.lease = db, clock, job, lease
        self.holder = holder or f"{uuid.uuid4().hex[:12]}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> bool:
        """Run the job if it is due and this process wins the lease; True if it ran (and finished)."""
        now = self.clock.now()
        slot = self.job.slot(now)
        if not self._claim(now, slot):
            return False
        try:
            outcome = self.job.run()
        except Exception:
            log.exception("job %s failed; it is retried at the next tick", self.job.name)
            self._release(last_run=None)
            return False
        self._release(last_run=now)
        quiet = isinstance(self.job, PeriodicJob) and not outcome  # a periodic job that found nothing to do
        (log.debug if quiet else log.info)("job %s done: %s", self.job.name, outcome, extra={"job": self.job.name})
        return True

    def _claim(self, now: datetime, slot: datetime) -> bool:
        with self.db.write() as s:
            insert = postgresql.insert if s.get_bind().dialect.name == "postgresql" else sqlite.insert
            s.execute(insert(JobLease).values(name=self.job.name).on_conflict_do_nothing(
                index_elements=[JobLease.name]))
        with self.db.write() as s:
            claimed = s.execute(update(JobLease).where(
                JobLease.name == self.job.name,
                or_(JobLease.lease_until.is_(None), JobLease.lease_until < now),
                or_(JobLease.last_run_at.is_(None), JobLease.last_run_at < slot),
            ).values(holder=self.holder, lease_until=now + self.lease).execution_options(synchronize_session=False))
            return rows_changed(claimed) == 1

    def _release(self, last_run: datetime | None) -> None:
        values: dict[str, Any] = {"lease_until": None}
        if last_run is not None:
            values["last_run_at"] = last_run
        with self.db.write() as s:
            s.execute(update(JobLease).where(JobLease.name == self.job.name, JobLease.holder == self.holder)
                      .values(**values).execution_options(synchronize_session=False))

    def start(self, interval_s: float | None = None) -> None:
        """Tick now (a missed run happens at start-up) and then every ``interval_s`` seconds (a
        minute, or a periodic job's period if shorter)."""
        if self._thread is not None:
            return
        if interval_s is None:
            interval_s = min(60.0, self.job.every.total_seconds()) if isinstance(self.job, PeriodicJob) else 60.0

        def loop() -> None:
            while not self._stop.is_set():
                try:
                    self.tick()
                except Exception:  # the database away for a moment must not end the loop
                    log.exception("scheduler tick of %s failed", self.job.name)
                self._stop.wait(interval_s)

        self._thread = threading.Thread(target=loop, name=f"job:{self.job.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

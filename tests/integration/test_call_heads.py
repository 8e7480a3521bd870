"""Call-next reads only the head of each line (reception/queue/reads.py, CALL_HEADS): on SQLite and
PostgreSQL, the desk's ranking from the heads begins exactly as the ranking of the whole queue."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from reception.offices.models import Desk, DeskService, Office
from reception.platform.db import Database
from reception.queue.models import Ticket
from reception.queue.policy import APPOINTMENT, DeskState, rank
from reception.queue.reads import CALL_HEADS, callable_candidates
from tests.fakes import build_office

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _fill(db: Database, rng: random.Random, n: int) -> tuple[int, dict[int, dict[int, float]]]:
    """``n`` waiting tickets over the office's services: mostly walk-ins, some priority, some
    booked (due or early), some transferred to this desk, to the other desk, or to a person."""
    with db.write() as s:
        office = s.scalar(select(Office).where(Office.code == "T1"))
        assert office is not None
        desks = {d.code: d for d in s.scalars(select(Desk).where(Desk.office_id == office.id))}
        desk, other = desks["1"], desks["2"]
        # Desk 1 serves both services (with weights), desk 2 one: one line each for walk-ins and priority.
        weights = {d.id: {ds.service_id: float(rng.choice([1, 1, 2])) for ds in
                          s.scalars(select(DeskService).where(DeskService.desk_id == d.id))} for d in (desk, other)}
        services = list(weights[desk.id])
        for number in range(1, n + 1):
            queued = NOW - timedelta(seconds=rng.randrange(1, 7200))
            kind = rng.random()
            priority = "veteran" if kind < 0.2 else APPOINTMENT if kind < 0.3 else None
            target = rng.random()
            s.add(Ticket(office_id=office.id, service_id=rng.choice(services), day=date(2026, 12, 1), number=number,
                         code=f"К{number:03d}", priority=priority, status="waiting",
                         appointment_at=NOW + timedelta(minutes=rng.randrange(-60, 60)) if priority else None,
                         issued_at=queued - timedelta(seconds=rng.choice([0, 0, 30])),
                         # ties in queue time happen (a transfer keeps it): the issue time and id break them
                         queued_at=queued if rng.random() > 0.1 else NOW - timedelta(seconds=600),
                         target_desk_id=desk.id if target < 0.05 else other.id if target < 0.1 else None,
                         public_token=f"tok-{number}"))
        return office.id, weights


@pytest.mark.parametrize("read", [1, 3, CALL_HEADS])  # 1: SQLite's serialised writers; more where desks race
def test_the_heads_rank_as_the_whole_queue_does(db: Database, read: int) -> None:
    build_office(db)
    office_id, desks = _fill(db, random.Random(20261201), 240)
    for desk_id, weights in desks.items():
        with db.read() as s:
            heads = callable_candidates(s, office_id, list(weights), desk_id, None, heads=read)
            everyone = callable_candidates(s, office_id, list(weights), desk_id, None, heads=None)
        assert len(heads) < len(everyone)
        for streak in (0, 1, 2, 3):
            for interleave in (0, 2):
                state = DeskState(desk_id, weights, None, streak)
                full = rank(everyone, state, NOW, interleave)
                mine = rank(heads, state, NOW, interleave)
                # Transfers and due bookings (read whole) come first, then ``read`` from the lines.
                whole = sum(1 for c in full if c.rule in ("transfer", "appointment"))
                prefix = whole + read
                assert len(full) > prefix + 60
                assert [(c.ticket_id, c.rule) for c in mine[:prefix]] == [(c.ticket_id, c.rule) for c in full[:prefix]]


def test_a_short_queue_is_read_whole(db: Database) -> None:
    build_office(db)
    office_id, desks = _fill(db, random.Random(7), 12)
    desk_id, weights = next(iter(desks.items()))
    with db.read() as s:
        heads: list[Any] = callable_candidates(s, office_id, list(weights), desk_id, None)
        everyone = callable_candidates(s, office_id, list(weights), desk_id, None, heads=None)
    assert sorted(c.id for c in heads) == sorted(c.id for c in everyone)

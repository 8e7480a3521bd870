"""Correctness under concurrency on the real database (SQLite file or PostgreSQL)."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from typing import Any

import pytest
from sqlalchemy import select

from reception.kernel.errors import Conflict
from reception.kernel.identity import Actor
from reception.queue import commands as queue
from reception.queue.models import Ticket, TicketCounter, TicketEvent
from tests.fakes import add_user, build_office, services

THREADS, PER_THREAD = 32, 40
ROUNDS = 10  # races are probabilistic: several rounds per test


def test_32_threads_issue_1280_numbers_without_duplicate_or_gap(db, clock) -> None:
    build_office(db)
    barrier = threading.Barrier(THREADS)

    def kiosk(_n: int) -> list[int]:
        barrier.wait()
        return [
            services(db, clock).value(queue.issue_ticket, office_code="T1", service_code="consult").ticket["number"]  # type: ignore[index]
            for _ in range(PER_THREAD)
        ]

    with ThreadPoolExecutor(THREADS) as pool:
        numbers = [n for chunk in pool.map(kiosk, range(THREADS)) for n in chunk]
    assert sorted(numbers) == list(range(1, THREADS * PER_THREAD + 1))
    with db.read() as s:
        stored = sorted(s.scalars(select(Ticket.number)))
        assert stored == list(range(1, THREADS * PER_THREAD + 1))
        assert s.scalar(select(TicketCounter.last_number)) == THREADS * PER_THREAD


def test_16_desks_calling_concurrently_claim_every_ticket_exactly_once(db, clock) -> None:
    desks = [dict(code=str(i), name_uk=f"Вікно {i}", name_en=f"Window {i}", services=["consult", "appeal"])
             for i in range(1, 17)]
    build_office(db, desks=desks, settings={"double_call_window_s": 0})  # desks call back to back here
    total = 400
    for i in range(total):
        services(db, clock).value(queue.issue_ticket, office_code="T1", service_code="consult" if i % 3 else "appeal",
                           priority="disability" if i % 7 == 0 else None)
    office_ids = frozenset({1})
    actors = []
    for i in range(1, 17):
        uid = add_user(db, clock, f"op{i}", ["operator"], ["T1"])
        actor = Actor(user_id=uid, roles=frozenset({"operator"}), office_ids=office_ids)
        services(db, clock).value(queue.open_desk, actor, str(i))
        actors.append((actor, str(i)))
    barrier = threading.Barrier(16)

    def desk_loop(args: tuple[Actor, str]) -> list[int]:
        actor, code = args
        claimed: list[int] = []
        barrier.wait()
        while True:
            result = services(db, clock).value(queue.call_next, actor, code)
            if result.ticket is None:
                return claimed
            claimed.append(result.ticket["id"])

    with ThreadPoolExecutor(16) as pool:
        claims = [tid for chunk in pool.map(desk_loop, actors) for tid in chunk]
    counts = Counter(claims)
    assert len(claims) == total and all(n == 1 for n in counts.values())
    with db.read() as s:
        statuses = Counter(s.scalars(select(Ticket.status)))
    # each desk's last ticket is still called; the rest were finished by the following call-next
    assert statuses["waiting"] == 0
    assert statuses["called"] + statuses["done"] == total


def _operators(db, clock, n: int) -> list[Actor]:
    actors = []
    for i in range(1, n + 1):
        uid = add_user(db, clock, f"op{i}", ["operator"], ["T1"])
        actors.append(Actor(user_id=uid, roles=frozenset({"operator"}), office_ids=frozenset({1})))
    return actors


def _at_once(*calls):
    """Run the calls in threads released together; each one's result or the exception it raised."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each caller got
            return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_two_desks_acting_on_one_ticket_only_one_wins(db, clock) -> None:
    """Finish and no-show of one called ticket at the same moment: one applies, the other is a 409
    (the version counter of the ticket row), never a 500 and never both."""
    build_office(db)
    run = services(db, clock)
    (a,) = _operators(db, clock, 1)
    b = a
    run.value(queue.open_desk, a, "1")
    for _ in range(ROUNDS):
        ticket = run.value(queue.issue_ticket, office_code="T1", service_code="consult").ticket
        assert run.value(queue.call_next, a, "1").ticket["id"] == ticket["id"]  # type: ignore[index]
        tid = ticket["id"]  # type: ignore[index]
        # Two tabs of one desk (or the desk and a supervisor) at the same moment.
        got = _at_once(lambda tid=tid: run.value(queue.finish, a, tid, None),
                       lambda tid=tid: run.value(queue.no_show, b, tid))
        wins = [g for g in got if not isinstance(g, Exception)]
        losses = [g for g in got if isinstance(g, Exception)]
        assert len(wins) == 1 and len(losses) == 1, got
        assert isinstance(losses[0], Conflict) and losses[0].status == 409, repr(losses[0])
        with db.read() as s:
            stored = s.get(Ticket, ticket["id"])  # type: ignore[index]
            assert stored is not None and stored.status == wins[0].ticket["status"] in ("done", "no_show")
            events = list(s.scalars(select(TicketEvent.kind).where(TicketEvent.ticket_id == stored.id)))
        assert events.count("finished") + events.count("no_show") == 1
        clock.advance(minutes=1)


def test_a_double_click_on_next_never_leaves_two_visitors_at_one_desk(db, clock) -> None:
    """Two call-next of one desk at the same moment: the same visitor, or a clear 409 — never a 500."""
    build_office(db)
    run = services(db, clock)
    (op,) = _operators(db, clock, 1)
    run.value(queue.open_desk, op, "1")
    for _ in range(2 * ROUNDS):
        run.value(queue.issue_ticket, office_code="T1", service_code="consult")
    for _ in range(ROUNDS):
        got = _at_once(lambda: run.value(queue.call_next, op, "1"), lambda: run.value(queue.call_next, op, "1"))
        assert all(not isinstance(g, Exception) or isinstance(g, Conflict) for g in got), got
        answered = {g.ticket["id"] for g in got if not isinstance(g, Exception)}
        assert len(answered) == 1, got
        with db.read() as s:
            at_desk = list(s.scalars(select(Ticket.id).where(Ticket.status.in_(["called", "serving"]))))
        assert at_desk == list(answered)
        clock.advance(minutes=3)


def _waiting_ids(db) -> list[int]:
    with db.read() as s:
        return list(s.scalars(select(Ticket.id).where(Ticket.status == "waiting").order_by(Ticket.id)))


def _one_open_desk_with_visitors(db: Any, clock: Any, visitors: int) -> tuple[Any, Any]:
    """PostgreSQL only (SQLite's writer lock serialises the desks: no row is held by another writer):
    the office, desk 1 open and ``visitors`` waiting ten seconds apart; the runner and the operator."""
    if db.is_sqlite:
        pytest.skip("SQLite's writer lock serialises the desks: no row is held by another writer")
    build_office(db)
    run = services(db, clock)
    (op,) = _operators(db, clock, 1)
    run.value(queue.open_desk, op, "1")
    for _ in range(visitors):
        run.value(queue.issue_ticket, office_code="T1", service_code="consult")
        clock.advance(seconds=10)
    return run, op


def test_a_desk_passes_over_a_visitor_another_desk_is_claiming(db, clock) -> None:
    """PostgreSQL: the best candidate's row is held by another transaction (a desk claiming it right now):
    call-next claims the next candidate at once instead of waiting for that transaction to end."""
    run, op = _one_open_desk_with_visitors(db, clock, 3)
    first, second, _third = _waiting_ids(db)
    with db.write_engine.connect() as holder, ThreadPoolExecutor(1) as pool:
        holder.execute(select(Ticket.id).where(Ticket.id == first).with_for_update())
        try:
            called = pool.submit(run.value, queue.call_next, op, "1").result(timeout=5)  # blocking would time out
        finally:
            holder.rollback()
    assert called.ticket is not None and called.ticket["id"] == second
    assert _waiting_ids(db) == [first, _third]


def test_nobody_waits_is_said_only_once_the_other_claims_are_decided(db, clock) -> None:
    """PostgreSQL: when every waiting visitor is held by another desk's transaction, call-next waits for
    it rather than answer that nobody waits; that claim rolled back, the visitor is this desk's."""
    run, op = _one_open_desk_with_visitors(db, clock, 1)
    (only,) = _waiting_ids(db)
    with db.write_engine.connect() as holder, ThreadPoolExecutor(1) as pool:
        holder.execute(select(Ticket.id).where(Ticket.id == only).with_for_update())
        pending = pool.submit(run.value, queue.call_next, op, "1")
        try:
            with pytest.raises(FuturesTimeout):  # it waits for the holder rather than answer None
                pending.result(timeout=1)
        finally:
            holder.rollback()
        called = pending.result(timeout=10)
    assert called.ticket is not None and called.ticket["id"] == only

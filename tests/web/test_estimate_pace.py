"""A kiosk ticket's estimate reads only the lines when the rest of the office's snapshot is known one live
version ago (reception/queue/estimates_read.py, decision 026): what it is told is always what a full read
would tell it, on SQLite and PostgreSQL, with two processes' worth of apps changing the office in turn."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import delete, event, insert, select

from reception.http.realtime import RecordingPublisher
from reception.kernel.unit_of_work import SqlUnitOfWork
from reception.offices.models import Desk, DeskService, Office, Service
from reception.platform.db import Database
from reception.queue.commands import issue_ticket
from reception.queue.estimates_read import _PACES, _ticket_snapshot, told, wait_view
from reception.queue.models import Ticket
from tests.fakes import add_device, add_user, make_test_app


def _told_by_a_full_read(db: Database, ticket_id: int, clock: Any) -> tuple[Any, ...]:
    with db.read() as s:
        ticket = s.get_one(Ticket, ticket_id)
        wait = told(_ticket_snapshot(s, ticket, clock.now()))  # no issuing transaction: every part read
    return wait.position, wait.eta_min, list(wait.eta_range_min) if wait.eta_range_min else None


def _toggle_link(db: Database, desk_code: str, service_code: str) -> None:
    """A desk's services changed straight in the database (the configuration's version moves by trigger)."""
    with db.write() as s:
        desk_id = s.scalar(select(Desk.id).where(Desk.code == desk_code))
        service_id = s.scalar(select(Service.id).where(Service.code == service_code))
        link = (DeskService.desk_id == desk_id) & (DeskService.service_id == service_id)
        if s.scalar(select(DeskService.desk_id).where(link)) is None:
            s.execute(insert(DeskService).values(desk_id=desk_id, service_id=service_id, weight=1.0))
        else:
            s.execute(delete(DeskService).where(link))


def test_a_kiosk_ticket_is_told_what_a_full_read_tells_it(db: Database, db_url: str, clock: Any,
                                                            office: str) -> None:
    rng = random.Random(26)
    apps = [make_test_app(db_url, clock, publisher=RecordingPublisher()) for _ in range(2)]
    clients = [a.test_client() for a in apps]
    kiosk = add_device(db, clock, "kiosk", office)
    tokens = {}
    for desk in ("1", "2"):
        add_user(db, clock, f"op{desk}", ["operator"], [office])
        r = clients[0].post("/api/v1/auth/token", json={"username": f"op{desk}", "password": "secret-pass-1"})
        tokens[desk] = r.get_json()["token"]

    def call(method: str, path: str, token: str, *, via: Any = None, **kw: Any) -> Any:
        r = (via or rng.choice(clients)).open(f"/api/v1{path}", method=method,
                                              headers={"Authorization": f"Bearer {token}"}, **kw)
        assert r.status_code < 500, r.get_json()
        return r

    def issue(via: Any = None, service: str | None = None) -> int:
        service = service or rng.choice(("consult", "consult", "appeal"))
        r = call("POST", "/kiosk/tickets", kiosk, via=via, json={"service": service})
        if r.status_code != 201:
            return 0
        t = r.get_json()
        assert (t["position"], t["eta_min"], t["eta_range_min"]) == _told_by_a_full_read(db, t["id"], clock)
        return 1

    for desk in ("1", "2"):
        assert call("POST", f"/desks/{desk}/open", tokens[desk]).status_code == 200
    reads = {"lines": 0, "whole": 0}

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().startswith("SELECT 1 AS kind"):
            reads["lines"] += 1
        elif statement.lstrip().startswith("SELECT 0 AS kind"):
            reads["whole"] += 1

    engines = [e for a in apps for e in a.extensions["reception"].db.engines]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    try:
        issued = 0
        for _ in range(160):
            roll, desk = rng.random(), rng.choice(("1", "2"))
            if roll < 0.5:
                issued += issue()
            elif roll < 0.75:
                call("POST", f"/desks/{desk}/call-next", tokens[desk])
            elif roll < 0.82:
                call("POST", f"/desks/{desk}/pause", tokens[desk], json={"reason": "перерва"})
            elif roll < 0.88:
                call("POST", f"/desks/{desk}/resume", tokens[desk])
            elif roll < 0.92:
                call("POST", f"/desks/{desk}/close", tokens[desk])
            elif roll < 0.96:
                call("POST", f"/desks/{desk}/open", tokens[desk])
            else:  # a configuration change between two tickets of one process: no live version moves
                issued += issue(clients[0], "appeal")
                _toggle_link(db, "2", "appeal")
                issued += issue(clients[0], "appeal")
            clock.advance(seconds=rng.randrange(5, 240))
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)
    assert issued > 50
    # Both ways were taken many times: after a run of tickets the lines alone, after any other change all.
    assert reads["lines"] > 10 and reads["whole"] > 15, reads


def test_what_a_rolled_back_ticket_read_is_never_kept(db: Database, clock: Any, office: str) -> None:
    """Its version number is given again to the next change, which may be a call: a kept read would be
    taken as one version old by the ticket after that call."""
    def issue_and_estimate(commit: bool) -> None:
        with SqlUnitOfWork(db) as uow:
            result = issue_ticket(uow, clock, office_code=office, service_code="consult")
            assert result.entry is not None and result.issued_at is not None
            wait_view(uow.session, result.entry, clock.now(), result.issued_at)
            if commit:
                uow.commit()

    issue_and_estimate(commit=False)
    assert not _PACES.get(db.write_engine, {})
    issue_and_estimate(commit=True)
    assert [pace.version for pace in _PACES[db.write_engine].values()] == [_live_version(db)]


def _live_version(db: Database) -> int:
    with db.read() as s:
        return int(s.scalars(select(Office.version)).one())

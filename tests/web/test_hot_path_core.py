"""The two hot commands run as Core statements (decision 026): in the unit of work of a kiosk ticket and
of a call-next no ORM object is made, loaded, refreshed or flushed, and call-next takes its office's
configuration from the snapshot: no suspension is probed while none is open, and one made through
another connection is seen by the very next call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import Session

from reception.offices.models import Desk, DeskService, Office, Service, Suspension
from reception.platform.orm import Base
from tests.web.test_queue_api import desk  # noqa: F401  (the fixture: a kiosk and an open desk)


@contextmanager
def orm_work() -> Iterator[list[tuple[str, str]]]:
    """What the ORM did inside writing transactions: objects made, loaded or refreshed, flushes."""
    seen: list[tuple[str, str]] = []
    open_work: set[int] = set()  # sessions between their begin and their commit or rollback

    def note(kind: str):
        def record(target: Any, *_args: Any, **_kw: Any) -> None:
            if open_work:
                seen.append((kind, type(target).__name__))
        return record

    def began(session: Session, *_args: Any) -> None:
        open_work.add(id(session))

    def ended(session: Session, *_args: Any) -> None:
        open_work.discard(id(session))

    handlers: list[tuple[Any, str, Any, dict[str, Any]]] = [
        (Base, "init", note("made"), {"propagate": True}),
        (Base, "load", note("loaded"), {"propagate": True}),
        (Base, "refresh", note("refreshed"), {"propagate": True}),
        (Session, "before_flush", note("flushed"), {}),
        (Session, "after_begin", began, {}),
        (Session, "after_commit", ended, {}),
        (Session, "after_rollback", ended, {}),
    ]
    for target, name, fn, kw in handlers:
        event.listen(target, name, fn, **kw)
    try:
        yield seen
    finally:
        for target, name, fn, _kw in handlers:
            event.remove(target, name, fn)


def test_a_kiosk_ticket_and_a_call_next_make_load_and_flush_no_orm_object(api, desk, clock) -> None:  # noqa: F811
    first = api.call("POST", "/kiosk/tickets", desk["kiosk"], json={"service": "consult"})  # snapshot read
    assert first.status_code == 201
    with orm_work() as seen:
        assert api.call("POST", "/kiosk/tickets", desk["kiosk"], json={"service": "consult"}).status_code == 201
        called = api.call("POST", "/desks/1/call-next", desk["op"]).get_json()
        clock.advance(seconds=60)  # past the double-click window: this Next ends the visit and calls the next
        again = api.call("POST", "/desks/1/call-next", desk["op"]).get_json()
    assert called["code"] == first.get_json()["code"] and again["status"] == "called"
    assert seen == []


def test_call_next_probes_no_suspension_unless_one_is_open_and_sees_one_made_elsewhere(api, db, desk, app) -> None:  # noqa: F811
    for _ in range(2):
        assert api.call("POST", "/kiosk/tickets", desk["kiosk"], json={"service": "consult"}).status_code == 201
    asked: list[str] = []
    engine = app.extensions["reception"].db.write_engine
    note = lambda _c, _cur, statement, *_a: asked.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", note)
    try:
        assert api.call("POST", "/desks/1/call-next", desk["op"]).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert not any("suspensions" in s for s in asked)
    with db.write() as s:  # another engine: the app's snapshot learns it only from the version
        office_id = s.scalar(select(Office.id).where(Office.code == "T1"))
        s.execute(insert(Suspension).values(office_id=office_id, reason="air_raid", since=api.clock.now()))
    r = api.call("POST", "/desks/1/call-next", desk["op"])
    assert r.status_code == 409


def test_call_next_calls_by_the_desks_services_as_changed_elsewhere(api, db, desk) -> None:  # noqa: F811
    """The desk's services and weights come from the office's configuration snapshot: a link removed
    through another connection is seen by the very next call."""
    appeal = api.call("POST", "/kiosk/tickets", desk["kiosk"], json={"service": "appeal"}).get_json()
    assert api.call("POST", "/desks/1/call-next", desk["op"]).get_json()["code"] == appeal["code"]  # snapshot read
    assert api.call("POST", "/kiosk/tickets", desk["kiosk"], json={"service": "consult"}).status_code == 201
    with db.write() as s:  # desk 1 no longer serves consultations
        desk_id = s.scalar(select(Desk.id).join(Office).where(Office.code == "T1", Desk.code == "1"))
        service_id = s.scalar(select(Service.id).join(Office).where(Office.code == "T1", Service.code == "consult"))
        s.execute(delete(DeskService).where(DeskService.desk_id == desk_id, DeskService.service_id == service_id))
    api.clock.advance(seconds=60)  # past the double-click window
    assert api.call("POST", "/desks/1/call-next", desk["op"]).status_code == 204  # nobody it serves waits


def test_a_kiosk_ticket_and_a_call_that_ends_a_visit_write_their_history_in_one_statement(api, db, desk, app,  # noqa: F811
                                                                                          clock) -> None:
    """The ``issued`` row goes with the ``estimated`` one, the ended visit's ``finished`` with the ``called``
    one: one INSERT each, and the story reads as before."""
    statements: list[str] = []
    engine = app.extensions["reception"].db.write_engine
    note = lambda _c, _cur, statement, *_a: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", note)
    try:
        first = api.call("POST", "/kiosk/tickets", desk["kiosk"], json={"service": "consult"}).get_json()
        second = api.call("POST", "/kiosk/tickets", desk["kiosk"], json={"service": "consult"}).get_json()
        api.call("POST", "/desks/1/call-next", desk["op"])
        clock.advance(seconds=60)  # past the double-click window: this Next ends the first visit
        api.call("POST", "/desks/1/call-next", desk["op"])
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert sum("INSERT INTO ticket_events" in s for s in statements) == 4  # two tickets, two calls
    story = api.call("GET", f"/tickets/{first['id']}/events", desk["op"]).get_json()
    assert [e["kind"] for e in story] == ["issued", "estimated", "called", "finished"]
    story = api.call("GET", f"/tickets/{second['id']}/events", desk["op"]).get_json()
    assert [e["kind"] for e in story] == ["issued", "estimated", "called"]


def test_on_postgresql_the_hot_paths_statements_stay_prepared_across_requests(api, desk, app) -> None:  # noqa: F811
    """psycopg prepares a statement run often on a connection and drops them all when a transaction on it
    rolls back; the caller's lookup reads in autocommit, so nothing rolls back between requests and the
    kiosk's statements stay prepared (no DEALLOCATE ALL, no parse and plan per request)."""
    engine = app.extensions["reception"].db.write_engine
    if engine.dialect.name != "postgresql":
        pytest.skip("psycopg's prepared statements: PostgreSQL only")
    for _ in range(8):  # psycopg prepares a statement from its fifth run on a connection
        assert api.call("POST", "/kiosk/tickets", desk["kiosk"], json={"service": "consult"}).status_code == 201
    with engine.connect() as conn:  # the pool's most recent connection: the one the requests ran on
        prepared = conn.exec_driver_sql("SELECT statement FROM pg_prepared_statements").scalars().all()
    assert any("INSERT INTO ticket_counters" in s for s in prepared)

"""A scenario file's empirical service times from an office's own history, read from its database
(SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from reception.simulation.scenario_file import ScenarioError, parse
from tests.unit.simulation.test_scenario_file import minimal


def test_empirical_history_from_an_offices_database(db, db_url: str, clock, office) -> None:
    """The served visits (started -> finished) of the service, read from the database the file names."""
    from reception.kernel.identity import Actor
    from reception.offices.lookups import office_by_code
    from reception.queue import commands as queue
    from tests.fakes import add_user, services

    run = services(db, clock)
    with db.read() as s:
        office_id = office_by_code(s, "T1").id
    op = Actor(user_id=add_user(db, clock, "op", ["operator"], ["T1"]), roles=frozenset({"operator"}),
               office_ids=frozenset({office_id}))
    run.value(queue.open_desk, op, "1")
    for minutes in (4, 7):
        ticket = run.value(queue.issue_ticket, office_code="T1", service_code="consult").ticket_id
        assert ticket is not None
        run.value(queue.call_next, op, "1")
        run.value(queue.start, op, ticket)
        clock.advance(minutes=minutes)
        run.value(queue.finish, op, ticket, None)
    data = minimal(history={"database": db_url, "office": "T1", "weeks": 520})
    data["services"][0]["service_time"] = {"distribution": "empirical", "history": True}
    sc = parse(data)
    assert sorted(sc.services[0].samples) == [4.0, 7.0] and sc.services[0].mean_min == 5.5
    with pytest.raises(ScenarioError, match="history.weeks: must be from 1 to 520"):
        parse(data | {"history": {"database": db_url, "office": "T1", "weeks": 0}})

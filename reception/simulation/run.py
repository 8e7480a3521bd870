"""One simulated day end to end: a fresh database, the office, the loop, the per-ticket results."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from reception.platform.db import Database, connect
from reception.platform.orm import Base
from reception.queue.estimates import Estimate, QueueSnapshot, minutes_between
from reception.queue.models import Ticket
from reception.queue.states import Status
from reception.schema import tables as models_all  # noqa: F401  (every table, for create_all)
from reception.schema.migrate import seed_reference_data
from reception.simulation.clock import SimClock
from reception.simulation.commands import QueueCommands
from reception.simulation.engine import DaySimulation, Issued
from reception.simulation.office import build_office, local_instant
from reception.simulation.scenarios import Scenario, scenario

SETUP_BEFORE_OPENING_MIN = 120  # the office is configured (and the session booked) at 07:00


@dataclass(frozen=True)
class TicketOutcome:
    """One ticket of the day: what it was told at issue and what happened."""

    ticket_id: int
    code: str
    number: int
    service: str
    priority: str | None
    issued_at: datetime
    position: int
    status: str
    called_at: datetime | None
    desk: str | None  # that called it
    snapshot: QueueSnapshot  # the predictors' input at issue
    estimates: dict[str, Estimate]
    booked: bool = False  # a specialist booking checked in (decision 044)

    @property
    def wait_min(self) -> float | None:
        """The realised wait until the call; None while still waiting (at closing)."""
        return minutes_between(self.issued_at, self.called_at) if self.called_at else None

    @property
    def is_appointment(self) -> bool:
        return self.priority == "appointment"


@dataclass(frozen=True)
class DayResult:
    scenario: Scenario
    seed: int
    tickets: list[TicketOutcome]


@contextmanager
def _database(url: str | None) -> Iterator[Database]:
    """The given database (schema created if missing), else a throw-away SQLite file."""
    with tempfile.TemporaryDirectory(prefix="reception-sim-") as tmp:
        db = connect(url or f"sqlite:///{Path(tmp) / 'day.db'}")
        try:
            Base.metadata.create_all(db.write_engine)
            seed_reference_data(db)
            yield db
        finally:
            db.dispose()


def simulate(name: str | Scenario, seed: int, *, database_url: str | None = None, closes: str | None = None,
             booked_share: float | None = None) -> DayResult:
    """A built-in scenario by name, or a Scenario (e.g. from a file: ``scenario_file.load``)."""
    if isinstance(name, Scenario):
        chosen = replace(name, closes=closes) if closes else name
        chosen = replace(chosen, booked_share=booked_share) if booked_share is not None else chosen
    else:
        chosen = scenario(name, closes=closes, booked_share=booked_share)
    with _database(database_url) as db:
        opens = local_instant(chosen, chosen.opens)
        clock = SimClock(opens - timedelta(minutes=SETUP_BEFORE_OPENING_MIN))
        office = build_office(db, clock, chosen)
        issued = DaySimulation(chosen, seed, QueueCommands(db, clock, office.code), clock, office).run()
        return DayResult(chosen, seed, _outcomes(db, office.office_id, issued))


def _outcomes(db: Database, office_id: int, issued: dict[int, Issued]) -> list[TicketOutcome]:
    with db.read() as s:
        tickets = s.scalars(select(Ticket).where(Ticket.office_id == office_id).order_by(Ticket.id)).all()
        return [
            TicketOutcome(t.id, t.code, t.number, t.service.code, t.priority, t.issued_at, issued[t.id].position,
                          Status(t.status).value, t.called_at, t.desk.code if t.desk else None, issued[t.id].snapshot, issued[t.id].estimates,
                          booked=t.booked_for is not None)
            for t in tickets
        ]

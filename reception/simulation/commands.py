"""The one place the simulator touches the queue core: real commands, plain results.

Everything the simulated people do goes through these methods, which call the product's own
commands (reception.queue.commands, reception.leadership) and hand back only ids.  When the commands'
signatures or results change, this adapter is the single thing to retarget.
"""

from __future__ import annotations

from datetime import datetime

from reception.arrival import checkin
from reception.bootstrap import bootstrap
from reception.kernel.identity import Actor
from reception.leadership import booking
from reception.leadership.room import own_session_only
from reception.platform.db import Database
from reception.queue import commands as queue
from reception.queue.estimates import QueueSnapshot
from reception.queue.estimates_read import queue_snapshot
from reception.simulation.clock import SimClock


class QueueCommands:
    def __init__(self, db: Database, clock: SimClock, office_code: str) -> None:
        self.db, self.clock, self.office = db, clock, office_code
        # Each command in its own unit of work, as a request would run it; nobody listens to events.
        self.run = bootstrap(db, clock).services

    # visitors
    def issue(self, service_code: str, priority: str | None = None) -> int:
        result = self.run.value(queue.issue_ticket, office_code=self.office, service_code=service_code,
                                    priority=priority)
        assert result.ticket_id is not None
        return result.ticket_id

    def issue_booked(self, service_code: str, slot: datetime, tolerance_min: int) -> int:
        """A specialist booking checked in on time: the ticket carries its slot (reception.arrival.booked)."""
        result = self.run.value(queue.issue_ticket, office_code=self.office, service_code=service_code,
                                walk_in=False, booked_for=slot, call_tolerance_min=tolerance_min)
        assert result.ticket_id is not None
        return result.ticket_id

    def book(self, booker: Actor, session_id: int, n: int) -> tuple[str, datetime]:
        """A call-centre booking into the session: (booking code, slot start)."""
        view = self.run.value(booking.book, booker, session_id, surname=f"Відвідувач{n}", name="Імʼя",
                              topic="Звернення")
        return str(view["booking_code"]), datetime.fromisoformat(view["slot"])

    def check_in(self, kiosk: Actor, booking_code: str) -> int:
        result = self.run.value(checkin.check_in, actor=kiosk, booking_code=booking_code)
        assert result.ticket_id is not None
        return result.ticket_id

    # desks
    def open_desk(self, operator: Actor, desk: str) -> None:
        self.run.value(queue.open_desk, operator, desk, self.office)

    def pause_desk(self, operator: Actor, desk: str) -> None:
        self.run.value(queue.pause_desk, operator, desk, "перерва", self.office)

    def resume_desk(self, operator: Actor, desk: str) -> None:
        self.run.value(queue.resume_desk, operator, desk, self.office)

    def close_desk(self, operator: Actor, desk: str) -> None:
        self.run.value(queue.close_desk, operator, desk, self.office)

    def call_next(self, operator: Actor, desk: str) -> int | None:
        """The called ticket's id, or None when nobody waits for this desk."""
        return self.run.value(queue.call_next, operator, desk, self.office, keep=own_session_only).ticket_id

    def start(self, operator: Actor, ticket_id: int) -> None:
        self.run.value(queue.start, operator, ticket_id)

    def finish(self, operator: Actor, ticket_id: int) -> None:
        self.run.value(queue.finish, operator, ticket_id, None)

    def no_show(self, operator: Actor, ticket_id: int) -> None:
        self.run.value(queue.no_show, operator, ticket_id)

    # the estimate's input, read as the kiosk would read it right after issuing
    def snapshot(self, ticket_id: int, now: datetime) -> QueueSnapshot:
        with self.db.read() as session:
            return queue_snapshot(session, ticket_id, now)

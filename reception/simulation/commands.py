"""The one place the simulator touches the queue core: real commands, plain results.

Everything the simulated people do goes through these methods, which call the product's own
commands (reception.queue, reception.leadership) and hand back only ids.  When the commands'
signatures or results change, this adapter is the single thing to retarget.
"""

from __future__ import annotations

from datetime import datetime

from .. import queue
from ..auth import Actor
from ..db import Database
from ..estimates import QueueSnapshot
from ..estimates_read import queue_snapshot
from ..leadership import booking, checkin
from .clock import SimClock


class QueueCommands:
    def __init__(self, db: Database, clock: SimClock, office_code: str) -> None:
        self.db, self.clock, self.office = db, clock, office_code

    # visitors
    def issue(self, service_code: str, priority: str | None = None) -> int:
        result = queue.issue_ticket(self.db, self.clock, office_code=self.office, service_code=service_code,
                                    priority=priority)
        assert result.ticket_id is not None
        return result.ticket_id

    def book(self, booker: Actor, session_id: int, n: int) -> tuple[str, datetime]:
        """A call-centre booking into the session: (booking code, slot start)."""
        view = booking.book(self.db, self.clock, booker, session_id, surname=f"Відвідувач{n}", name="Імʼя",
                            topic="Звернення")
        return str(view["booking_code"]), datetime.fromisoformat(view["slot"])

    def check_in(self, kiosk: Actor, booking_code: str) -> int:
        result = checkin.check_in(self.db, self.clock, kiosk, booking_code)
        assert result.ticket_id is not None
        return result.ticket_id

    # desks
    def open_desk(self, operator: Actor, desk: str) -> None:
        queue.open_desk(self.db, self.clock, operator, desk, self.office)

    def pause_desk(self, operator: Actor, desk: str) -> None:
        queue.pause_desk(self.db, self.clock, operator, desk, "перерва", self.office)

    def resume_desk(self, operator: Actor, desk: str) -> None:
        queue.resume_desk(self.db, self.clock, operator, desk, self.office)

    def close_desk(self, operator: Actor, desk: str) -> None:
        queue.close_desk(self.db, self.clock, operator, desk, self.office)

    def call_next(self, operator: Actor, desk: str) -> int | None:
        """The called ticket's id, or None when nobody waits for this desk."""
        return queue.call_next(self.db, self.clock, operator, desk, self.office).ticket_id

    def start(self, operator: Actor, ticket_id: int) -> None:
        queue.start(self.db, self.clock, operator, ticket_id)

    def finish(self, operator: Actor, ticket_id: int) -> None:
        queue.finish(self.db, self.clock, operator, ticket_id, None)

    def no_show(self, operator: Actor, ticket_id: int) -> None:
        queue.no_show(self.db, self.clock, operator, ticket_id)

    # the estimate's input, read as the kiosk would read it right after issuing
    def snapshot(self, ticket_id: int, now: datetime) -> QueueSnapshot:
        with self.db.read() as session:
            return queue_snapshot(session, ticket_id, now)

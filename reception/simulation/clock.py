"""The simulator's clock: the project's fake clock that only the event loop moves, and only forward."""

from __future__ import annotations

from datetime import datetime

from reception.platform.clock import FakeClock


class SimClock(FakeClock):
    """Stands still between events; a step back in time is a bug in the event loop."""

    def advance_to(self, moment: datetime) -> None:
        if moment < self.now():
            raise ValueError(f"simulated time runs forward only: {moment} < {self.now()}")
        self.set(moment)

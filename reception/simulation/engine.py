"""The discrete-event loop: a heap of (time, seq, event), people acting through real commands.

Visitors arrive (kiosk tickets, leadership check-ins); operators open late, call, wait for
the visitor to walk up (or give up on a no-show), serve, pause and close.  A busy desk keeps
a pause or a close pending until its visitor is done, as a person would.  Calling stops at
closing time; whoever still waits then stays waiting.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from reception.kernel.identity import Actor
from reception.queue.estimates import PREDICTORS, Estimate, QueueSnapshot
from reception.simulation.arrivals import (
    empirical_minutes,
    exponential_minutes,
    lognormal_minutes,
    pick,
    thinned_arrivals,
)
from reception.simulation.clock import SimClock
from reception.simulation.commands import QueueCommands
from reception.simulation.office import ROOM, SimOffice, local_instant
from reception.simulation.scenarios import (
    BREAK_JITTER_MIN,
    LEADERSHIP_SERVICE,
    PRIORITY_CATEGORIES,
    Scenario,
    ServiceSpec,
)

ROOM_OPENS_EARLY_MIN = 5.0
ROOM_STAYS_MIN = 30.0  # after the session's end, for late check-ins


@dataclass
class Issued:
    """What the kiosk knew at issue: the position and every predictor's estimate."""

    ticket_id: int
    service: str
    at: datetime
    position: int
    snapshot: QueueSnapshot
    estimates: dict[str, Estimate]


@dataclass
class DeskRun:
    code: str
    services: frozenset[str]
    operator: Actor
    state: str = "closed"  # closed | idle | busy | paused
    ticket: int | None = None
    idle_since: datetime | None = None
    pending: list[tuple[str, float]] = field(default_factory=list)  # ("pause", minutes) | ("close", 0)


class DaySimulation:
    def __init__(self, scenario: Scenario, seed: int, commands: QueueCommands, clock: SimClock,
                 office: SimOffice) -> None:
        self.scenario, self.cmd, self.clock, self.office = scenario, commands, clock, office
        # One stream per purpose: changing how operators behave does not reshuffle the arrivals.
        self.rng = {name: random.Random(f"{seed}:{name}") for name in ("arrivals", "service", "people", "staff", "booked")}
        self.opens = local_instant(scenario, scenario.opens)
        self.closes = local_instant(scenario, scenario.closes)
        self.specs: dict[str, ServiceSpec] = {s.code: s for s in (*scenario.services, LEADERSHIP_SERVICE)}
        self.desks: dict[str, DeskRun] = {}
        self.issued: dict[int, Issued] = {}
        self._heap: list[tuple[datetime, int, str, tuple[Any, ...]]] = []
        self._seq = itertools.count()

    # --- scheduling -------------------------------------------------------------------------

    def at(self, moment: datetime, event: str, *args: Any) -> None:
        heapq.heappush(self._heap, (moment, next(self._seq), event, args))

    def after(self, minutes: float, event: str, *args: Any) -> None:
        self.at(self.clock.now() + timedelta(minutes=minutes), event, *args)

    def minute(self, m: float) -> datetime:
        return self.opens + timedelta(minutes=m)

    def run(self) -> dict[int, Issued]:
        self._plan_walk_ins()
        self._plan_desks()
        if self.scenario.leadership is not None and self.office.session_id is not None:
            self._plan_leadership()
        while self._heap:
            moment, _, event, args = heapq.heappop(self._heap)
            self.clock.advance_to(moment)
            getattr(self, f"_on_{event}")(*args)
        return self.issued

    # --- the plan of the day ----------------------------------------------------------------

    def _plan_walk_ins(self) -> None:
        rng, sc = self.rng["arrivals"], self.scenario
        categories = sc.priorities or PRIORITY_CATEGORIES
        if any(s.curve for s in sc.services):  # each service by its own curve (a scenario file)
            for spec in sc.services:
                for m in thinned_arrivals(rng, spec.curve or ((0.0, 0.0),), sc.day_min):
                    priority = pick(rng, categories) if rng.random() < sc.priority_share else None
                    self.at(self.minute(m), "arrive", spec.code, priority)
            return
        shares = [(s.code, s.share) for s in sc.services]
        booked = self.rng["booked"]  # its own stream: a booking share leaves the arrivals as they were
        for m in thinned_arrivals(rng, sc.curve, sc.day_min):
            service = pick(rng, shares)
            priority = pick(rng, categories) if rng.random() < sc.priority_share else None
            if sc.booked_share > 0 and booked.random() < sc.booked_share:
                slot_m = math.ceil(m / sc.booked_slot_min) * sc.booked_slot_min
                comes_m = max(slot_m - booked.uniform(0, sc.booked_early_max_min), 0.0)
                self.at(self.minute(min(comes_m, sc.day_min)), "booked_arrive", service, self.minute(slot_m))
            else:
                self.at(self.minute(m), "arrive", service, priority)

    def _plan_desks(self) -> None:
        rng, sc = self.rng["staff"], self.scenario
        for spec in sc.desks:
            self.desks[spec.code] = DeskRun(spec.code, frozenset(spec.services), self.office.operators[spec.code])
            self.at(self.minute(spec.opens_at_min + rng.uniform(0, spec.late_max_min)), "open", spec.code)
            jitter = BREAK_JITTER_MIN if sc.break_jitter_min is None else sc.break_jitter_min
            for brk in spec.breaks:
                start = brk.at_min + rng.uniform(-jitter, jitter)
                self.at(self.minute(min(max(start, 0.0), sc.day_min)), "pause", spec.code, brk.length_min)
            closes = spec.closes_at_min if spec.closes_at_min is not None else sc.day_min
            self.at(self.minute(min(closes, sc.day_min)), "close", spec.code)

    def _plan_leadership(self) -> None:
        """The call-centre booked the session before opening; booked visitors come early, or not at all."""
        spec, rng = self.scenario.leadership, self.rng["people"]
        assert spec is not None and self.office.session_id is not None
        start, end = local_instant(self.scenario, spec.start), local_instant(self.scenario, spec.end)
        self.desks[ROOM] = DeskRun(ROOM, frozenset({LEADERSHIP_SERVICE.code}), self.office.operators[ROOM])
        self.at(start - timedelta(minutes=ROOM_OPENS_EARLY_MIN), "open", ROOM)
        self.at(end + timedelta(minutes=ROOM_STAYS_MIN), "close", ROOM)
        for n in range(spec.booked):
            code, slot = self.cmd.book(self.office.booker, self.office.session_id, n)
            if rng.random() >= spec.no_show_share:
                self.at(slot - timedelta(minutes=rng.uniform(*spec.early_min)), "checkin", code)

    # --- visitors ---------------------------------------------------------------------------

    def _on_arrive(self, service: str, priority: str | None) -> None:
        self._record(self.cmd.issue(service, priority), service)
        self._wake(service)

    def _on_booked_arrive(self, service: str, slot: datetime) -> None:
        """A visitor who booked online checks in (their ticket carries the slot, as the kiosk's check-in makes it)."""
        self._record(self.cmd.issue_booked(service, slot, self.scenario.booked_tolerance_min), service)
        self._wake(service)

    def _on_checkin(self, booking_code: str) -> None:
        self._record(self.cmd.check_in(self.office.kiosk, booking_code), LEADERSHIP_SERVICE.code)
        self._wake(LEADERSHIP_SERVICE.code)

    def _record(self, ticket_id: int, service: str) -> None:
        now = self.clock.now()
        snapshot = self.cmd.snapshot(ticket_id, now)
        estimates = {name: predict(snapshot) for name, predict in PREDICTORS.items()}
        self.issued[ticket_id] = Issued(ticket_id, service, now, snapshot.ahead, snapshot, estimates)

    def _wake(self, service: str) -> None:
        """Idle desks serving the service notice the newcomer; the longest idle calls first."""
        idle = [d for d in self.desks.values() if d.state == "idle" and service in d.services]
        for desk in sorted(idle, key=lambda d: (d.idle_since or self.opens, d.code)):
            if self._try_call(desk):
                return

    # --- desks ------------------------------------------------------------------------------

    def _try_call(self, desk: DeskRun) -> bool:
        if desk.state != "idle" or self.clock.now() >= self.closes:
            return False
        ticket_id = self.cmd.call_next(desk.operator, desk.code)
        if ticket_id is None:
            return False
        desk.state, desk.ticket = "busy", ticket_id
        rng = self.rng["people"]
        if rng.random() < self.scenario.no_show_share:
            self.after(self.scenario.no_show_wait_min, "no_show", desk.code, ticket_id)
            return True
        walk = rng.uniform(*self.scenario.walk_min)
        spec = self.specs[self.issued[ticket_id].service]
        serve = service_minutes(self.rng["service"], spec)
        self.after(walk, "start", desk.code, ticket_id)
        self.after(walk + serve, "finish", desk.code, ticket_id)
        return True

    def _on_open(self, code: str) -> None:
        desk = self.desks[code]
        if desk.state != "closed" or self.clock.now() >= self.closes:
            return  # a day cut shorter than the operator's late start
        self.cmd.open_desk(desk.operator, code)
        self._become_idle(desk)

    def _on_start(self, code: str, ticket_id: int) -> None:
        self.cmd.start(self.desks[code].operator, ticket_id)

    def _on_finish(self, code: str, ticket_id: int) -> None:
        self.cmd.finish(self.desks[code].operator, ticket_id)
        self._after_visit(self.desks[code])

    def _on_no_show(self, code: str, ticket_id: int) -> None:
        self.cmd.no_show(self.desks[code].operator, ticket_id)
        self._after_visit(self.desks[code])

    def _after_visit(self, desk: DeskRun) -> None:
        desk.ticket = None
        self._settle(desk)

    def _settle(self, desk: DeskRun) -> None:
        """Free again: first what the operator put off while busy (a pause, closing), then call."""
        desk.state = "idle"
        while desk.pending and desk.state == "idle":
            action, minutes = desk.pending.pop(0)
            if action == "pause":
                self._pause(desk, minutes)
            else:
                self._close(desk)
        if desk.state == "idle":
            self._become_idle(desk)

    def _become_idle(self, desk: DeskRun) -> None:
        desk.state, desk.idle_since = "idle", self.clock.now()
        self._try_call(desk)

    def _on_pause(self, code: str, minutes: float) -> None:
        desk = self.desks[code]
        if desk.state == "busy":
            desk.pending.append(("pause", minutes))
        elif desk.state == "idle":
            self._pause(desk, minutes)

    def _pause(self, desk: DeskRun, minutes: float) -> None:
        self.cmd.pause_desk(desk.operator, desk.code)
        desk.state = "paused"
        self.after(minutes, "resume", desk.code)

    def _on_resume(self, code: str) -> None:
        desk = self.desks[code]
        if desk.state != "paused":
            return  # closed meanwhile
        self.cmd.resume_desk(desk.operator, code)
        self._settle(desk)

    def _on_close(self, code: str) -> None:
        desk = self.desks[code]
        if desk.state == "busy":
            desk.pending.append(("close", 0.0))
        elif desk.state in ("idle", "paused"):
            self._close(desk)

    def _close(self, desk: DeskRun) -> None:
        self.cmd.close_desk(desk.operator, desk.code)
        desk.state = "closed"


def service_minutes(rng: random.Random, spec: ServiceSpec) -> float:
    """One visit's length by the service's distribution."""
    if spec.distribution == "exponential":
        return exponential_minutes(rng, spec.mean_min if spec.mean_min is not None else spec.median_min)
    if spec.distribution == "empirical" and spec.samples:
        return empirical_minutes(rng, spec.samples)
    return lognormal_minutes(rng, spec.median_min, spec.sigma)

"""Which alert conditions hold for an office: pure rules over a snapshot of its state.

No database, no clock: :func:`conditions` takes an :class:`OfficeSnapshot` (read by
``reception.alerts.state``) and the office's :class:`Thresholds` and answers the conditions that hold,
keyed by ``(kind, subject)``. The evaluation (``reception.alerts.evaluate``) diffs them with the open
alerts: a new key is raised, a key that no longer holds is cleared.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

# The contract's kinds (GET /offices/{code}/alerts): evaluated by the alerts job, but ``feed_down``,
# which the air-raid feed's poller raises and clears itself.
KINDS = ("wait_over_target", "nobody_serves", "device_offline", "printer_paper", "printer_failing",
         "suspended_long", "leader_absent", "feed_down", "appeals_overdue", "appeals_near_due")
JOB_KINDS = tuple(k for k in KINDS if k != "feed_down")
FEED_KINDS = ("feed_down",)


@dataclass(frozen=True)
class Thresholds:
    """An office's alert thresholds: ``settings["alerts"]`` of the office row, over these defaults."""

    device_offline_min: int = 5  # a kiosk or display silent this long during opening hours
    printer_failures: int = 2  # failed prints within the window ...
    printer_failures_window_min: int = 30  # ... make a failing printer
    suspended_long_min: int = 60  # a suspension in force longer than this
    leader_absent_min: int = 10  # the room not opened this long after the session's start
    wait_critical_factor: int = 2  # a wait this many times its target is critical, not a warning
    appeals_overdue_critical_days: int = 7  # an appeal overdue by more than this makes the overdue alert critical
    appeals_near_due_days: int = 3  # appeals due within this many days (and not yet overdue) are near due

    @classmethod
    def from_json(cls, data: Any) -> Thresholds:
        if not isinstance(data, dict):
            return cls()
        known: dict[str, Any] = {}
        for f in fields(cls):
            value = data.get(f.name)
            if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
                known[f.name] = type(getattr(cls(), f.name))(value)
        return cls(**known)


@dataclass(frozen=True)
class ServiceState:
    code: str
    waiting: int
    longest_wait_s: float | None  # the longest current (net) wait; None: nobody waits
    target_wait_min: int | None
    served: bool  # some desk can call it now (open, calling or serving)


@dataclass(frozen=True)
class DeviceState:
    id: int
    kind: str  # kiosk | display
    name: str
    last_seen_at: datetime | None
    has_printer: bool = False
    paper: str | None = None  # ok | near_end | out | unknown (last read of the paper sensor); None: never read
    recent_failures: int = 0  # failed prints within the window
    last_print_ok: bool | None = None  # the last print's outcome (None: none yet)


@dataclass(frozen=True)
class LeaderSession:
    id: int
    leader_id: int
    room: str  # the desk's code
    starts_at: datetime
    checked_in: int  # visitors checked in for it
    room_open: bool  # the room's desk is open (or paused, calling, serving): somebody is there


@dataclass(frozen=True)
class OfficeSnapshot:
    now: datetime
    is_open: bool  # within the office's opening hours
    suspended_since: datetime | None = None  # the suspension in force, if any
    suspended_by: str | None = None
    services: tuple[ServiceState, ...] = ()
    devices: tuple[DeviceState, ...] = ()
    sessions: tuple[LeaderSession, ...] = field(default_factory=tuple)
    appeals: AppealsState | None = None  # the journal's control lists (None: not read)


@dataclass(frozen=True)
class AppealsState:
    """The office's appeals on control: the journal's overdue and near-due lists, counted."""

    overdue: int = 0
    most_overdue_days: int = 0  # how many days the oldest overdue appeal is past its deadline
    near_due: int = 0  # due within ``Thresholds.appeals_near_due_days``, not yet overdue


@dataclass(frozen=True)
class Condition:
    severity: str  # warning | critical
    detail: dict[str, Any]


Key = tuple[str, str]  # (kind, subject)


def _minutes(seconds: float) -> int:
    return int(seconds // 60)


def conditions(snap: OfficeSnapshot, limits: Thresholds) -> dict[Key, Condition]:
    """Every alert condition of :data:`JOB_KINDS` that holds for the office now.

    While the office is suspended nobody is served by design: only ``suspended_long`` and the devices
    count then. Waits and unserved services count while anyone waits, whatever the hours say.
    """
    held: dict[Key, Condition] = {}
    now = snap.now
    if snap.suspended_since is None:
        for s in snap.services:
            if s.waiting > 0 and not s.served:
                held[("nobody_serves", s.code)] = Condition("critical", {"service": s.code, "waiting": s.waiting})
            if s.longest_wait_s is not None and s.target_wait_min and s.longest_wait_s > s.target_wait_min * 60:
                critical = s.longest_wait_s > s.target_wait_min * 60 * limits.wait_critical_factor
                held[("wait_over_target", s.code)] = Condition(
                    "critical" if critical else "warning",
                    {"service": s.code, "longest_wait_min": _minutes(s.longest_wait_s),
                     "target_wait_min": s.target_wait_min, "waiting": s.waiting})
        for session in snap.sessions:
            late_s = (now - session.starts_at).total_seconds()
            if session.checked_in > 0 and not session.room_open and late_s >= limits.leader_absent_min * 60:
                held[("leader_absent", str(session.id))] = Condition(
                    "critical", {"session": session.id, "leader": session.leader_id, "room": session.room,
                                 "checked_in": session.checked_in, "late_min": _minutes(late_s)})
    else:
        long_s = (now - snap.suspended_since).total_seconds()
        if long_s > limits.suspended_long_min * 60:
            held[("suspended_long", "")] = Condition(
                "warning", {"minutes": _minutes(long_s), "by": snap.suspended_by or "manager"})
    for d in snap.devices:
        subject = str(d.id)
        if snap.is_open:
            silent_s = None if d.last_seen_at is None else (now - d.last_seen_at).total_seconds()
            if silent_s is None or silent_s > limits.device_offline_min * 60:
                held[("device_offline", subject)] = Condition(
                    "critical", {"device": d.id, "kind": d.kind, "name": d.name,
                                 "minutes": None if silent_s is None else _minutes(silent_s)})
        if d.has_printer and d.paper in ("out", "near_end"):
            held[("printer_paper", subject)] = Condition(
                "critical" if d.paper == "out" else "warning", {"device": d.id, "name": d.name, "paper": d.paper})
        if d.has_printer and d.recent_failures >= limits.printer_failures and d.last_print_ok is False:
            held[("printer_failing", subject)] = Condition(
                "critical", {"device": d.id, "name": d.name, "failures": d.recent_failures})
    held |= _appeals(snap.appeals, limits)
    return held


def _appeals(appeals: AppealsState | None, limits: Thresholds) -> dict[Key, Condition]:
    """Overdue appeals (critical when one is late by more than the threshold) and those near their due
    date: whatever the hours or a suspension say, a deadline of the law runs on."""
    held: dict[Key, Condition] = {}
    if appeals is None:
        return held
    if appeals.overdue > 0:
        critical = appeals.most_overdue_days > limits.appeals_overdue_critical_days
        held[("appeals_overdue", "")] = Condition(
            "critical" if critical else "warning", {"count": appeals.overdue, "days": appeals.most_overdue_days})
    if appeals.near_due > 0:
        held[("appeals_near_due", "")] = Condition(
            "warning", {"count": appeals.near_due, "days": limits.appeals_near_due_days})
    return held


def feed_condition(failing_since: datetime | None, error: str | None) -> dict[Key, Condition]:
    """``feed_down`` while the air-raid feed has been failing (down, or answering garbage)."""
    if failing_since is None:
        return {}
    return {("feed_down", ""): Condition("critical", {"error": (error or "")[:200]})}


@dataclass(frozen=True)
class Diff:
    raise_: dict[Key, Condition]
    clear: tuple[Key, ...]
    update: dict[Key, Condition]  # still open: its detail (figures) and severity refreshed


def diff(open_keys: dict[Key, Any], held: dict[Key, Condition], kinds: tuple[str, ...]) -> Diff:
    """New conditions to raise, open alerts (of ``kinds`` only) to clear, the rest to refresh."""
    mine = {k for k in open_keys if k[0] in kinds}
    return Diff({k: c for k, c in held.items() if k not in mine and k[0] in kinds},
                tuple(sorted(k for k in mine if k not in held)),
                {k: c for k, c in held.items() if k in mine})


def quiet(last_notified: datetime | None, now: datetime, quiet_min: int) -> bool:
    """Within the quiet period of the last message of the same kind for the office: send nothing."""
    return last_notified is not None and (now - last_notified).total_seconds() < quiet_min * 60

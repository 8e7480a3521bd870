"""The manager's live hall view: one read model behind ``/backoffice/hall`` and ``GET /offices/{code}/hall``.

Read in one short session from the tables and the event logs, with the clock's ``now`` passed in;
the arithmetic (waits, states, alarms, the estimate's accuracy) is in small pure functions below so
tests can check it by hand. Durations are given as seconds *as of* ``now``; the page adds the time
since it fetched, so they tick without asking the server (docs/decisions/020-hall-view.md).

No personal data: a desk serving someone shows the ticket code only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reception.alerts.evaluate import alerts_view
from reception.appeals.stats import appeals_today
from reception.devices.status import Probe, device_statuses
from reception.feedback.reads import day_satisfaction
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.offices.lookups import office_by_code
from reception.offices.models import Desk, DeskService, Office, Service
from reception.offices.rules import office_day
from reception.offices.suspension import suspension_intervals, suspension_view
from reception.platform.cache import TtlCache
from reception.platform.db import Database
from reception.queue.estimates import callable_now, shown_bounds
from reception.queue.models import DeskEvent, Ticket, TicketEvent
from reception.queue.reads import iso_local
from reception.queue.states import Status
from reception.reports.figures import Interval, merge_intervals, overlap_s

PROBE_TTL_S = 30.0  # every event refetches the view: printers are asked at most this often

# Desk states shown: closed | open (idle) | paused | called (a visitor called, not come yet) | serving.
OPEN_STATES = (Status.CALLED, Status.SERVING)
# The desk's own status under the state shown: a calling or serving desk is an open one.
DESK_STATUS = {"called": "open", "serving": "open"}
# Tickets ending a visit at a desk: since when an open desk has been idle.
ENDED = ("finished", "no_show", "cancelled", "transferred")


def waited_s(since: datetime, now: datetime, suspended: Sequence[Interval]) -> float:
    """Seconds waited from ``since`` to ``now``, not counting the office's suspensions (as the reports)."""
    return max((now - since).total_seconds() - overlap_s(since, now, suspended), 0.0)


@dataclass(frozen=True)
class AtDesk:
    """The visitor called to or served at a desk: code only, never a name."""

    code: str
    status: str  # called | serving
    called_at: datetime | None
    started_at: datetime | None


def desk_state(status: str, current: AtDesk | None, last_change: datetime | None,
               last_visit_end: datetime | None, opened_at: datetime | None) -> tuple[str, datetime | None]:
    """(state, since) of one desk, as it really is. A pause is a pause (since it began), whoever is still
    at the desk; "called" counts from the call, "serving" from the visitor's arrival (the call when it was
    never marked); an open desk is idle since its last state change or the end of its last visit,
    whichever came later; closed since the change."""
    if status == "paused":
        return "paused", last_change
    if status != "closed" and current is not None:
        if current.status == Status.SERVING:
            return "serving", current.started_at or current.called_at
        return "called", current.called_at
    if status == "open":
        moments = [m for m in (last_change or opened_at, last_visit_end) if m is not None]
        return "open", max(moments) if moments else None
    return status, last_change


def device_problem(device: dict[str, Any]) -> str | None:
    """The alarm of one kiosk or display (None when it is fine): offline, paper out, printer offline, print failed.
    A printer that cannot say is not an alarm; its last failed print is."""
    if not device["online"]:
        return "offline"
    printer = device.get("printer")
    if printer is None:
        return None
    status, last = printer["status"], printer["last_print"]
    if status["paper"] == "out" or (last and not last["ok"] and "paper" in (last["error"] or "").lower()):
        return "paper_out"
    if status["online"] is False:
        return "printer_offline"
    if last and not last["ok"]:
        return "print_failed"
    if status["paper"] == "near_end":
        return "paper_low"
    return None


ALARMS = frozenset({"offline", "paper_out", "printer_offline", "print_failed"})  # paper_low only warns


def unserved(services: Iterable[dict[str, Any]], desks: Iterable[dict[str, Any]]) -> list[str]:
    """Codes of the services someone waits for that no desk can call now (``callable_now``: open, calling
    or serving; a break does not count, decision 032). A pure rule over the snapshot."""
    statuses: dict[str, list[str]] = {}
    for d in desks:
        for code in d["services"]:
            statuses.setdefault(code, []).append(DESK_STATUS.get(d["state"], d["state"]))
    return [s["code"] for s in services if s["waiting"] > 0 and not callable_now(statuses.get(s["code"], ()))]


@dataclass(frozen=True)
class Sample:
    """One visitor called today: what they were told at issue and how long they waited."""

    eta_min: float
    low: int
    high: int
    waited_min: float


def accuracy(samples: Iterable[Sample]) -> dict[str, Any]:
    """Mean absolute error (min) of the shown estimate and the share (%) inside the shown range
    (:func:`reception.queue.estimates.shown_bounds`: «скоро» = at most 5 min, «від N» = at least N)."""
    items = list(samples)
    if not items:
        return {"n": 0, "mae_min": None, "inside_pct": None}
    errors = [abs(s.eta_min - s.waited_min) for s in items]
    inside = 0
    for s in items:
        lo, hi = shown_bounds(s.low, s.high)
        inside += lo <= s.waited_min and (hi is None or s.waited_min <= hi)
    return {"n": len(items), "mae_min": round(sum(errors) / len(errors), 1),
            "inside_pct": round(100.0 * inside / len(items), 1)}


# --- reading ---------------------------------------------------------------------------------------


def _day_start(now: datetime, tz: str) -> datetime:
    return datetime.combine(office_day(now, tz), time.min, tzinfo=ZoneInfo(tz))


def _services(s: Session, office: Office, now: datetime, suspended: Sequence[Interval]) -> list[dict[str, Any]]:
    waiting = {sid: (int(n), oldest) for sid, n, oldest in s.execute(
        select(Ticket.service_id, func.count(Ticket.id), func.min(Ticket.queued_at))
        .where(Ticket.office_id == office.id, Ticket.status == Status.WAITING).group_by(Ticket.service_id))}
    out = []
    for svc in s.scalars(select(Service).where(Service.office_id == office.id, Service.is_active.is_(True))
                         .order_by(Service.sort_order, Service.code)):
        n, oldest = waiting.get(svc.id, (0, None))
        # The oldest entry has the longest net wait too: a later one overlaps no more suspended time.
        longest = waited_s(oldest, now, suspended) if oldest is not None else None
        target = svc.target_wait_min
        out.append({"code": svc.code, "prefix": svc.prefix, "name_uk": svc.name_uk, "name_en": svc.name_en or svc.name_uk,
                    "waiting": n, "longest_wait_s": None if longest is None else round(longest),
                    "target_wait_min": target,
                    "over_target": bool(longest is not None and target is not None and longest > target * 60)})
    return out


def _desks(s: Session, office: Office, now: datetime, day_start: datetime) -> list[dict[str, Any]]:
    tz = office.timezone
    desks = s.scalars(select(Desk).where(Desk.office_id == office.id).order_by(Desk.code)).all()
    current = {desk_id: AtDesk(code, status, called, started) for desk_id, code, status, called, started in s.execute(
        select(Ticket.desk_id, Ticket.code, Ticket.status, Ticket.called_at, Ticket.started_at)
        .where(Ticket.office_id == office.id, Ticket.status.in_(OPEN_STATES), Ticket.desk_id.is_not(None)))}
    offers: dict[int, list[str]] = {}
    for desk_id, code in s.execute(select(DeskService.desk_id, Service.code).join(Service)
                                   .where(Service.office_id == office.id, Service.is_active.is_(True))
                                   .order_by(Service.sort_order, Service.code)):
        offers.setdefault(desk_id, []).append(code)
    last_change = dict(s.execute(select(DeskEvent.desk_id, func.max(DeskEvent.at))
                                 .where(DeskEvent.office_id == office.id).group_by(DeskEvent.desk_id)).all())
    visit_end = dict(s.execute(select(TicketEvent.desk_id, func.max(TicketEvent.at))
                               .where(TicketEvent.office_id == office.id, TicketEvent.at >= day_start,
                                      TicketEvent.kind.in_(ENDED), TicketEvent.desk_id.is_not(None))
                               .group_by(TicketEvent.desk_id)).all())
    out = []
    for d in desks:
        state, since = desk_state(d.status, current.get(d.id), last_change.get(d.id), visit_end.get(d.id),
                                  d.opened_at)
        at_desk = current.get(d.id) if d.status != "closed" else None
        out.append({"code": d.code, "name_uk": d.name_uk, "name_en": d.name_en or d.name_uk, "state": state,
                    "since": iso_local(since, tz),
                    "seconds": None if since is None else max(round((now - since).total_seconds()), 0),
                    "pause_reason": d.pause_reason if state == "paused" else None,
                    "ticket": at_desk.code if at_desk else None,
                    "ticket_status": at_desk.status if at_desk else None,
                    "services": offers.get(d.id, [])})
    return out


def _devices(s: Session, office: Office, now: datetime, probe: Probe | None) -> list[dict[str, Any]]:
    """Every paired kiosk and display (kiosks first); both send a heartbeat, so a silent one is an alarm."""
    out = []
    for d in device_statuses(s, office, now, probe=probe):
        if not d["active"]:
            continue  # a revoked device is gone
        problem = device_problem(d)
        printer = d["printer"]
        out.append({"id": d["id"], "kind": d["kind"], "name": d["name"], "zone": d["zone"], "online": d["online"],
                    "last_seen_at": d["last_seen_at"],
                    "printer": None if printer is None else {
                        "paper": printer["status"]["paper"], "online": printer["status"]["online"],
                        "last_print_ok": printer["last_print"]["ok"] if printer["last_print"] else None,
                        "last_print_at": printer["last_print"]["at"] if printer["last_print"] else None},
                    "problem": problem, "alarm": problem in ALARMS})
    return out


def _samples(s: Session, office: Office, today: Any) -> list[Sample]:
    """Today's tickets (first entries) that were told an estimate and have been called since."""
    told = {tid: data for tid, data in s.execute(
        select(TicketEvent.ticket_id, TicketEvent.data).join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(Ticket.office_id == office.id, Ticket.day == today, TicketEvent.kind == "estimated"))}
    if not told:
        return []
    issued = dict(s.execute(select(Ticket.id, Ticket.issued_at).where(Ticket.id.in_(told))).all())
    called = dict(s.execute(select(TicketEvent.ticket_id, func.min(TicketEvent.at))
                            .where(TicketEvent.ticket_id.in_(told), TicketEvent.kind == "called")
                            .group_by(TicketEvent.ticket_id)).all())
    return [Sample(float(data["eta_min"]), int(data["low"]), int(data["high"]),
                   (called[tid] - issued[tid]).total_seconds() / 60)
            for tid, data in told.items() if tid in called]


def hall_view(s: Session, office: Office, now: datetime, *, probe: Probe | None = None) -> dict[str, Any]:
    """The whole hall of one office as of ``now`` (the API's ``HallOut``)."""
    tz = office.timezone
    day_start = _day_start(now, tz)
    # Suspensions of the last day are enough for today's waits; an older waiting ticket is rare.
    suspended = merge_intervals(suspension_intervals(s, office.id, day_start - timedelta(days=1), now))
    services = _services(s, office, now, suspended)
    desks = _desks(s, office, now, day_start)
    devices = _devices(s, office, now, probe)
    nobody = unserved(services, desks)
    for service in services:
        service["unserved"] = service["code"] in nobody
    return {
        "office": {"code": office.code, "name_uk": office.name_uk, "name_en": office.name_en or office.name_uk,
                   "timezone": tz},
        "version": office.version,
        "now": iso_local(now, tz),
        "suspended": suspension_view(s, office, now),
        "services": services,
        "desks": desks,
        "devices": devices,
        "accuracy": accuracy(_samples(s, office, office_day(now, tz))),
        "alarms": {"services": sum(sv["over_target"] for sv in services), "unserved": len(nobody),
                   "devices": sum(k["alarm"] for k in devices)},
        "alerts": alerts_view(s, office, words=True),
        "satisfaction": day_satisfaction(s, office.id, office_day(now, tz)),  # today's visits' ratings
        "appeals": appeals_today(s, office.id, office_day(now, tz)),
    }


def read_hall(db: Database, now: datetime, actor: Actor, office_code: str, probe: Probe | None = None
              ) -> dict[str, Any]:
    """The one entry of the page and the API: managers of the office only (404 unknown, 403 foreign)."""
    authorize(actor, Action.HALL_READ)
    with db.read() as s:
        office = office_by_code(s, office_code)
        actor.require_office(office.id)
        return hall_view(s, office, now, probe=probe)


def cached_probe(probe: Probe, ttl_s: float = PROBE_TTL_S) -> TtlCache[str, Any]:
    """A printer probe that asks each printer at most once per ``ttl_s`` (per process)."""
    return TtlCache(probe, ttl_s)

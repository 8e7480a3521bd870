"""What the report adds beside its original figures (decision 041): staff utilisation, figures by priority
category and the comparison with the period before. Kept apart from ``service`` and ``figures`` so the
original arithmetic stays as decision 015 describes it.

- *Utilisation* per staff member, from the desk event log and the ticket event log of the period:
  ``open`` = time at a desk they opened or resumed, until it was paused or closed; ``paused`` = from a
  pause (by its reason) to the resume, close or reopening; ``serving`` = from calling a visitor to the
  end of that visit (finished, no-show, transfer or cancel), at a desk, by the one who called;
  ``idle`` = open − serving (never below zero); ``utilisation_pct`` = serving / open. Intervals are
  clipped to the period and never run past now.
- *By priority*: the report's own per-entry arithmetic (``figures.entry_facts``), grouped by the ticket's
  priority: ``none`` (no category), ``appointment`` (a booked visitor) or the category's code.
- Both are given for periods up to ``MAX_DETAIL_DAYS`` (a quarter): they replay the event logs, which
  the roll-ups do not summarise, and a year's replay takes minutes (decision 015); longer: null.
- *Previous*: a whole calendar month is compared with the same month a year before; any other period
  with the period of the same length just before it (a week with the week before). Figures: totals,
  mean wait and visit, share within target; ``delta`` = this period − the previous one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reception.accounts.models import User
from reception.offices.models import Office
from reception.queue.models import DeskEvent, Ticket, TicketEvent
from reception.reports.figures import (
    Counts,
    EntryRow,
    EventRow,
    Interval,
    entry_facts,
    group_row,
)

VISIT_ENDS = ("finished", "no_show", "transferred", "cancelled")
# Utilisation and the priority figures replay the event logs (the roll-ups of decision 015 do not carry
# them): for periods up to a quarter; a longer report has them null.
MAX_DETAIL_DAYS = 92
NO_REASON = ""


def _r(seconds: float) -> float:
    return round(seconds / 60 + 0.0, 1)


# --- utilisation ---------------------------------------------------------------------------------


def desk_time(events: Iterable[tuple[int, str, datetime, int | None, str | None]], start: datetime, end: datetime,
              before: Mapping[int, tuple[str, int | None, str | None]] | None = None
              ) -> dict[int, dict[str, Any]]:
    """Per user, seconds ``open`` and ``paused`` by reason, from desk events (desk, kind, at, user, reason),
    oldest first, within [start, end). ``before``: each desk's last event before ``start``."""
    out: dict[int, dict[str, Any]] = defaultdict(lambda: {"open": 0.0, "paused": defaultdict(float)})
    state: dict[int, tuple[str, datetime, int | None, str | None]] = {}
    for desk, (kind, user, reason) in (before or {}).items():
        if kind in ("opened", "resumed"):
            state[desk] = ("open", start, user, None)
        elif kind == "paused":
            state[desk] = ("paused", start, user, reason)

    def close(desk: int, at: datetime) -> None:
        current = state.pop(desk, None)
        if current is None:
            return
        what, since, user, reason = current
        seconds = max((min(at, end) - max(since, start)).total_seconds(), 0.0)
        if user is None:
            return
        if what == "open":
            out[user]["open"] += seconds
        else:
            out[user]["paused"][reason or NO_REASON] += seconds

    for desk, kind, at, user, reason in events:
        previous_user = state[desk][2] if desk in state else None
        close(desk, at)
        if kind in ("opened", "resumed"):
            state[desk] = ("open", at, user if user is not None else previous_user, None)
        elif kind == "paused":
            state[desk] = ("paused", at, user if user is not None else previous_user, reason)
    for desk in list(state):
        close(desk, end)
    return out


def serving_time(events: Iterable[tuple[int, str, datetime, int | None]], start: datetime, end: datetime
                 ) -> dict[int, float]:
    """Per user, seconds from calling a visitor to the end of the visit, from ticket events
    (ticket, kind, at, actor user), grouped by ticket and oldest first; clipped to [start, end)."""
    out: dict[int, float] = defaultdict(float)
    called: dict[int, tuple[datetime, int | None]] = {}
    for ticket, kind, at, user in events:
        if kind == "called":
            called.setdefault(ticket, (at, user))  # a recall keeps the visit's first call
        elif kind in VISIT_ENDS and ticket in called:
            since, caller = called.pop(ticket)
            if caller is not None:
                out[caller] += max((min(at, end) - max(since, start)).total_seconds(), 0.0)
        elif kind == "reactivated":
            called.pop(ticket, None)
    for since, caller in called.values():  # still at the desk
        if caller is not None:
            out[caller] += max((end - max(since, start)).total_seconds(), 0.0)
    return out


def office_utilisation(s: Session, office_id: int, start: datetime, end: datetime) -> dict[int, dict[str, Any]]:
    """Per user id: open, serving and paused (by reason) seconds in [start, end) at the office's desks."""
    newest = (select(DeskEvent.desk_id, func.max(DeskEvent.id).label("id"))
              .where(DeskEvent.office_id == office_id, DeskEvent.at < start).group_by(DeskEvent.desk_id).subquery())
    last_before = {desk: (kind, user, reason) for desk, kind, user, reason in s.execute(
        select(DeskEvent.desk_id, DeskEvent.kind, DeskEvent.user_id, DeskEvent.reason)
        .join(newest, DeskEvent.id == newest.c.id))}
    desk_rows = s.execute(select(DeskEvent.desk_id, DeskEvent.kind, DeskEvent.at, DeskEvent.user_id, DeskEvent.reason)
                          .where(DeskEvent.office_id == office_id, DeskEvent.at >= start, DeskEvent.at < end)
                          .order_by(DeskEvent.at, DeskEvent.id)).all()
    per_user = desk_time([tuple(r) for r in desk_rows], start, end, last_before)  # type: ignore[misc]
    ticket_rows = s.execute(select(TicketEvent.ticket_id, TicketEvent.kind, TicketEvent.at, TicketEvent.actor_user_id)
                            .where(TicketEvent.office_id == office_id, TicketEvent.at >= start - timedelta(days=1),
                                   TicketEvent.at < end + timedelta(days=1),
                                   TicketEvent.kind.in_(("called", "reactivated", *VISIT_ENDS)))
                            .order_by(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.id)).all()
    serving = serving_time([tuple(r) for r in ticket_rows], start, end)  # type: ignore[misc]
    out: dict[int, dict[str, Any]] = {}
    for user in set(per_user) | set(serving):
        row = per_user.get(user, {"open": 0.0, "paused": {}})
        out[user] = {"open": row["open"], "serving": serving.get(user, 0.0), "paused": dict(row["paused"])}
    return out


def utilisation_rows(per_user: dict[int, dict[str, Any]], names: dict[int, tuple[str, str]]) -> list[dict[str, Any]]:
    """The report's rows, by username: minutes open, serving, idle while open, paused (total and by reason)."""
    rows = []
    for user, v in per_user.items():
        username, name = names.get(user, (str(user), str(user)))
        idle = max(v["open"] - v["serving"], 0.0)
        rows.append({"user": username, "name": name, "open_min": _r(v["open"]), "serving_min": _r(v["serving"]),
                     "idle_min": _r(idle), "paused_min": _r(sum(v["paused"].values())),
                     "paused_by_reason": {reason: _r(sec) for reason, sec in sorted(v["paused"].items())},
                     "utilisation_pct": round(100 * min(v["serving"] / v["open"], 1.0), 1) if v["open"] else None})
    return sorted(rows, key=lambda r: r["user"])


def user_names(s: Session, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    return {u.id: (u.username, u.full_name or u.username)
            for u in s.scalars(select(User).where(User.id.in_(list(ids))))}


# --- by priority ---------------------------------------------------------------------------------


def priority_key(priority: str | None) -> str:
    return priority or "none"


def priority_counts(s: Session, office: Office, day_from: date, day_to: date, suspended: list[Interval],
                    targets: dict[int, float]) -> dict[str, Counts]:
    """Per priority key, the report's counts of the office's entries issued in [day_from, day_to]."""
    tickets = s.execute(select(Ticket.id, Ticket.service_id, Ticket.day, Ticket.priority)
                        .where(Ticket.office_id == office.id, Ticket.day >= day_from, Ticket.day <= day_to)).all()
    ids = [t[0] for t in tickets]
    events: dict[int, list[EventRow]] = defaultdict(list)
    for i in range(0, len(ids), 1000):
        for tid, kind, at, desk_id, user_id, data in s.execute(
                select(TicketEvent.ticket_id, TicketEvent.kind, TicketEvent.at, TicketEvent.desk_id,
                       TicketEvent.actor_user_id, TicketEvent.data)
                .where(TicketEvent.ticket_id.in_(ids[i:i + 1000]))
                .order_by(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.id)):
            events[tid].append(EventRow(tid, kind, at, desk_id, user_id, data or {}))
    tz = ZoneInfo(office.timezone)
    out: dict[str, Counts] = {}
    for tid, service_id, day, priority in tickets:
        facts = entry_facts(EntryRow(tid, office.id, service_id, day), events.get(tid, ()), tz,
                            target_min=targets.get(service_id), suspended=suspended)
        out.setdefault(priority_key(priority), Counts()).add_facts(facts)
    return out


def priority_rows(counts: dict[str, Counts], names: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    order = {"none": (0, ""), "appointment": (1, "")}
    rows = []
    for key in sorted(counts, key=lambda k: order.get(k, (2, k))):
        name_uk, name_en = names.get(key, (key, key))
        rows.append({"priority": key, "name_uk": name_uk, "name_en": name_en} | group_row(counts[key]))
    return rows


# --- the period before ---------------------------------------------------------------------------


def _whole_month(day_from: date, day_to: date) -> bool:
    after = day_to + timedelta(days=1)
    return day_from.day == 1 and after.day == 1 and (after.month - day_from.month) % 12 == 1 \
        and (after - day_from).days <= 31


def previous_period(day_from: date, day_to: date) -> tuple[date, date]:
    """The same month a year before (a whole calendar month), else the same length just before."""
    if _whole_month(day_from, day_to):
        start = day_from.replace(year=day_from.year - 1)
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return start, end
    length = (day_to - day_from).days + 1
    return day_from - timedelta(days=length), day_from - timedelta(days=1)


COMPARED = ("issued", "served", "no_show", "cancelled", "transferred")


def comparison(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    """The previous period's headline figures and this period's change against them."""
    def headline(report: dict[str, Any]) -> dict[str, Any]:
        return {**{k: report["totals"][k] for k in COMPARED}, "wait_mean_min": report["wait_min"]["mean"],
                "service_mean_min": report["service_min"]["mean"], "within_target_pct": report["within_target_pct"]}

    now, before = headline(current), headline(previous)
    delta = {k: (None if now[k] is None or before[k] is None else round(now[k] - before[k], 1)
                 if isinstance(now[k], float) or isinstance(before[k], float) else now[k] - before[k])
             for k in now}
    return {"from": previous["from"], "to": previous["to"], **before, "delta": delta}


def months_of(day_from: date, day_to: date) -> list[tuple[date, date]]:
    """The period cut at calendar months: each piece is read on its own (bounded memory for a year)."""
    out = []
    first = day_from
    while first <= day_to:
        after = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        last = min(after - timedelta(days=1), day_to)
        out.append((first, last))
        first = last + timedelta(days=1)
    return out


def additions(offices: list[Office], day_from: date, day_to: date, now: datetime,
              read: Callable[[], Any], span: Callable[[Office, date, date], tuple[datetime, datetime]],
              suspended: Callable[[Any, Office, datetime, datetime], list[Interval]],
              targets: Callable[[Any, int], dict[int, float]], priority_names: dict[str, tuple[str, str]]
              ) -> dict[str, Any]:
    """``utilisation`` and ``by_priority`` over the offices given (``read()`` opens a read session), a
    calendar month at a time."""
    per_user: dict[int, dict[str, Any]] = {}
    by_priority: dict[str, Counts] = {}
    for office in offices:
        for first, last in months_of(day_from, day_to):
            start, end = span(office, first, last)
            if start >= now:
                break
            with read() as s:
                for user, v in office_utilisation(s, office.id, start, min(end, now)).items():
                    mine = per_user.setdefault(user, {"open": 0.0, "serving": 0.0, "paused": {}})
                    mine["open"] += v["open"]
                    mine["serving"] += v["serving"]
                    for reason, sec in v["paused"].items():
                        mine["paused"][reason] = mine["paused"].get(reason, 0.0) + sec
                counts = priority_counts(s, office, first, last, suspended(s, office, start, end),
                                         targets(s, office.id))
            for key, c in counts.items():
                by_priority.setdefault(key, Counts()).add(c)
    with read() as s:
        names = user_names(s, per_user)
    return {"utilisation": utilisation_rows(per_user, names), "by_priority": priority_rows(by_priority, priority_names)}

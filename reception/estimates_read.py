"""The wait predictors' input, read from the database at issue time in a few small queries.

Usage (e.g. in the kiosk's issue view, after the ticket is committed)::

    from reception.estimates import product_estimate
    from reception.estimates_read import queue_snapshot

    with db.read() as session:
        estimate = product_estimate(queue_snapshot(session, ticket_id, clock.now()))
    # estimate.minutes, estimate.low, estimate.high  (show e.g. "15–25 хв")

The *pool* of a ticket is the set of desks that serve its service: under the weighted-wait
rule those desks share their time among all their services, so the visitors of those
services who came earlier are ahead too (in part, when other desks also serve them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .domain import Status
from .estimates import GAP_WINDOW, QueueSnapshot, minutes_between, people_ahead
from .models import Desk, DeskService, Ticket
from .policy import Candidate
from .readmodels import candidate, service_minutes, waiting_candidates


def busy_gaps(calls: Sequence[tuple[datetime, datetime]]) -> list[float]:
    """Minutes between consecutive calls (called_at, queued_at), oldest first, kept only where the
    later visitor was already waiting at the earlier call — so the gap is the desks' pace, not a
    lull with nobody to call."""
    gaps = []
    for (prev_called, _), (called, queued) in zip(calls, calls[1:], strict=False):
        if queued <= prev_called:
            gaps.append(minutes_between(prev_called, called))
    return gaps


def _klass(t: Candidate) -> int:
    return 0 if t.priority is not None else 1


def pool_ahead(me: Candidate, waiting: Sequence[Candidate], share: dict[int, float]) -> float:
    """Visitors of the pool's services called before ``me``, each counted by the share of its
    service's open desks that are in the pool (the rest go to desks outside it)."""
    mine = (_klass(me), me.queued_at, me.id)
    return sum(share.get(t.service_id, 0.0) for t in waiting
               if t.id != me.id and not t.is_targeted and (_klass(t), t.queued_at, t.id) < mine)


def _recent_calls(session: Session, ticket: Ticket, **where: object) -> list:  # type: ignore[type-arg]
    query = select(Ticket.called_at, Ticket.queued_at, Ticket.desk_id, Ticket.priority).where(
        Ticket.office_id == ticket.office_id, Ticket.day == ticket.day, Ticket.called_at.is_not(None))
    if "service_id" in where:
        query = query.where(Ticket.service_id == where["service_id"])
    if "desk_ids" in where:
        query = query.where(Ticket.desk_id.in_(where["desk_ids"]))  # type: ignore[arg-type]
    rows = session.execute(query.order_by(Ticket.called_at.desc(), Ticket.id.desc()).limit(GAP_WINDOW + 1)).all()
    return rows[::-1]


def queue_snapshot(session: Session, ticket_id: int, now: datetime) -> QueueSnapshot:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise LookupError(ticket_id)
    me = candidate(ticket)
    desk_status = dict(session.execute(
        select(Desk.id, Desk.status).join(DeskService, DeskService.desk_id == Desk.id)
        .where(DeskService.service_id == ticket.service_id)).all())
    links = session.execute(  # every (desk, service, status) of the pool's desks and of the services they serve
        select(DeskService.desk_id, DeskService.service_id, Desk.status).join(Desk, Desk.id == DeskService.desk_id)
        .where(DeskService.service_id.in_(
            select(DeskService.service_id).where(DeskService.desk_id.in_(list(desk_status)))))
    ).all()
    open_desks_of: dict[int, set[int]] = defaultdict(set)
    for desk_id, service_id, status in links:
        if status == "open":
            open_desks_of[service_id].add(desk_id)
    pool_open = {d for d, status in desk_status.items() if status == "open"}
    share = {sid: len(desks & pool_open) / len(desks) for sid, desks in open_desks_of.items()}
    share[ticket.service_id] = 1.0
    waiting = waiting_candidates(session, Ticket.office_id == ticket.office_id, Ticket.service_id.in_(list(share)))
    busy = set(session.scalars(select(Ticket.desk_id).where(
        Ticket.desk_id.in_(list(pool_open)), Ticket.status.in_([Status.CALLED, Status.SERVING])))) if pool_open else set()
    own = _recent_calls(session, ticket, service_id=ticket.service_id)
    pool = _recent_calls(session, ticket, desk_ids=list(desk_status)) if desk_status else []
    cycles = session.execute(  # how long the pool's desks were taken by each of their last visitors
        select(Ticket.called_at, Ticket.finished_at)
        .where(Ticket.office_id == ticket.office_id, Ticket.day == ticket.day,
               Ticket.desk_id.in_(list(desk_status)), Ticket.status.in_([Status.DONE, Status.NO_SHOW]))
        .order_by(Ticket.finished_at.desc(), Ticket.id.desc()).limit(GAP_WINDOW)
    ).all()[::-1] if desk_status else []
    same_class = [w for w in waiting if w.id != me.id and not w.is_targeted and _klass(w) == _klass(me)]
    head = min((w.queued_at for w in same_class if w.service_id == me.service_id), default=None)
    last = own[-1] if own else None
    return QueueSnapshot(
        ahead=people_ahead(me, [w for w in waiting if w.service_id == me.service_id]),
        is_priority=me.priority is not None,
        desks_open=len(pool_open),
        desks_total=len(desk_status),
        desks_idle=len(pool_open - busy),
        desks_paused=sum(1 for status in desk_status.values() if status == "paused"),
        service_min=service_minutes(session, ticket.service),
        call_gaps_min=tuple(busy_gaps([(r.called_at, r.queued_at) for r in own])),
        desks_recent=len({r.desk_id for r in own if r.desk_id is not None}),
        pool_ahead=pool_ahead(me, waiting, share),
        pool_gaps_min=tuple(busy_gaps([(r.called_at, r.queued_at) for r in pool])),
        pool_desks_recent=len({r.desk_id for r in pool if r.desk_id is not None}),
        pool_visit_min=tuple(minutes_between(c, f) for c, f in cycles if c and f),
        queue_len=sum(1 for w in same_class if w.service_id == me.service_id),
        last_wait_min=minutes_between(last.queued_at, last.called_at) if last else None,
        head_wait_min=minutes_between(head, now) if head else None,
    )

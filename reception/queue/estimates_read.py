"""The wait predictors' input, read from the database at issue time in a few small queries.

Usage (e.g. in the kiosk's issue view, after the ticket is committed)::

    from reception.queue.estimates import product_estimate
    from reception.queue.estimates_read import queue_snapshot

    with db.read() as session:
        estimate = product_estimate(queue_snapshot(session, ticket_id, clock.now()))
    # estimate.minutes, estimate.low, estimate.high  (show e.g. "15–25 хв")

The *pool* of a ticket is the set of desks that serve its service: under the weighted-wait
rule those desks share their time among all their services, so the visitors of those
services who came earlier are ahead too (in part, when other desks also serve them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import BindParameter, Connection, Integer, Row, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from reception.offices.models import Desk, DeskService, Service
from reception.queue.estimates import (
    GAP_WINDOW,
    QueueSnapshot,
    minutes_between,
    product_estimate,
    served_now,
    wait_range,
    wait_words,
)
from reception.queue.models import Ticket
from reception.queue.policy import APPOINTMENT
from reception.queue.reads import service_minutes
from reception.queue.states import Status


def busy_gaps(calls: Sequence[tuple[datetime, datetime]]) -> list[float]:
    """Minutes between consecutive calls (called_at, queued_at), oldest first, kept only where the
    later visitor was already waiting at the earlier call — so the gap is the desks' pace, not a
    lull with nobody to call."""
    gaps = []
    for (prev_called, _), (called, queued) in zip(calls, calls[1:], strict=False):
        if queued <= prev_called:
            gaps.append(minutes_between(prev_called, called))
    return gaps


def pool_ahead(ahead_by_service: Mapping[int, int], share: Mapping[int, float]) -> float:
    """Visitors of the pool's services called before this one, each counted by the share of its
    service's open desks that are in the pool (the rest go to desks outside it)."""
    return sum(share.get(service_id, 0.0) * ahead for service_id, ahead in ahead_by_service.items())


# The snapshot's queries, built once: each request only binds its values, so no statement is
# constructed, coerced or cache-keyed again, and they run on the session's connection (Core rows,
# no ORM result machinery). This is the kiosk's hot path (decision 026).
_T, _D, _DS = Ticket.__table__.c, Desk.__table__.c, DeskService.__table__.c
_AT_DESK = (Status.CALLED, Status.SERVING)
_LINKS = (select(_DS.desk_id, _DS.service_id, _D.status).select_from(DeskService.__table__.join(Desk.__table__))
          .where(_D.office_id == bindparam("office")))
# Who is called before a waiting ticket ("me"), counted per service by the database instead of
# Python reading every waiting ticket of the pool per kiosk ticket and per phone poll (decision 026):
# priority and checked-in booked visitors before regular ones; within a class, earlier queue time,
# then the lower id. Tickets reserved for a desk or person are in no line. Per service: how many are
# ahead, how many wait in my class (my line) and since when the head of my line has waited.
_REGULAR = case((_T.priority.is_not(None), 0), else_=1)
_MY_CLASS: BindParameter[int] = bindparam("my_class", type_=Integer())
_MY_QUEUED = bindparam("my_queued", type_=_T.queued_at.type)
_IS_AHEAD = or_(_REGULAR < _MY_CLASS, and_(_REGULAR == _MY_CLASS, or_(
    _T.queued_at < _MY_QUEUED, and_(_T.queued_at == _MY_QUEUED, _T.id < bindparam("me")))))
_LINES = (select(_T.service_id, func.sum(case((_IS_AHEAD, 1), else_=0)),
                 func.sum(case((_REGULAR == _MY_CLASS, 1), else_=0)),
                 func.min(case((_REGULAR == _MY_CLASS, _T.queued_at))))
          .where(_T.status == Status.WAITING, _T.office_id == bindparam("office"),
                 _T.service_id.in_(bindparam("services")), _T.id != bindparam("me"),
                 _T.target_desk_id.is_(None), _T.target_user_id.is_(None))
          .group_by(_T.service_id))
_TODAY = (_T.office_id == bindparam("office"), _T.day == bindparam("day"))
_CALLS = select(_T.called_at, _T.queued_at, _T.desk_id).order_by(_T.called_at.desc(), _T.id.desc()).limit(GAP_WINDOW + 1)
_OWN_CALLS = _CALLS.where(*_TODAY, _T.called_at.is_not(None), _T.service_id == bindparam("service"))
_POOL_CALLS = _CALLS.where(*_TODAY, _T.called_at.is_not(None), _T.desk_id.in_(bindparam("desks")))
_BUSY = select(_T.desk_id, _T.called_at).where(_T.desk_id.in_(bindparam("desks")), _T.status.in_(_AT_DESK))
_VISITS = (select(_T.called_at, _T.finished_at)
           .where(*_TODAY, _T.desk_id.in_(bindparam("desks")), _T.status.in_((Status.DONE, Status.NO_SHOW)))
           .order_by(_T.finished_at.desc(), _T.id.desc()).limit(GAP_WINDOW))


def _recent_calls(conn: Connection, query: Any, params: dict[str, Any]) -> list[Row[Any]]:
    """Today's last calls of ``query``, oldest first: (called_at, queued_at, desk_id)."""
    return list(conn.execute(query, params).all()[::-1])


def pool_shares(links: Sequence[tuple[int, int, str]], service_id: int) -> tuple[dict[int, str], dict[int, float]]:
    """The pool's desks with their status, and for every service they serve the share of that
    service's open desks that are in the pool (the own service counts whole); from the office's
    (desk, service, desk status) links."""
    desk_status = {desk_id: status for desk_id, sid, status in links if sid == service_id}
    pool_services = {sid for desk_id, sid, _ in links if desk_id in desk_status}
    open_desks_of: dict[int, set[int]] = defaultdict(set)
    for desk_id, sid, status in links:
        if status == "open" and sid in pool_services:
            open_desks_of[sid].add(desk_id)
    pool_open = {d for d, status in desk_status.items() if status == "open"}
    share = {sid: len(desks & pool_open) / len(desks) for sid, desks in open_desks_of.items()}
    share[service_id] = 1.0
    return desk_status, share


def queue_snapshot(session: Session, ticket_id: int, now: datetime) -> QueueSnapshot:
    """Everything the predictors take, for a ticket that has just been issued (in the issuing
    transaction or after it: the ticket is flushed either way)."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise LookupError(ticket_id)
    session.flush()  # the Core reads below do not autoflush
    return _snapshot(session, ticket.service, ticket.day, now, me=ticket.id,
                     my_class=0 if ticket.priority is not None else 1, my_queued=ticket.queued_at)


# The id of a ticket not issued yet: above every real one, so a ticket queued at the same instant is ahead.
NOT_ISSUED = 2**31 - 1


def walk_in_snapshot(session: Session, service: Service, day: date, now: datetime) -> QueueSnapshot:
    """The snapshot of the regular ticket of ``service`` the kiosk would issue at ``now`` (queued now,
    after every ticket there is): what the menu promises is what that ticket would be told."""
    return _snapshot(session, service, day, now, me=NOT_ISSUED, my_class=1, my_queued=now)


def _snapshot(session: Session, service: Service, day: date, now: datetime, *, me: int, my_class: int,
              my_queued: datetime) -> QueueSnapshot:
    conn = session.connection()
    office_id, service_id = service.office_id, service.id
    today = {"office": office_id, "day": day}
    desk_status, share = pool_shares(conn.execute(_LINKS, {"office": office_id}).all(), service_id)
    pool_desks = list(desk_status)
    pool_open = {d for d, status in desk_status.items() if status == "open"}
    lines = conn.execute(_LINES, {"office": office_id, "services": list(share), "me": me,
                                  "my_class": my_class, "my_queued": my_queued}).all()
    ahead = {sid: int(n or 0) for sid, n, _line, _head in lines}
    line_len, head = next(((int(n or 0), since) for sid, _n, n, since in lines if sid == service_id), (0, None))
    own = _recent_calls(conn, _OWN_CALLS, today | {"service": service_id})
    pool = _recent_calls(conn, _POOL_CALLS, today | {"desks": pool_desks}) if pool_desks else []
    last = own[-1] if own else None
    busy = {desk_id: called for desk_id, called in conn.execute(_BUSY, {"desks": list(pool_open)})
            if desk_id is not None and called is not None} if pool_open else {}
    visits = conn.execute(_VISITS, today | {"desks": pool_desks}).all() if pool_desks else []
    return QueueSnapshot(
        ahead=ahead.get(service_id, 0),
        is_priority=my_class == 0,
        desks_open=len(pool_open),
        desks_total=len(desk_status),
        desks_idle=len(pool_open - set(busy)),
        busy_elapsed_min=tuple(sorted(minutes_between(called, now) for called in busy.values())),
        desks_paused=sum(1 for status in desk_status.values() if status == "paused"),
        service_min=service_minutes(session, service),
        call_gaps_min=tuple(busy_gaps([(r.called_at, r.queued_at) for r in own])),
        desks_recent=len({r.desk_id for r in own if r.desk_id is not None}),
        pool_ahead=pool_ahead(ahead, share),
        pool_gaps_min=tuple(busy_gaps([(r.called_at, r.queued_at) for r in pool])),
        pool_desks_recent=len({r.desk_id for r in pool if r.desk_id is not None}),
        # Call to finish of the pool desks' last visitors today, oldest first: how long each took a desk.
        pool_visit_min=tuple(minutes_between(c, f) for c, f in visits[::-1] if c and f),
        queue_len=line_len,
        last_wait_min=minutes_between(last.queued_at, last.called_at) if last else None,
        head_wait_min=minutes_between(head, now) if head else None,
        served=served_now(desk_status.values()),
    )


@dataclass(frozen=True)
class WaitView:
    """What a visitor is told of their wait: place, the estimate's point and range, in words."""

    position: int | None = None
    eta_min: int | None = None
    eta_range_min: tuple[int, int] | None = None
    served_now: bool = True  # False: nobody serves the service now, so no estimate (decision 034)

    def words(self, lang: str) -> str | None:
        return wait_words(*self.eta_range_min, lang) if self.eta_range_min else None


def wait_view(session: Session, ticket: Ticket, now: datetime) -> WaitView:
    """The product's estimate for a waiting ticket (decision 016); nothing for a booked visitor, who
    is told their slot and room instead, nor for one already called; only the place in the queue
    while nobody serves the service (decision 034)."""
    if ticket.status != Status.WAITING or ticket.priority == APPOINTMENT:
        return WaitView()
    return told(queue_snapshot(session, ticket.id, now))


def told(snapshot: QueueSnapshot) -> WaitView:
    """What a snapshot's visitor is told: the product's estimate, or only the place while nobody serves."""
    if not snapshot.served:  # a figure would be a promise nobody keeps
        return WaitView(snapshot.ahead, served_now=False)
    estimate = product_estimate(snapshot)
    return WaitView(snapshot.ahead, round(estimate.minutes), wait_range(estimate))

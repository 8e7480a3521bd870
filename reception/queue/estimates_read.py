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
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import (
    BindParameter,
    Engine,
    Integer,
    Row,
    Select,
    and_,
    bindparam,
    case,
    cast,
    event,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from reception.offices.models import Desk, DeskService, Service
from reception.queue.estimates import (
    GAP_WINDOW,
    QueueSnapshot,
    minutes_between,
    product_estimate,
    rolling_service_minutes,
    served_now,
    wait_range,
    wait_words,
)
from reception.queue.models import Ticket
from reception.queue.policy import APPOINTMENT
from reception.queue.reads import SERVICE_VISITS
from reception.queue.rows import TicketRow
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


# The snapshot's input, in ONE statement built once (decision 036; it was seven reads, decision 026):
# each part below is a SELECT of the same eight columns, tagged with its kind, joined by UNION ALL, so a
# request binds six values and the database answers everything in one round trip. Rows of a part come
# numbered in its own order (``seq``), and the whole is sorted by part and number.
# Tickets under a one-letter name: the text stays short (see ``_sql``).
_T, _D, _DS = Ticket.__table__.alias("t").c, Desk.__table__.c, DeskService.__table__.c


def _sql(value: int | str) -> Any:
    """A constant of the code written into the statement's text, not bound: psycopg's parsed-query cache
    keeps only texts under 4 kB and every bound value is converted on each request (decision 026)."""
    return literal_column(str(value) if isinstance(value, int) else f"'{value}'")


_AT_DESK = (Status.CALLED, Status.SERVING)
_OFFICE: BindParameter[Any] = bindparam("office")
_DAY: BindParameter[Any] = bindparam("day")
_SERVICE: BindParameter[Any] = bindparam("service")
# The pool: the desks that serve my service (and those of them open now).
_POOL = select(_DS.desk_id).where(_DS.service_id == _SERVICE)
_POOL_OPEN = (select(_DS.desk_id).select_from(DeskService.__table__.join(Desk.__table__))
              .where(_DS.service_id == _SERVICE, _D.status == _sql("open")))
# Who is called before a waiting ticket ("me"), counted per service by the database instead of
# Python reading every waiting ticket of the pool per kiosk ticket and per phone poll (decision 026):
# priority and checked-in booked visitors before regular ones; within a class, earlier queue time,
# then the lower id. Tickets reserved for a desk or person are in no line. Per service (of the whole
# office: a service outside the pool weighs 0 in ``pool_ahead``): how many are ahead, how many wait in
# my class (my line) and since when the head of my line has waited.
_REGULAR = case((_T.priority.is_not(None), _sql(0)), else_=_sql(1))
_MY_CLASS: BindParameter[int] = bindparam("my_class", type_=Integer())
_MY_QUEUED = bindparam("my_queued", type_=_T.queued_at.type)
_IS_AHEAD = or_(_REGULAR < _MY_CLASS, and_(_REGULAR == _MY_CLASS, or_(
    _T.queued_at < _MY_QUEUED, and_(_T.queued_at == _MY_QUEUED, _T.id < bindparam("me")))))
_TODAY = (_T.office_id == _OFFICE, _T.day == _DAY)
# Typed NULLs in the first part only: PostgreSQL types a UNION's column by its typed values (all bare
# NULLs would make it ``text``), and the text stays short (see ``_sql``).
_NO_INT, _NO_TIME = cast(null(), Integer()), cast(null(), _T.queued_at.type)
LINK, LINE, OWN_CALL, POOL_CALL, BUSY, VISIT, SERVICE_VISIT = range(7)


def _part(kind: int, *, seq: Any = None, n1: Any = None, n2: Any = None, n3: Any = None,
          t1: Any = None, t2: Any = None, text: Any = None) -> Select[Any]:
    return select(literal_column(str(kind), Integer()).label("kind"),
                  (seq if seq is not None else literal_column("0", Integer())).label("seq"),
                  *((null() if v is None else v).label(name) for name, v in (
                      ("n1", n1), ("n2", n2), ("n3", n3), ("t1", t1), ("t2", t2), ("text", text))))


def _newest(kind: int, query: Select[Any], order: tuple[Any, ...], limit: int, **columns: str) -> Select[Any]:
    """A part that is the first ``limit`` rows of ``query`` in ``order`` (newest first), numbered in it."""
    first = (query.add_columns(func.row_number().over(order_by=order).label("seq"))
             .order_by(*order).limit(_sql(limit)).subquery())
    return _part(kind, seq=first.c.seq, **{slot: first.c[name] for slot, name in columns.items()})


_CALLS = select(_T.called_at, _T.queued_at, _T.desk_id).where(*_TODAY, _T.called_at.is_not(None))
_CALL_ORDER = (_T.called_at.desc(), _T.id.desc())
_CALL_COLUMNS = {"n1": "desk_id", "t1": "called_at", "t2": "queued_at"}
# The lines: per service, who is ahead of me, how many wait in my class, since when its head waits. The
# one part an issued ticket changes; the others change only with a call, a visit's end or a desk's state.
_LINES = (_part(LINE, seq=_T.service_id, n1=_T.service_id, n2=func.sum(case((_IS_AHEAD, _sql(1)), else_=_sql(0))),
                n3=func.sum(case((_REGULAR == _MY_CLASS, _sql(1)), else_=_sql(0))),
                t1=func.min(case((_REGULAR == _MY_CLASS, _T.queued_at))), t2=_NO_TIME)
          .where(_T.status == _sql(Status.WAITING), _T.office_id == _OFFICE, _T.id != bindparam("me"),
                 _T.target_desk_id.is_(None), _T.target_user_id.is_(None))
          .group_by(_T.service_id))
_QUEUE = union_all(
    # (desk, service, desk status) of the office's links: the pool and the shares of its services
    _part(LINK, n1=_DS.desk_id, n2=_DS.service_id, n3=_NO_INT, t1=_NO_TIME, t2=_NO_TIME, text=_D.status)
    .select_from(DeskService.__table__.join(Desk.__table__)).where(_D.office_id == _OFFICE),
    _LINES,
    # today's last calls of my service, and of the pool's desks: the pace of the calls
    _newest(OWN_CALL, _CALLS.where(_T.service_id == _SERVICE), _CALL_ORDER, GAP_WINDOW + 1, **_CALL_COLUMNS),
    _newest(POOL_CALL, _CALLS.where(_T.desk_id.in_(_POOL)), _CALL_ORDER, GAP_WINDOW + 1, **_CALL_COLUMNS),
    # who is at an open pool desk now, since when
    _part(BUSY, n1=_T.desk_id, t1=_T.called_at).where(_T.office_id == _OFFICE, _T.desk_id.in_(_POOL_OPEN),
                                                      _T.status.in_([_sql(s) for s in _AT_DESK])),
    # call to finish of the pool desks' last visitors today
    _newest(VISIT, select(_T.called_at, _T.finished_at)
            .where(*_TODAY, _T.desk_id.in_(_POOL), _T.status.in_([_sql(Status.DONE), _sql(Status.NO_SHOW)])),
            (_T.finished_at.desc(), _T.id.desc()), GAP_WINDOW, t1="called_at", t2="finished_at"),
    # the service's last visits, any day: its rolling service time (as reads.service_minutes reads it)
    _newest(SERVICE_VISIT, select(_T.started_at, _T.finished_at)
            .where(_T.service_id == _SERVICE, _T.status == _sql(Status.DONE), _T.started_at.is_not(None)),
            (_T.finished_at.desc(), _T.id.desc()), SERVICE_VISITS, t1="started_at", t2="finished_at"),
).order_by(literal_column("kind"), literal_column("seq"))


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
    transaction or after it: the ticket is flushed either way), from one statement."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise LookupError(ticket_id)
    return _ticket_snapshot(session, ticket, now)


def _ticket_snapshot(session: Session, ticket: Ticket | TicketRow, now: datetime,
                     issued_at: IssuedAt | None = None) -> QueueSnapshot:
    session.flush()  # the Core read below does not autoflush
    return _snapshot(session, ticket.office_id, ticket.service_id, ticket.service.default_service_min, ticket.day,
                     now, me=ticket.id, my_class=0 if ticket.priority is not None else 1, my_queued=ticket.queued_at,
                     issued_at=issued_at)


# The id of a ticket not issued yet: above every real one, so a ticket queued at the same instant is ahead.
NOT_ISSUED = 2**31 - 1


def walk_in_snapshot(session: Session, service: Service, day: date, now: datetime) -> QueueSnapshot:
    """The snapshot of the regular ticket of ``service`` the kiosk would issue at ``now`` (queued now,
    after every ticket there is): what the menu promises is what that ticket would be told."""
    return _snapshot(session, service.office_id, service.id, service.default_service_min, day, now, me=NOT_ISSUED,
                     my_class=1, my_queued=now)


@dataclass(frozen=True)
class IssuedAt:
    """Where an issuing transaction stands: it advanced the office's live ``version`` (and holds it until
    it ends) and checked the configuration at ``config_version``; its only change is the new ticket."""

    version: int
    config_version: int


@dataclass(frozen=True)
class _Pace:
    """The parts of an office's snapshot for one service other than the lines, as a committed issuing
    transaction read them at the office's live ``version``."""

    day: date
    config_version: int
    version: int
    parts: Mapping[int, Sequence[Row[Any]]]


# Per engine (a test process builds many databases) and (office, service): the last one committed.
_PACES: WeakKeyDictionary[Engine, dict[tuple[int, int], _Pace]] = WeakKeyDictionary()
_PENDING = "queue.pace"  # Session.info: kept for the process once the transaction has committed


def _parts(session: Session, params: dict[str, Any], issued_at: IssuedAt | None) -> dict[int, list[Row[Any]]]:
    """The snapshot's rows by part. An issuing transaction reads only the lines when the last one before it
    in this process read the rest one version ago: every change of the live state advances that version
    (the wall displays learn from it), so the step between the two was this ticket alone, which changes
    the lines only (decision 026). What it read is kept for the next only once it has committed."""
    parts: dict[int, list[Row[Any]]] = defaultdict(list)
    conn = session.connection()
    key = (params["office"], params["service"])
    if issued_at is None:
        for row in conn.execute(_QUEUE, params):
            parts[row.kind].append(row)
        return parts
    known = _PACES.get(conn.engine, {}).get(key)
    if known is not None and known.day == params["day"] and known.config_version == issued_at.config_version \
            and known.version == issued_at.version - 1:
        parts.update((kind, list(rows)) for kind, rows in known.parts.items())
        parts[LINE] = list(conn.execute(_LINES, params))
        pace = replace(known, version=issued_at.version)
    else:
        for row in conn.execute(_QUEUE, params):
            parts[row.kind].append(row)
        pace = _Pace(params["day"], issued_at.config_version, issued_at.version,
                     {k: tuple(v) for k, v in parts.items() if k != LINE})
    session.info[_PENDING] = (conn.engine, key, pace)
    return parts


@event.listens_for(Session, "after_commit")
def _keep_pace(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is not None:
        engine, key, pace = pending
        _PACES.setdefault(engine, {})[key] = pace


@event.listens_for(Session, "after_rollback")
def _forget_pace(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _snapshot(session: Session, office_id: int, service_id: int, default_service_min: float, day: date,
              now: datetime, *, me: int, my_class: int, my_queued: datetime,
              issued_at: IssuedAt | None = None) -> QueueSnapshot:
    parts = _parts(session, {"office": office_id, "day": day, "service": service_id, "me": me,
                             "my_class": my_class, "my_queued": my_queued}, issued_at)
    desk_status, share = pool_shares([(r.n1, r.n2, r.text) for r in parts[LINK]], service_id)
    pool_open = {d for d, status in desk_status.items() if status == "open"}
    lines = parts[LINE]
    ahead = {r.n1: int(r.n2 or 0) for r in lines}
    line_len, head = next(((int(r.n3 or 0), r.t1) for r in lines if r.n1 == service_id), (0, None))
    own, pool = parts[OWN_CALL][::-1], parts[POOL_CALL][::-1]  # oldest first
    last = own[-1] if own else None
    busy = {r.n1: r.t1 for r in parts[BUSY] if r.n1 is not None and r.t1 is not None}
    visits = parts[VISIT][::-1]
    durations = [minutes_between(r.t1, r.t2) for r in parts[SERVICE_VISIT][::-1] if r.t1 and r.t2]
    return QueueSnapshot(
        ahead=ahead.get(service_id, 0),
        is_priority=my_class == 0,
        desks_open=len(pool_open),
        desks_total=len(desk_status),
        desks_idle=len(pool_open - set(busy)),
        busy_elapsed_min=tuple(sorted(minutes_between(called, now) for called in busy.values())),
        desks_paused=sum(1 for status in desk_status.values() if status == "paused"),
        service_min=rolling_service_minutes(durations, default_service_min),
        call_gaps_min=tuple(busy_gaps([(r.t1, r.t2) for r in own])),
        desks_recent=len({r.n1 for r in own if r.n1 is not None}),
        pool_ahead=pool_ahead(ahead, share),
        pool_gaps_min=tuple(busy_gaps([(r.t1, r.t2) for r in pool])),
        pool_desks_recent=len({r.n1 for r in pool if r.n1 is not None}),
        # Call to finish of the pool desks' last visitors today, oldest first: how long each took a desk.
        pool_visit_min=tuple(minutes_between(c, f) for c, f in ((r.t1, r.t2) for r in visits) if c and f),
        queue_len=line_len,
        last_wait_min=minutes_between(last.t2, last.t1) if last else None,
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


def wait_view(session: Session, ticket: Ticket | TicketRow, now: datetime,
              issued_at: IssuedAt | None = None) -> WaitView:
    """The product's estimate for a waiting ticket (decision 016); nothing for a booked visitor, who
    is told their slot and room instead, nor for one already called; only the place in the queue
    while nobody serves the service (decision 034). ``issued_at``: read in the transaction that issued
    ``ticket``, after it advanced the office's live version (see ``_parts``)."""
    if ticket.status != Status.WAITING or ticket.priority == APPOINTMENT:
        return WaitView()
    return told(_ticket_snapshot(session, ticket, now, issued_at))


def told(snapshot: QueueSnapshot) -> WaitView:
    """What a snapshot's visitor is told: the product's estimate, or only the place while nobody serves."""
    if not snapshot.served:  # a figure would be a promise nobody keeps
        return WaitView(snapshot.ahead, served_now=False)
    estimate = product_estimate(snapshot)
    return WaitView(snapshot.ahead, round(estimate.minutes), wait_range(estimate))

"""Read side: what the API, the kiosk, the display and the phone page show.

Plain dictionaries in the shapes of the API's schemas (``http/api/schemas/``), built from the database in one short read.
No personal data ever leaves through the public and display views.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from reception.kernel.identity import Actor
from reception.offices.lookups import DeskRow
from reception.offices.models import Desk, DeskService, Office, Service
from reception.offices.suspension import suspension_view
from reception.platform.speech import go_to
from reception.queue.estimates import minutes_between, rolling_service_minutes
from reception.queue.lookups import ticket_for_actor
from reception.queue.models import Ticket, TicketEvent
from reception.queue.policy import APPOINTMENT, Candidate
from reception.queue.rows import TicketRow
from reception.queue.states import Status

RECENT_CALLS = 12


def iso_local(moment: datetime | None, tz: str) -> str | None:
    """ISO 8601 with the office's offset, as the contract requires."""
    return moment.astimezone(ZoneInfo(tz)).isoformat(timespec="seconds") if moment else None


def candidate(t: Ticket) -> Candidate:
    return Candidate(
        id=t.id,
        service_id=t.service_id,
        queued_at=t.queued_at,
        issued_at=t.issued_at,
        priority=t.priority,
        appointment_at=t.appointment_at,
        target_desk_id=t.target_desk_id,
        target_user_id=t.target_user_id,
        booked_for=t.booked_for,
        call_tolerance_min=t.call_tolerance_min,
    )


CANDIDATE_COLUMNS = (
    Ticket.id, Ticket.service_id, Ticket.queued_at, Ticket.issued_at, Ticket.priority,
    Ticket.appointment_at, Ticket.target_desk_id, Ticket.target_user_id, Ticket.booked_for, Ticket.call_tolerance_min,
)


_T = Ticket.__table__.c
WAITING_CANDIDATES = select(*(_T[c.key] for c in CANDIDATE_COLUMNS)).where(_T.status == Status.WAITING)
# Who a desk may call: its services' queue and whoever was transferred to it or to its clerk. Built once.
_CALLABLE = WAITING_CANDIDATES.where(_T.office_id == bindparam("office"), or_(
    _T.service_id.in_(bindparam("services")), _T.target_desk_id == bindparam("desk"),
    _T.target_user_id == bindparam("user")))


_DS = DeskService.__table__.c


# Call-next ranks only the heads of each line: within one service and class the policy orders by arrival
# (the weighted wait of one service grows with it), so whoever is not a line's first can never come first;
# the next few are there for desks racing for the same head (how many: ``queue.commands._heads``, at most
# CALL_HEADS). Appointments (ordered by their slot) and transferred visitors are few and always read
# whole. The database numbers the lines (a window function, in C) instead of Python materialising every
# waiting ticket per call (decision 026).
CALL_HEADS = 16
# Bookings (line 3), like appointments, are few and ordered by their slot, not by arrival: read whole.
_LINE = case((_T.booked_for.is_not(None), 3), (_T.priority.is_(None), 0), (_T.priority == APPOINTMENT, 2), else_=1)
_TARGETED = case((or_(_T.target_desk_id.is_not(None), _T.target_user_id.is_not(None)), 1), else_=0)
_LINED = _CALLABLE.add_columns(
    _LINE.label("line"), _TARGETED.label("targeted"),
    func.row_number().over(partition_by=(_T.service_id, _LINE, _TARGETED),
                           order_by=(_T.queued_at, _T.issued_at, _T.id)).label("place")).subquery()
_CALLABLE_HEADS = select(*(_LINED.c[c.key] for c in CANDIDATE_COLUMNS)).where(
    or_(_LINED.c.place <= bindparam("heads"), _LINED.c.line >= 2, _LINED.c.targeted == 1))


def callable_candidates(session: Session, office_id: int, service_ids: list[int], desk_id: int,
                        user_id: int | None, *, heads: int | None = CALL_HEADS) -> list[Candidate]:
    """The waiting tickets a desk may call — the first ``heads`` of each line, or all with None — as
    plain policy inputs: Core rows, no ORM objects (call-next's hot path)."""
    session.flush()  # a Core read: this transaction's own changes count
    params: dict[str, Any] = {"office": office_id, "services": service_ids, "desk": desk_id, "user": user_id}
    query = _CALLABLE if heads is None else _CALLABLE_HEADS
    if heads is not None:
        params["heads"] = heads
    return [Candidate(*row) for row in session.connection().execute(query, params)]


_LAST_CALLS = (select(TicketEvent.__table__.c.rule).where(TicketEvent.__table__.c.desk_id == bindparam("desk"),
                                                         TicketEvent.__table__.c.kind == "called")
               .order_by(TicketEvent.__table__.c.id.desc()).limit(bindparam("n")))


def booked_streak(session: Session, desk_id: int, limit: int) -> int:
    """How many of the desk's last calls in a row were bookings (the policy's ``booked_streak``), up to ``limit``."""
    streak = 0
    for rule in session.connection().execute(_LAST_CALLS, {"desk": desk_id, "n": max(limit, 0)}).scalars():
        if rule != "booked":
            break
        streak += 1
    return streak


SERVICE_VISITS = 20  # a service's last visits that make its rolling service time
_LAST_VISITS = (select(_T.started_at, _T.finished_at)  # built once: the menu binds only the id
                .where(_T.service_id == bindparam("service"), _T.status == Status.DONE, _T.started_at.is_not(None))
                .order_by(_T.finished_at.desc(), _T.id.desc()).limit(SERVICE_VISITS))


def service_minutes(session: Session, service: Service) -> float:
    rows = session.connection().execute(_LAST_VISITS, {"service": service.id}).all()
    durations = [minutes_between(s, f) for s, f in reversed(rows) if s and f]
    return rolling_service_minutes(durations, service.default_service_min)


_DESK_STATUSES = (select(_DS.service_id, Desk.__table__.c.status)
                  .select_from(DeskService.__table__.join(Desk.__table__))
                  .where(Desk.__table__.c.office_id == bindparam("office")))


def desk_statuses(session: Session, office_id: int) -> dict[int, list[str]]:
    """Service id -> the statuses of the desks that serve it (the input of ``served_now``), in one read."""
    by_service: dict[int, list[str]] = defaultdict(list)
    for service_id, status in session.connection().execute(_DESK_STATUSES, {"office": office_id}):
        by_service[service_id].append(status)
    return by_service


def ticket_view(session: Session, ticket: Ticket | TicketRow) -> dict[str, Any]:
    """The ticket as the API shows it (``Ticket`` in the OpenAPI document); ``position`` and the estimate are filled in by whoever reads
    them (reception.queue.estimates_read.wait_view): the kiosk pipeline, in its issuing transaction."""
    tz = ticket.office.timezone
    view: dict[str, Any] = {
        "id": ticket.id,
        "code": ticket.code,
        "number": ticket.number,
        "service": ticket.service.code,
        "service_name_uk": ticket.service.name_uk,
        "service_name_en": ticket.service.name_en,
        "office": ticket.office.code,
        "status": ticket.status,
        "priority": ticket.priority,
        "issued_at": iso_local(ticket.issued_at, tz),
        "called_at": iso_local(ticket.called_at, tz),
        "started_at": iso_local(ticket.started_at, tz),
        "finished_at": iso_local(ticket.finished_at, tz),
        "desk": ticket.desk.code if ticket.desk else None,
        "call_rule": ticket.call_rule,
        "recall_count": ticket.recall_count,
        "outcome": ticket.outcome,
        "position": None,
        "eta_min": None,
        "public_token": ticket.public_token,
        "lang": ticket.lang,
        "print_status": ticket.print_status,
    }
    if ticket.appointment_at:
        view["appointment_at"] = iso_local(ticket.appointment_at, tz)
    if ticket.booked_for:
        view["booked_for"] = iso_local(ticket.booked_for, tz)  # a specialist booking's slot (decision 044)
    return view


def public_status(session: Session, ticket: Ticket, now: datetime) -> dict[str, Any]:
    """The phone page's view: ticket code, service, place in queue, desk — never a name.

    ``suspended``: null, or the office's suspension (air-raid alert…) in the words to show.
    """
    from reception.queue.estimates_read import wait_view  # it reads through this module's queries

    wait = wait_view(session, ticket, now)
    desk = ticket.desk
    at_desk = desk is not None and ticket.status in (Status.CALLED, Status.SERVING)
    return {
        "code": ticket.code,
        "service": ticket.service.code,
        "service_name_uk": ticket.service.name_uk,
        "service_name_en": ticket.service.name_en,
        "office_name_uk": ticket.office.name_uk,
        "office_name_en": ticket.office.name_en,
        "status": ticket.status,
        "position": wait.position,
        "eta_min": wait.eta_min,
        "eta_range_min": list(wait.eta_range_min) if wait.eta_range_min else None,
        "eta_text_uk": wait.words("uk"),
        "eta_text_en": wait.words("en"),
        "served_now": wait.served_now,  # False: nobody serves the service now; no estimate (decision 034)
        "appointment_at": iso_local(ticket.appointment_at, ticket.office.timezone),
        "booked_for": iso_local(ticket.booked_for, ticket.office.timezone),  # a booking's slot (decision 044)
        "desk": desk.code if desk and ticket.status in (Status.CALLED, Status.SERVING) else None,
        "desk_name_uk": desk.name_uk if desk and ticket.status in (Status.CALLED, Status.SERVING) else None,
        "desk_name_en": desk.name_en if desk and ticket.status in (Status.CALLED, Status.SERVING) else None,
        "called_at": iso_local(ticket.called_at, ticket.office.timezone),
        "version": ticket.office.version,
        "lang": ticket.lang,
        "recall_count": ticket.recall_count,  # lets a polling phone notice a recall
        "suspended": suspension_view(session, ticket.office, now),
        # «Пройдіть до вікна 3» / "Please go to Window 3", built in the core (reception.platform.speech).
        **go_to(*((desk.name_uk, desk.name_en) if at_desk and desk else (None, None))),
    }


def desk_view(desk: Desk) -> dict[str, Any]:
    return {
        "code": desk.code,
        "name_uk": desk.name_uk,
        "name_en": desk.name_en,
        "zone": desk.zone,
        "kind": desk.kind,
        "status": desk.status,
        "user_id": desk.user_id,
        "pause_reason": desk.pause_reason,
    }


def call_entry(ticket: Ticket | TicketRow, desk: Desk | DeskRow, tz: str) -> dict[str, Any]:
    return {
        "code": ticket.code,
        "desk": desk.code,
        "desk_name_uk": desk.name_uk,
        "desk_name_en": desk.name_en,
        "zone": desk.zone,
        "at": iso_local(ticket.called_at, tz),
    }


_S = Service.__table__.c
_WAITING_COUNTS = (select(_S.code, func.count(_T.id))  # built once: every event of a command carries them
                   .select_from(Service.__table__.outerjoin(
                       Ticket.__table__, (_T.service_id == _S.id) & (_T.status == Status.WAITING)))
                   .where(_S.office_id == bindparam("office"), _S.is_active.is_(True))
                   .group_by(_S.code))


def waiting_counts(session: Session, office_id: int) -> dict[str, int]:
    session.flush()  # a Core read: what this transaction wrote counts too
    return {code: int(n) for code, n in session.connection().execute(_WAITING_COUNTS, {"office": office_id})}


def recent_calls(
    session: Session, office: Office, zone: str | None = None, limit: int = RECENT_CALLS, day: date | None = None
) -> list[dict[str, Any]]:
    """Latest calls still in progress or just made, newest first (for displays), each with the
    ticket's ``status``: only a call still in progress is a display's main card (decision 032).

    ``day`` (the office-local date) keeps yesterday's calls off a display left on overnight.
    """
    query = (
        select(Ticket, Desk)
        .join(Desk, Ticket.desk_id == Desk.id)
        .where(
            Ticket.office_id == office.id,
            Ticket.called_at.is_not(None),
            Ticket.status.in_([Status.CALLED, Status.SERVING, Status.DONE, Status.NO_SHOW, Status.TRANSFERRED]),
        )
        .order_by(Ticket.called_at.desc(), Ticket.id.desc())
        .limit(limit)
    )
    if zone:
        query = query.where(Desk.zone == zone)
    if day is not None:
        query = query.where(Ticket.day == day)
    return [call_entry(t, d, office.timezone) | {"status": t.status} for t, d in session.execute(query).all()]


def display_snapshot(
    session: Session, office: Office, zone: str | None = None, day: date | None = None
) -> dict[str, Any]:
    """The display's ``snapshot``: the full state a display needs after any (re)connect."""
    return {
        "version": office.version,
        "office": office.code,
        "office_name_uk": office.name_uk,
        "office_name_en": office.name_en,
        "zone": zone,
        "calls": recent_calls(session, office, zone, day=day),
        "waiting": waiting_counts(session, office.id),
        # Names (in menu order) for the ``waiting`` counts, so a display can say what people wait for.
        "services": service_names(session, office.id),
    }


def service_names(session: Session, office_id: int) -> list[dict[str, str]]:
    """The office's active services in menu order: ``[{code, name_uk, name_en}]`` (English falls back)."""
    rows = session.execute(
        select(Service.code, Service.name_uk, Service.name_en)
        .where(Service.office_id == office_id, Service.is_active.is_(True))
        .order_by(Service.sort_order, Service.code)
    ).all()
    return [{"code": code, "name_uk": uk, "name_en": en or uk} for code, uk, en in rows]


def queue_view(session: Session, office: Office) -> dict[str, Any]:
    """Staff view of the office queue: waiting per service, current calls, desks, version."""
    desks = session.scalars(select(Desk).where(Desk.office_id == office.id).order_by(Desk.code)).all()
    current = session.execute(
        select(Ticket, Desk)
        .join(Desk, Ticket.desk_id == Desk.id)
        .where(Ticket.office_id == office.id, Ticket.status.in_([Status.CALLED, Status.SERVING]))
        .order_by(Ticket.called_at)
    ).all()
    longest: dict[str, str | None] = defaultdict(lambda: None)
    for code, oldest in session.execute(
        select(Service.code, func.min(Ticket.queued_at))
        .join(Ticket, Ticket.service_id == Service.id)
        .where(Service.office_id == office.id, Ticket.status == Status.WAITING)
        .group_by(Service.code)
    ).all():
        longest[code] = iso_local(oldest, office.timezone)
    return {
        "office": office.code,
        "version": office.version,
        "waiting": waiting_counts(session, office.id),
        "oldest_waiting_since": {code: longest[code] for code in longest},
        "calls": [call_entry(t, d, office.timezone) | {"status": t.status, "id": t.id} for t, d in current],
        "desks": [
            {"code": d.code, "name_uk": d.name_uk, "name_en": d.name_en, "status": d.status, "zone": d.zone}
            for d in desks
        ],
    }


def ticket_history(session: Session, actor: Actor, ticket_id: int) -> list[dict[str, Any]]:
    """Every event of the visit, across the transfer chain, oldest first."""
    ticket = ticket_for_actor(session, actor, ticket_id)
    ids = {ticket.id}
    frontier = [ticket]
    while frontier:  # walk the chain both ways
        t = frontier.pop()
        linked = session.scalars(
            select(Ticket).where(or_(Ticket.transferred_from_id == t.id, Ticket.id == t.transferred_from_id))
        ).all()
        for other in linked:
            if other.id not in ids:
                ids.add(other.id)
                frontier.append(other)
    events = session.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id.in_(ids)).order_by(TicketEvent.at, TicketEvent.id)
    ).all()
    desks = {d.id: d.code for d in session.scalars(select(Desk).where(Desk.office_id == ticket.office_id))}
    tz = ticket.office.timezone
    return [
        {
            "ticket_id": e.ticket_id,
            "kind": e.kind,
            "at": iso_local(e.at, tz),
            "actor_user_id": e.actor_user_id,
            "actor_device_id": e.actor_device_id,
            "desk": desks.get(e.desk_id) if e.desk_id else None,
            "rule": e.rule,
            "reason": e.reason,
            "data": e.data,
        }
        for e in events
    ]

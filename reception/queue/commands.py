"""Queue commands: issue, call, recall, start, finish, no-show, reactivate, transfer, cancel.

Each command works inside a unit of work that its caller frames (``reception.kernel.unit_of_work``):
load, ask the pure domain (``domain``, ``policy``), apply, append a TicketEvent, bump the
office version, and collect the domain event that tells clients.  The caller commits; the
message bus publishes the events only after that, so a failing display or printer never
rolls a ticket back, and a rolled-back command never tells anyone anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from reception.accounts.auth import new_public_token
from reception.kernel.errors import (
    ConcurrentChange,
    Conflict,
    DailyLimitReached,
    DomainError,
    Forbidden,
    NotFound,
    OutcomeRequired,
    ValidationFailed,
)
from reception.kernel.events import DESK_EVENTS, TICKET_EVENTS, CalledAt, DeskChanged, TicketChanged
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, Scope, authorize, may_act_at_desk, rule
from reception.kernel.unit_of_work import UnitOfWork
from reception.offices.lookups import (
    DeskRow,
    bump_version,
    desk_for_actor,
    desk_queries,
    desk_row_for_actor,
    service_by_code,
)
from reception.offices.models import Desk, DeskService, Office, Outcome, PriorityCategory, Service
from reception.offices.rules import OfficeSettings, office_day, suspension_refusal, walk_in_refusal
from reception.offices.snapshot import OfficeConfig, known_office_config, office_config, office_config_at
from reception.offices.suspension import suspension_in_effect
from reception.platform.clock import Clock
from reception.platform.db import insert_values
from reception.queue.estimates import served_now
from reception.queue.estimates_read import IssuedAt
from reception.queue.history import append_ticket_events, ticket_event
from reception.queue.lookups import ticket_for_actor
from reception.queue.models import DeskEvent, Ticket, TicketEvent
from reception.queue.numbering import next_number, take_back
from reception.queue.policy import APPOINTMENT, Candidate, Choice, DeskState, rank
from reception.queue.reads import (
    CALL_HEADS,
    booked_streak,
    call_entry,
    callable_candidates,
    desk_statuses,
    desk_view,
    ticket_view,
    waiting_counts,
)
from reception.queue.rows import (
    AT_DESK,
    TICKET_COLUMNS,
    DeskRef,
    ServiceRef,
    TicketRow,
    at_desk,
    office_ref,
    service_ref,
    ticket_row,
    visitor_of,
    with_visitor,
)
from reception.queue.states import Status, format_code, next_status, recalls_missing_for_no_show


@dataclass(frozen=True)
class CommandResult:
    """The ticket as the API shows it (position and ETA are filled in by the caller), or None.

    ``entry`` (an issued ticket) is the row as inserted, a value with its service and office, so the
    same request can read position and ETA and print the slip without loading it.
    """

    ticket: dict[str, Any] | None
    ticket_id: int | None = None
    entry: TicketRow | None = None
    issued_at: IssuedAt | None = None  # an issued ticket: where its transaction stands (the estimate's read)


def _log(
    session: Session,
    ticket: Ticket | TicketRow,
    kind: str,
    at: datetime,
    actor: Actor | None,
    *,
    desk_id: int | None = None,
    rule: str | None = None,
    reason: str | None = None,
    **data: Any,
) -> None:
    if ticket.id is None:
        session.flush()  # a new ticket gets its id
    append_ticket_events(session, [_entry(ticket, kind, at, actor, desk_id=desk_id, rule=rule, reason=reason, **data)])


def _entry(ticket: Ticket | TicketRow, kind: str, at: datetime, actor: Actor | None, *, desk_id: int | None = None,
           rule: str | None = None, reason: str | None = None, **data: Any) -> dict[str, Any]:
    """The ticket's history row (its desk unless another is named)."""
    return ticket_event(ticket_id=ticket.id, office_id=ticket.office_id, kind=kind, at=at, actor=actor,
                        desk_id=desk_id if desk_id is not None else ticket.desk_id, rule=rule, reason=reason, data=data)


def _event(session: Session | None, name: str, office: Office | OfficeConfig, version: int,
           ticket: Ticket | TicketRow, desk: Desk | DeskRow | None = None) -> TicketChanged:
    """The event clients learn the change from.  With ``session``, it carries the office's waiting
    counts as of this very version, so 500 wall displays update without asking for a snapshot."""
    at = None
    if desk is not None:
        entry = call_entry(ticket, desk, office.timezone)
        at = CalledAt(desk=desk.code, desk_name_uk=desk.name_uk, desk_name_en=desk.name_en, zone=desk.zone,
                      at=entry["at"])
    return TICKET_EVENTS[name](
        office_code=office.code, version=version, code=ticket.code, status=ticket.status,
        service=ticket.service.code, public_token=ticket.public_token, desk=at,
        waiting=waiting_counts(session, office.id) if session is not None else None)


def _desk_event(name: str, desk: Desk, version: int) -> DeskChanged:
    """A desk opened, closed, paused or resumed: the office's consoles and displays learn it."""
    return DESK_EVENTS[name](office_code=desk.office.code, version=version, desk=desk.code, status=desk.status,
                             pause_reason=desk.pause_reason, zone=desk.zone)


# --- issuing ---------------------------------------------------------------------------------


def _admitted(session: Session, office: OfficeConfig, service_code: str, now: datetime, *,
              walk_in: bool) -> tuple[Mapping[str, Any], date]:
    """The service a ticket is asked for and the office day it is numbered in, if the office's configuration
    admits it now: else the refusal (unknown service, suspended, closed, nobody serves where that refuses)."""
    service = office.services.get(service_code)
    if service is None:
        raise NotFound("error.unknown_service", service=service_code)
    # a due resume holds without being recorded
    suspension = suspension_in_effect(session, office.id, now) if office.suspended else None
    suspended = suspension.reason if suspension is not None else None
    if walk_in:
        # Whether anyone serves it is read only where the office refuses such tickets (the hot path, 026).
        refuse_unserved = office.settings.refuse_unserved
        served = served_now(desk_statuses(session, office.id).get(service["id"], ())) if refuse_unserved else True
        refusal = walk_in_refusal(office.office["opening_hours"], service["code"], service["active_hours"],
                                  kind=service["kind"], walk_ins=service["walk_ins"], now_utc=now, tz=office.timezone,
                                  suspended=suspended, refuse_unserved=refuse_unserved, served=served)
    else:  # a booked visitor skips the hours, never a suspension
        refusal = suspension_refusal(suspended) if suspended else None
    if refusal is not None:
        raise refusal
    return service, office_day(now, office.timezone)


def issue_ticket(
    uow: UnitOfWork,
    clock: Clock,
    *,
    office_code: str,
    service_code: str,
    priority: str | None = None,
    lang: str = "uk",
    actor: Actor | None = None,
    appointment_at: datetime | None = None,
    appointment_id: int | None = None,
    walk_in: bool = True,
    idempotency_key: str | None = None,
    booked_for: datetime | None = None,
    call_tolerance_min: int | None = None,
    queued_at: datetime | None = None,
    history: list[dict[str, Any]] | None = None,
) -> CommandResult:
    """Number and store a new waiting ticket. Refusals (closed, limit) change nothing.

    ``history``: the caller writes the ticket's ``issued`` row with its own rows of this unit of work
    (appended to it here instead of written now): the kiosk writes it with the estimate shown, in one
    statement (decision 026).

    ``idempotency_key`` is stored with the ticket, unique per device: a second insert with the
    same key fails on commit (see :func:`reception.arrival.ticketing.walk_in`, which replays).

    ``walk_in=False`` is a booked visitor checking in: the office's and the service's hours
    do not apply (the booking was made for that time) and a leadership service takes them.
    """
    if lang not in ("uk", "en"):
        raise ValidationFailed("error.lang")
    session = uow.session
    if priority and priority != APPOINTMENT:
        category = session.scalar(select(PriorityCategory).where(PriorityCategory.code == priority))
        if category is None or not category.is_active:
            raise ValidationFailed("error.unknown_priority", priority=priority)
    now = clock.now()
    # The process's configuration snapshot is checked by the version the counter's statement reads with the
    # number (decision 036): when it has moved, the number goes back and the ticket is admitted again by
    # the configuration as of that version. A refusal counts only from a checked snapshot; with none
    # held yet, the version is read first.
    known = known_office_config(session, office_code)
    office, checked = (known, False) if known is not None else (office_config(session, office_code), True)
    while True:
        try:
            service, day = _admitted(session, office, service_code, now, walk_in=walk_in)
        except DomainError:
            if checked:
                raise
            office, checked = office_config(session, office_code), True
            continue
        number, config_version = next_number(session, service["id"], day, office.id)
        if config_version == office.version:
            break
        take_back(session, service["id"], day)
        office, checked = office_config_at(session, office_code, office.id, config_version), True
    if service["daily_limit"] is not None and number > service["daily_limit"]:
        raise DailyLimitReached(service=service["code"])  # rolls the counter back too: no gap
    # A Core INSERT and a row value: no ORM object on the kiosk's hot path (decision 026).
    ticket = ticket_row(insert_values(
        session, Ticket,
        office_id=office.id,
        service_id=service["id"],
        day=day,
        number=number,
        code=format_code(service["prefix"], number),
        priority=priority or None,
        appointment_at=appointment_at,
        appointment_id=appointment_id,
        status=Status.WAITING,
        issued_at=now,
        queued_at=queued_at or now,  # a remote place checked in keeps its time of joining (decision 044)
        public_token=new_public_token(),
        lang=lang,
        issued_by_device_id=actor.device_id if actor else None,
        idempotency_key=idempotency_key,
        booked_for=booked_for,  # a specialist booking checked in (decision 044)
        call_tolerance_min=call_tolerance_min,
    ), office_ref(office.office), service_ref(service), None)
    # The target as of now: a report over this day must not move when the target is changed later.
    booked: dict[str, Any] = {"booked_for": booked_for.isoformat()} if booked_for is not None else {}
    issued = _entry(ticket, "issued", now, actor, priority=ticket.priority, target_wait_min=service["target_wait_min"],
                    **booked)
    if history is None:
        append_ticket_events(session, [issued])
    else:
        history.append(issued)
    version = bump_version(session, office.id)
    uow.collect(_event(session, "issued", office, version, ticket))
    return CommandResult(ticket_view(session, ticket), ticket.id, ticket, IssuedAt(version, office.version))


# --- desks -----------------------------------------------------------------------------------


def _require_desk_user(actor: Actor, action: Action = Action.DESK_OPERATE) -> None:
    authorize(actor, action)
    if actor.user_id is None:
        raise Conflict("error.role")


def _desk_log(session: Session, desk: Desk, kind: str, at: datetime, user_id: int | None,
              reason: str | None = None) -> None:
    """Append to the desk's history (paused time in the reports, "for how long" in the hall view)."""
    session.add(DeskEvent(desk_id=desk.id, office_id=desk.office_id, kind=kind, at=at, user_id=user_id,
                          reason=reason))


def _holder_desk_id(ticket: Ticket) -> int | None:
    """The desk a ticket belongs to: where it is called or served, or the desk it was transferred to."""
    if ticket.status in (Status.CALLED, Status.SERVING):
        return ticket.desk_id
    if ticket.status == Status.WAITING:
        return ticket.target_desk_id
    return None


def _require_own_desk(session: Session, actor: Actor, ticket: Ticket) -> None:
    """The desk scope of the permission table: an operator acts only on the visitor of their own desk."""
    holder = _holder_desk_id(ticket)
    if ticket.status == Status.WAITING and ticket.target_user_id == actor.user_id:
        return  # transferred to this very person
    own = session.scalars(select(Desk.id).where(Desk.user_id == actor.user_id, Desk.status != "closed")).all()
    if not may_act_at_desk(actor, office_id=ticket.office_id, holder_desk_id=holder, own_desk_ids=own):
        desk = session.get(Desk, holder)
        raise Forbidden("error.other_desk", desk=desk.code if desk is not None else "")


def _desk_changed(uow: UnitOfWork, desk: Desk, name: str) -> dict[str, Any]:
    version = bump_version(uow.session, desk.office_id)
    uow.collect(_desk_event(name, desk, version))
    return desk_view(desk)


def open_desk(uow: UnitOfWork, clock: Clock, actor: Actor, desk_code: str,
              office_code: str | None = None) -> dict[str, Any]:
    """Bind the caller to the desk; a user holds one desk at a time."""
    _require_desk_user(actor)
    session = uow.session
    desk = desk_for_actor(session, actor, desk_code, office_code)
    if desk.user_id not in (None, actor.user_id) and desk.status != "closed":
        raise Conflict("error.desk_taken", desk=desk.code)
    for other in session.scalars(select(Desk).where(Desk.user_id == actor.user_id, Desk.id != desk.id)):
        _ensure_idle(session, other)
        if other.status != "closed":
            _desk_log(session, other, "closed", clock.now(), actor.user_id)
        other.status, other.user_id, other.pause_reason = "closed", None, None
        uow.collect(_desk_event("desk_closed", other, desk.office.version))
    if desk.user_id != actor.user_id or desk.status == "closed":
        desk.opened_at = clock.now()
    if desk.status != "open" or desk.user_id != actor.user_id:  # reopening one's open desk changes nothing
        _desk_log(session, desk, "opened", clock.now(), actor.user_id)
    desk.status, desk.user_id, desk.pause_reason = "open", actor.user_id, None
    return _desk_changed(uow, desk, "desk_opened")


def _current_ticket(session: Session, desk: Desk | DeskRow) -> TicketRow | None:
    """Who is at the desk (called or served there), as a row value: one Core read (decision 026)."""
    session.flush()  # a Core read: this transaction's own changes count
    row = session.connection().execute(AT_DESK, {"desk": desk.id}).first()
    return at_desk(row) if row is not None else None


def _ensure_idle(session: Session, desk: Desk) -> None:
    if _current_ticket(session, desk) is not None:
        raise Conflict("error.desk_busy", desk=desk.code)


def _own_desk(session: Session, actor: Actor, desk_code: str, office_code: str | None, *,
              lock: bool = False) -> Desk:
    desk = desk_for_actor(session, actor, desk_code, office_code)
    if lock and _locks_desks(session):
        session.execute(select(Desk).where(Desk.id == desk.id).with_for_update()
                        .execution_options(populate_existing=True))
    _require_open(desk, actor)
    return desk


def _locks_desks(session: Session) -> bool:
    """Whether a desk's own actions lock its row: serialised (a double click on Next), the second waits
    for the first and then sees its visitor. SQLite's writer lock already serialises, and the desk is
    read under it."""
    return session.get_bind().dialect.name != "sqlite"


def _require_open(desk: Desk | DeskRow, actor: Actor) -> None:
    if desk.status == "closed" or desk.user_id != actor.user_id:
        raise Conflict("error.desk_not_open", desk=desk.code)


def close_desk(uow: UnitOfWork, clock: Clock, actor: Actor, desk_code: str,
               office_code: str | None = None) -> dict[str, Any]:
    """Release the desk. Refused while a visitor is at it, so nobody is silently dropped."""
    _require_desk_user(actor)
    desk = _own_desk(uow.session, actor, desk_code, office_code)
    _ensure_idle(uow.session, desk)
    _desk_log(uow.session, desk, "closed", clock.now(), actor.user_id)
    desk.status, desk.user_id, desk.pause_reason = "closed", None, None
    return _desk_changed(uow, desk, "desk_closed")


def pause_desk(uow: UnitOfWork, clock: Clock, actor: Actor, desk_code: str, reason: str,
               office_code: str | None = None) -> dict[str, Any]:
    _require_desk_user(actor)
    if not reason.strip():
        raise ValidationFailed("error.reason_required")
    desk = _own_desk(uow.session, actor, desk_code, office_code)
    # A break never strands a called visitor on the wall display (decision 032): finish, no-show or
    # transfer them first.
    current = _current_ticket(uow.session, desk)
    if current is not None:
        raise Conflict("error.break_visitor_at_desk", code=current.code)
    desk.status, desk.pause_reason = "paused", reason.strip()[:200]
    _desk_log(uow.session, desk, "paused", clock.now(), actor.user_id, desk.pause_reason)
    return _desk_changed(uow, desk, "desk_paused")


def resume_desk(uow: UnitOfWork, clock: Clock, actor: Actor, desk_code: str,
                office_code: str | None = None) -> dict[str, Any]:
    _require_desk_user(actor)
    desk = _own_desk(uow.session, actor, desk_code, office_code)
    if desk.status == "paused":
        _desk_log(uow.session, desk, "resumed", clock.now(), actor.user_id)
    desk.status, desk.pause_reason = "open", None
    return _desk_changed(uow, desk, "desk_resumed")


# --- calling ---------------------------------------------------------------------------------


# Built once (call-next's hot path binds only the values). The claimed row comes back by RETURNING,
# a Core row: no ORM object on call-next's path (decision 026); a copy the session has loaded (call
# a specific ticket) takes the new values as committed.
_TICKETS = cast(Table, Ticket.__table__)
_T = _TICKETS.c
_CLAIM_VALUES = dict(status=Status.CALLED, called_at=bindparam("now"), desk_id=bindparam("desk"),
                     user_id=bindparam("user"), call_rule=bindparam("rule"), target_desk_id=None,
                     target_user_id=None, version_id=_T.version_id + 1)
_CLAIM = (update(_TICKETS).where(_T.id == bindparam("ticket"), _T.status == Status.WAITING)
          .values(**_CLAIM_VALUES).returning(*TICKET_COLUMNS))
# PostgreSQL: every desk ranks the same head of the line; a row another desk is claiming right now is
# skipped (its lock is taken by the subquery, or the row is passed over) instead of waited for, so the
# loser goes on to its next candidate at once (decision 026). NO KEY UPDATE is the lock the UPDATE
# itself takes: a history row's foreign-key check (KEY SHARE) does not make the ticket look taken.
_CANDIDATE = _TICKETS.alias("candidate")
_CLAIM_UNLESS_LOCKED = (update(_TICKETS)
                        .where(_T.id == select(_CANDIDATE.c.id)
                               .where(_CANDIDATE.c.id == bindparam("ticket"), _CANDIDATE.c.status == Status.WAITING)
                               .with_for_update(skip_locked=True, key_share=True).scalar_subquery(),
                               _T.status == Status.WAITING)
                        .values(**_CLAIM_VALUES).returning(*TICKET_COLUMNS))


def _heads(session: Session, office: OfficeConfig, weights: Mapping[int, float]) -> int:
    """How many of each line's first visitors call-next ranks: as many as desks may race for a line's head
    at once, the desks that share a service with this one (at most ``CALL_HEADS``); one where the
    database serialises the writers, since nobody can take the head between the read and the claim.
    A claim that still finds every head taken ranks the whole queue."""
    if not _skips_locked(session):
        return 1
    rivals = sum(1 for theirs in office.weights.values() if theirs.keys() & weights.keys())
    return max(1, min(CALL_HEADS, rivals))


def _skips_locked(session: Session) -> bool:
    """Whether a claim passes over a row another transaction holds (PostgreSQL). SQLite's writer lock
    already serialises the desks: there is nothing to skip, and today's statement stays."""
    return session.get_bind().dialect.name == "postgresql"


def _loaded_takes(session: Session, ticket_id: int, values: Mapping[Any, Any]) -> None:
    """A copy of the ticket this session has loaded takes what a Core statement wrote, as committed:
    never stale, nothing left for a flush."""
    loaded = session.identity_map.get(identity_key(Ticket, ticket_id))
    if loaded is not None:
        for column, value in values.items():
            set_committed_value(loaded, column, value)


def _claim(session: Session, ticket_id: int, desk: Desk | DeskRow, actor: Actor, now: datetime, rule: str, *,
           skip_locked: bool = False) -> Row[Any] | None:
    """Conditionally move one waiting ticket to ``called``; its row as claimed, or None if another desk
    was faster (or, with ``skip_locked``, is claiming it right now)."""
    session.flush()  # a Core statement: this transaction's own changes first
    row = session.connection().execute(_CLAIM_UNLESS_LOCKED if skip_locked else _CLAIM,
                                       {"ticket": ticket_id, "now": now, "desk": desk.id, "user": actor.user_id,
                                        "rule": rule}).first()
    if row is not None:
        _loaded_takes(session, ticket_id, row._mapping)
    return row


# The visit Next ends (where no outcome is required), on the version it was read at: Core, no ORM
# object on call-next's hot path (decision 026).
_FINISH = (update(_TICKETS).where(_T.id == bindparam("ticket"), _T.version_id == bindparam("version"))
           .values(status=Status.DONE, started_at=func.coalesce(_T.started_at, bindparam("now")),
                   finished_at=bindparam("now"), version_id=_T.version_id + 1)
           .returning(_T.status, _T.started_at, _T.finished_at, _T.version_id))
_DESKS = cast(Table, Desk.__table__)
_STREAK = update(_DESKS).where(_DESKS.c.id == bindparam("desk")).values(priority_streak=bindparam("streak"))


def _claim_first(session: Session, choices: list[Choice], desk: Desk | DeskRow, actor: Actor, now: datetime,
                 tried: frozenset[int] = frozenset(), *, skip_locked: bool = False) -> tuple[Choice, Row[Any]] | None:
    """The best choice this desk still gets, with its ticket's row as claimed."""
    for choice in choices:
        if choice.ticket_id not in tried:
            row = _claim(session, choice.ticket_id, desk, actor, now, choice.rule, skip_locked=skip_locked)
            if row is not None:
                return choice, row
    return None


@dataclass(frozen=True)
class _Ended:
    """The visit a call ended: the ticket as finished, and its history row, written with the call's."""

    ticket: TicketRow
    entry: dict[str, Any]


def _end_visit_in_progress(uow: UnitOfWork, actor: Actor, now: datetime, settings: OfficeSettings,
                           current: TicketRow | None) -> _Ended | None:
    """Before a new call: the rule of what happens to the visitor still at the desk; the visit that
    ended, if one did (the caller says so: with the call's version, or with its own, and writes its
    history row with the call's: one statement).

    Where the office wants an outcome for every visit (``outcome_required``, off unless set), Next is refused with
    ``outcome_required`` and the console asks for it (or offers no-show); otherwise the visit
    ends as ``done`` without an outcome, as on Qmatic's one-button flow (decision 003).
    """
    session = uow.session
    if current is None:
        return None
    if settings.outcome_required:
        raise OutcomeRequired(code=current.code, ticket_id=current.id, status=current.status)
    session.flush()  # a Core statement: this transaction's own changes first
    row = session.connection().execute(_FINISH, {"ticket": current.id, "version": current.version_id, "now": now}).first()
    if row is None:
        raise ConcurrentChange()  # changed since it was read: as the ORM's version check would say
    _loaded_takes(session, current.id, row._mapping)
    ended = replace(current, **row._mapping)
    return _Ended(ended, _entry(ended, "finished", now, actor, reason="auto:call-next"))


def _tell_ended_with_the_call(uow: UnitOfWork, office: Office | OfficeConfig, version: int,
                              ended: _Ended | None, desk: Desk | DeskRow) -> None:
    """The ended visit's event (with the ``version`` read before the call), before the call's: the call
    that follows carries the version and counts."""
    if ended is not None:
        uow.collect(_event(None, "finished", office, version, ended.ticket, desk))


def _log_call(session: Session, ended: _Ended | None, called: dict[str, Any]) -> None:
    """The call's history row, after the ended visit's if any, in one statement."""
    append_ticket_events(session, [ended.entry, called] if ended is not None else [called])


def _just_called(current: TicketRow | None, now: datetime, window_s: int) -> TicketRow | None:
    """The desk's ``current`` visitor if called a moment ago and not acted on: a double click."""
    if current is not None and current.status == Status.CALLED and current.called_at is not None \
            and now - _aware(current.called_at) < timedelta(seconds=window_s) and current.recall_count == 0:
        return current
    return None


def _refuse_while_suspended(uow: UnitOfWork, office_id: int, now: datetime, *, may_be: bool = True) -> None:
    """Nobody is called while the office is suspended (everyone is in the shelter). ``may_be``: False when
    the office's configuration snapshot says no suspension row is open (nothing to read)."""
    suspension = suspension_in_effect(uow.session, office_id, now) if may_be else None
    if suspension is not None:
        raise suspension_refusal(suspension.reason, audience="staff", status=409)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# Whom of the waiting the caller at this desk may call: (session, desk, caller's user id, waiting) ->
# the callable ones.  Supplied by the caller of ``call_next`` (the leadership slice's reception-room
# rule, ``leadership.room.own_session_only``, decision 031); the queue does not know about sessions.
CallableFilter = Callable[[Session, DeskRow, int | None, list[Candidate]], list[Candidate]]


def _own_session_only(session: Session, desk: DeskRow, actor: Actor, waiting: list[Candidate],
                      keep: CallableFilter | None) -> list[Candidate]:
    """Only a desk with an appointment waiting (never a specialist desk) asks ``keep``."""
    if keep is None or not any(t.priority == APPOINTMENT for t in waiting):
        return waiting
    return keep(session, desk, actor.user_id, waiting)


def _service(session: Session, config: OfficeConfig, service_id: int) -> ServiceRef:
    """A service as a ticket names it, from the configuration snapshot; read when it is newer than the
    snapshot (PostgreSQL: a service made, and its ticket issued, after this transaction read the version)."""
    values: Mapping[Any, Any] | None = config.every_service.get(service_id)
    if values is None:
        values = session.connection().execute(_SERVICE, {"service": service_id}).one()._mapping
    return service_ref(values)


_SERVICE = select(*cast(Table, Service.__table__).c).where(Service.__table__.c.id == bindparam("service"))


# Built once: the desk with whoever is at it, one statement (decision 026). Where the desk is locked
# (PostgreSQL), who is at it is read after the lock, in a statement of its own: a statement's snapshot is
# older than its wait for the lock, so a double click's second Next would not see the first one's visitor.
_DESK_AND_VISITOR = desk_queries(with_visitor)


def call_next(uow: UnitOfWork, clock: Clock, actor: Actor, desk_code: str,
              office_code: str | None = None, *, keep: CallableFilter | None = None) -> CommandResult:
    """Claim exactly one waiting ticket for the desk, in policy order; None when nobody waits.

    A second Next within the office's ``double_call_window_s`` of a call answers the same visitor.
    ``keep`` narrows the waiting to those the caller may call (:data:`CallableFilter`).

    Core statements and row values end to end (decision 026): the desk (locked where the database
    does not serialise writers) with its office's versions in one read, the office's configuration
    from its snapshot, no ORM object loaded, flushed or refreshed.
    """
    _require_desk_user(actor, Action.TICKET_CALL_NEXT)
    session = uow.session
    lock = _locks_desks(session)
    desk, visitor = desk_row_for_actor(session, actor, desk_code, office_code, lock=lock,
                                       queries=None if lock else _DESK_AND_VISITOR)
    _require_open(desk, actor)
    if desk.status == "paused":
        raise Conflict("error.desk_paused", desk=desk.code)
    office = office_config_at(session, desk.office_code, desk.office_id, desk.config_version)
    settings = office.settings
    now = clock.now()
    _refuse_while_suspended(uow, office.id, now, may_be=office.suspended)
    current = _current_ticket(session, desk) if lock else visitor_of(desk, visitor)
    repeat = _just_called(current, now, settings.double_call_window_s)
    if repeat is not None:
        return CommandResult(ticket_view(session, repeat), repeat.id)
    weights = office.weights.get(desk.id, {})  # the desk's services: configuration, from the snapshot
    waiting = _own_session_only(session, desk, actor, callable_candidates(
        session, office.id, list(weights), desk.id, actor.user_id, heads=_heads(session, office, weights)), keep)
    # Bookings in a row at this desk: read only while a booked visitor waits (decision 044).
    in_a_row = booked_streak(session, desk.id, settings.priority_interleave) \
        if any(t.booked_for is not None for t in waiting) else 0
    state = DeskState(desk.id, weights, actor.user_id, desk.priority_streak, in_a_row)
    choices = rank(waiting, state, now, settings.priority_interleave)
    ended = _end_visit_in_progress(uow, actor, now, settings, current)
    skip = _skips_locked(session)
    claimed = _claim_first(session, choices, desk, actor, now, skip_locked=skip)
    if claimed is None and choices:  # other desks took (or are taking) every head: rank the whole queue
        everyone = _own_session_only(session, desk, actor, callable_candidates(
            session, office.id, list(weights), desk.id, actor.user_id, heads=None), keep)
        ranked = rank(everyone, state, now, settings.priority_interleave)
        claimed = _claim_first(session, ranked, desk, actor, now, tried=frozenset(c.ticket_id for c in choices),
                               skip_locked=skip)
        if claimed is None and skip:
            # Every waiting visitor is being claimed by another desk right now. Nobody waits is said
            # only once those claims are decided: wait for them, as without skipping (a claim that
            # rolls back leaves its visitor to this desk).
            claimed = _claim_first(session, ranked, desk, actor, now)
    if claimed is None:
        if ended is not None:  # nobody is called: the ended visit is the change, with its own version and counts
            append_ticket_events(session, [ended.entry])
            version = bump_version(session, office.id)
            uow.collect(_event(session, "finished", office, version, ended.ticket, desk))
        return CommandResult(None)
    _tell_ended_with_the_call(uow, office, desk.office_version, ended, desk)
    chosen, row = claimed
    ticket = ticket_row(row, office_ref(office.office), _service(session, office, row.service_id),
                        DeskRef(desk.code, desk.name_uk, desk.name_en, desk.zone))
    if chosen.priority_streak != desk.priority_streak:
        session.connection().execute(_STREAK, {"desk": desk.id, "streak": chosen.priority_streak})
    _log_call(session, ended, _entry(ticket, "called", now, actor, desk_id=desk.id, rule=chosen.rule))
    version = bump_version(session, office.id)
    uow.collect(_event(session, "called", office, version, ticket, desk))
    return CommandResult(ticket_view(session, ticket), ticket.id)


def call_specific(uow: UnitOfWork, clock: Clock, actor: Actor, desk_code: str, ticket_id: int, reason: str,
                  office_code: str | None = None) -> CommandResult:
    """Call one particular waiting ticket out of order — only where configured, always with a reason."""
    _require_desk_user(actor, Action.TICKET_CALL)
    if not reason.strip():
        raise ValidationFailed("error.reason_required")
    session = uow.session
    desk = _own_desk(session, actor, desk_code, office_code, lock=True)
    office = desk.office
    settings = OfficeSettings.from_json(office.settings)
    if not (desk.allow_call_specific or settings.allow_call_specific):
        raise Conflict("error.call_specific_off")
    ticket = ticket_for_actor(session, actor, ticket_id)
    if ticket.office_id != office.id:
        raise NotFound("error.unknown_ticket", ticket=ticket_id)
    next_status(ticket.status, "call")
    now = clock.now()
    _refuse_while_suspended(uow, office.id, now)
    ended = _end_visit_in_progress(uow, actor, now, settings, _current_ticket(session, desk))
    _tell_ended_with_the_call(uow, office, office.version, ended, desk)
    if _claim(session, ticket.id, desk, actor, now, "specific") is None:
        raise ConcurrentChange()
    _log_call(session, ended, _entry(ticket, "called", now, actor, desk_id=desk.id, rule="specific",
                                     reason=reason.strip()))
    version = bump_version(session, office.id)
    uow.collect(_event(session, "called", office, version, ticket, desk))
    return CommandResult(ticket_view(session, ticket), ticket.id)


# --- transitions of a called ticket ------------------------------------------------------------

Apply = Callable[[Session, Ticket, datetime, OfficeSettings], None]
TRANSITION_ACTIONS = {
    "recall": Action.TICKET_RECALL,
    "start": Action.TICKET_START,
    "finish": Action.TICKET_FINISH,
    "no_show": Action.TICKET_NO_SHOW,
    "reactivate": Action.TICKET_REACTIVATE,
    "cancel": Action.TICKET_CANCEL,
}


def _transition(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    ticket_id: int,
    action: str,
    apply: Apply | None = None,
    *,
    event_name: str | None = None,
    reason: str | None = None,
    **data: Any,
) -> CommandResult:
    """Shared frame: load in scope, check the state machine, apply, log, bump, collect."""
    permission = TRANSITION_ACTIONS[action]
    _require_desk_user(actor, permission)
    session = uow.session
    ticket = ticket_for_actor(session, actor, ticket_id)
    if rule(permission).scope is Scope.DESK:
        _require_own_desk(session, actor, ticket)
    target = next_status(ticket.status, action)
    now = clock.now()
    office = ticket.office
    if apply is not None:
        apply(session, ticket, now, OfficeSettings.from_json(office.settings))
    ticket.status = target
    session.flush()
    name = event_name or action
    _log(session, ticket, name, now, actor, reason=reason, **data)
    version = bump_version(session, office.id)
    desk = session.get(Desk, ticket.desk_id) if ticket.desk_id else None
    uow.collect(_event(session, name, office, version, ticket, desk))
    return CommandResult(ticket_view(session, ticket), ticket.id)


def recall(uow: UnitOfWork, clock: Clock, actor: Actor, ticket_id: int) -> CommandResult:
    def apply(_s: Session, t: Ticket, _now: datetime, _cfg: OfficeSettings) -> None:
        t.recall_count += 1

    return _transition(uow, clock, actor, ticket_id, "recall", apply, event_name="recalled")


def start(uow: UnitOfWork, clock: Clock, actor: Actor, ticket_id: int) -> CommandResult:
    def apply(_s: Session, t: Ticket, now: datetime, _cfg: OfficeSettings) -> None:
        t.started_at = now

    return _transition(uow, clock, actor, ticket_id, "start", apply, event_name="started")


def finish(uow: UnitOfWork, clock: Clock, actor: Actor, ticket_id: int, outcome: str | None,
           note: str | None = None) -> CommandResult:
    """Serve to the end, with the outcome from the service kind's list (finishing from called implies start)."""

    def apply(session: Session, t: Ticket, now: datetime, _cfg: OfficeSettings) -> None:
        if outcome is not None:
            known = session.scalar(
                select(Outcome).where(Outcome.service_kind == t.service.kind, Outcome.code == outcome)
            )
            if known is None or not known.is_active:
                raise ValidationFailed("error.unknown_outcome", outcome=outcome)
        t.started_at = t.started_at or now
        t.finished_at, t.outcome, t.note = now, outcome, (note or None)

    return _transition(uow, clock, actor, ticket_id, "finish", apply, event_name="finished", outcome=outcome)


def no_show(uow: UnitOfWork, clock: Clock, actor: Actor, ticket_id: int) -> CommandResult:
    def apply(_s: Session, t: Ticket, now: datetime, cfg: OfficeSettings) -> None:
        if recalls_missing_for_no_show(t.recall_count, cfg):
            raise Conflict("error.recalls_needed", needed=cfg.recalls_before_no_show, done=t.recall_count)
        t.finished_at = now

    return _transition(uow, clock, actor, ticket_id, "no_show", apply)


def reactivate(uow: UnitOfWork, clock: Clock, actor: Actor, ticket_id: int) -> CommandResult:
    """A late visitor goes back into the queue (at its end) within the configured window."""

    def apply(_s: Session, t: Ticket, now: datetime, cfg: OfficeSettings) -> None:
        if t.finished_at and now - _aware(t.finished_at) > timedelta(minutes=cfg.reactivation_window_min):
            raise Conflict("error.reactivation_window", minutes=cfg.reactivation_window_min)
        t.queued_at, t.finished_at, t.called_at, t.desk_id, t.user_id = now, None, None, None, None

    return _transition(uow, clock, actor, ticket_id, "reactivate", apply, event_name="reactivated")


def cancel(uow: UnitOfWork, clock: Clock, actor: Actor, ticket_id: int, reason: str | None = None) -> CommandResult:
    def apply(_s: Session, t: Ticket, now: datetime, _cfg: OfficeSettings) -> None:
        t.finished_at = now

    return _transition(uow, clock, actor, ticket_id, "cancel", apply, event_name="cancelled", reason=reason)


def transfer(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    ticket_id: int,
    *,
    service_code: str | None = None,
    desk_code: str | None = None,
    note: str | None = None,
) -> CommandResult:
    """Close this queue entry and open a new one with the same code for another service or desk.

    The visitor keeps their code, their place in time and their phone page (the public token
    moves to the new entry).
    """
    _require_desk_user(actor, Action.TICKET_TRANSFER)
    if not service_code and not desk_code:
        raise ValidationFailed("error.transfer_target")
    session = uow.session
    old = ticket_for_actor(session, actor, ticket_id)
    _require_own_desk(session, actor, old)
    next_status(old.status, "transfer")
    office = old.office
    service = service_by_code(session, office.id, service_code) if service_code else old.service
    target_desk = None
    if desk_code:
        target_desk = session.scalar(select(Desk).where(Desk.office_id == office.id, Desk.code == desk_code))
        if target_desk is None:
            raise NotFound("error.unknown_desk", desk=desk_code)
        if target_desk.status == "closed":  # nobody would call them there (decision 032)
            raise Conflict("error.desk_closed", desk=target_desk.code)
        if service_code is None and not _desk_serves(session, target_desk, service):
            service = old.service  # the desk gets the visitor regardless of its menu
    now = clock.now()
    token, old.public_token = old.public_token, None
    old.status, old.finished_at = Status.TRANSFERRED, now
    old.started_at = old.started_at or (now if old.called_at else None)
    session.flush()
    new = Ticket(
        office_id=office.id,
        service_id=service.id,
        day=old.day,
        number=old.number,
        code=old.code,
        priority=old.priority,
        appointment_at=old.appointment_at,
        appointment_id=old.appointment_id,
        status=Status.WAITING,
        issued_at=old.issued_at,
        queued_at=old.queued_at,
        target_desk_id=target_desk.id if target_desk else None,
        public_token=token,
        lang=old.lang,
        transferred_from_id=old.id,
        note=note,
    )
    new.service, new.office = service, office
    session.add(new)
    session.flush()
    _log(session, old, "transferred", now, actor, reason=note, to_ticket=new.id, to_service=service.code,
         to_desk=desk_code)
    _log(session, new, "transferred", now, actor, desk_id=old.desk_id, reason=note, from_ticket=old.id,
         target_wait_min=service.target_wait_min)
    version = bump_version(session, office.id)
    uow.collect(_event(session, "transferred", office, version, new))
    return CommandResult(ticket_view(session, new), new.id)


def _desk_serves(session: Session, desk: Desk, service: Service) -> bool:
    return session.get(DeskService, (desk.id, service.id)) is not None


# --- the visitor's own replies (by message or from the phone page, decision 038) -----------------


@dataclass(frozen=True)
class LateMove:
    """What "I'm running late" did: the places the ticket moved back and how many now wait ahead."""

    code: str
    moved: int
    ahead: int


def _line(session: Session, ticket: Ticket) -> list[tuple[datetime, datetime, int]]:
    """(queued_at, issued_at, id) of the waiting tickets of ``ticket``'s line (its service and class, not
    transferred to anyone), in the order the policy calls them."""
    same_class = Ticket.priority.is_(None) if ticket.priority is None else Ticket.priority == ticket.priority
    rows = session.execute(
        select(Ticket.queued_at, Ticket.issued_at, Ticket.id).where(
            Ticket.office_id == ticket.office_id, Ticket.service_id == ticket.service_id,
            Ticket.status == Status.WAITING, same_class,
            Ticket.target_desk_id.is_(None), Ticket.target_user_id.is_(None))).all()
    return sorted((_aware(q), _aware(i), tid) for q, i, tid in rows)


def move_back(uow: UnitOfWork, clock: Clock, ticket_id: int, places: int, *, via: str) -> LateMove:
    """"I'm running late": a waiting ticket goes back ``places`` places in its line (behind the
    ``places``-th ticket behind it, or last), once per ticket. The line is ordered by ``queued_at``
    (policy: by arrival within a line, weighted wait across lines), so the ticket takes the moment just
    after the one it lets pass. Audited in its history (no actor: the visitor, ``via`` their channel)."""
    session = uow.session
    # Locked (PostgreSQL) and reloaded: two "late" replies at once are one after the other, so the
    # second sees the first's history row and is refused.
    ticket = session.scalar(select(Ticket).where(Ticket.id == ticket_id).with_for_update(of=Ticket)
                            .execution_options(populate_existing=True))
    if ticket is None:
        raise NotFound("error.unknown_ticket")
    if ticket.status != Status.WAITING or ticket.target_desk_id is not None or ticket.target_user_id is not None:
        raise Conflict("error.late_not_waiting", code=ticket.code)
    done_before = session.scalar(select(TicketEvent.id).where(TicketEvent.ticket_id == ticket.id,
                                                              TicketEvent.kind == "moved_back").limit(1))
    if done_before is not None:
        raise Conflict("error.late_again", code=ticket.code)
    now = clock.now()
    line = _line(session, ticket)
    mine = next(i for i, row in enumerate(line) if row[2] == ticket.id)
    behind = line[mine + 1:]
    moved = min(places, len(behind))
    if moved:
        ticket.queued_at = behind[moved - 1][0] + timedelta(microseconds=1)
    _log(session, ticket, "moved_back", now, None, reason=f"visitor:{via}", places=moved, asked=places, via=via)
    version = bump_version(session, ticket.office_id)
    session.flush()
    uow.collect(_event(session, "moved_back", ticket.office, version, ticket))
    ahead = mine + moved
    return LateMove(ticket.code, moved, ahead)


def visitor_cancel(uow: UnitOfWork, clock: Clock, ticket_id: int, *, via: str) -> CommandResult:
    """The visitor leaves the queue themselves: the desk's cancel by the same state machine (an open
    ticket only), with no actor and the channel it came by."""
    session = uow.session
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound("error.unknown_ticket")
    if ticket.status not in (Status.WAITING, Status.CALLED):
        raise Conflict("error.cancel_not_open", code=ticket.code)
    target = next_status(ticket.status, "cancel")
    now = clock.now()
    ticket.finished_at, ticket.status = now, target
    session.flush()
    _log(session, ticket, "cancelled", now, None, reason=f"visitor:{via}", via=via)
    version = bump_version(session, ticket.office_id)
    desk = session.get(Desk, ticket.desk_id) if ticket.desk_id else None
    uow.collect(_event(session, "cancelled", ticket.office, version, ticket, desk))
    return CommandResult(ticket_view(session, ticket), ticket.id)

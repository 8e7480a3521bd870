"""Queue commands: issue, call, recall, start, finish, no-show, reactivate, transfer, cancel.

Each command is one short writing transaction: load, ask the pure domain (``domain``,
``policy``), apply, append a TicketEvent, bump the office version, commit.  It returns the
ticket as the API shows it plus the events to publish *after* the commit, so a failing
display or printer never rolls a ticket back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .auth import Actor, new_public_token
from .clock import Clock
from .db import Database
from .domain import (
    DESK_ROLES,
    OfficeSettings,
    Status,
    format_code,
    is_open,
    next_status,
    office_day,
    recalls_missing_for_no_show,
)
from .errors import (
    ConcurrentChange,
    Conflict,
    DailyLimitReached,
    NotFound,
    OfficeClosed,
    ServiceUnavailable,
    ValidationFailed,
)
from .lookups import bump_version, desk_for_actor, office_by_code, service_by_code, ticket_for_actor
from .models import Desk, DeskService, Office, Outcome, PriorityCategory, Service, Ticket, TicketEvent
from .numbering import next_number
from .policy import APPOINTMENT, DeskState, rank
from .ports import DomainEvent
from .readmodels import call_entry, iso_local, ticket_view, waiting_candidates


@dataclass
class CommandResult:
    ticket: dict[str, Any] | None
    events: list[DomainEvent] = field(default_factory=list)
    ticket_id: int | None = None


def _log(
    session: Session,
    ticket: Ticket,
    kind: str,
    at: datetime,
    actor: Actor | None,
    *,
    desk_id: int | None = None,
    rule: str | None = None,
    reason: str | None = None,
    **data: Any,
) -> None:
    session.add(
        TicketEvent(
            ticket_id=ticket.id,
            office_id=ticket.office_id,
            kind=kind,
            at=at,
            actor_user_id=actor.user_id if actor else None,
            actor_device_id=actor.device_id if actor else None,
            desk_id=desk_id if desk_id is not None else ticket.desk_id,
            rule=rule,
            reason=reason,
            data=data,
        )
    )


def _event(name: str, office: Office, version: int, ticket: Ticket, desk: Desk | None = None) -> DomainEvent:
    payload: dict[str, Any] = {"version": version, "code": ticket.code, "status": ticket.status,
                               "service": ticket.service.code}
    if desk is not None:
        payload |= call_entry(ticket, desk, office.timezone)
    return DomainEvent(
        name=name,
        office_code=office.code,
        version=version,
        payload=payload,
        zone=desk.zone if desk else None,
        desk_code=desk.code if desk else None,
        public_token=ticket.public_token,
    )


# --- issuing ---------------------------------------------------------------------------------


def issue_ticket(
    db: Database,
    clock: Clock,
    *,
    office_code: str,
    service_code: str,
    priority: str | None = None,
    lang: str = "uk",
    actor: Actor | None = None,
    appointment_at: datetime | None = None,
    appointment_id: int | None = None,
    check_hours: bool = True,
) -> CommandResult:
    """Number and store a new waiting ticket. Refusals (closed, limit) change nothing."""
    if lang not in ("uk", "en"):
        raise ValidationFailed("error.lang")
    with db.write() as session:
        office = office_by_code(session, office_code)
        service = service_by_code(session, office.id, service_code)
        now = clock.now()
        if check_hours and not is_open(office.opening_hours, now, office.timezone):
            raise OfficeClosed()
        if check_hours and not is_open(service.active_hours, now, office.timezone):
            raise ServiceUnavailable(service=service.code)
        if priority and priority != APPOINTMENT:
            category = session.scalar(select(PriorityCategory).where(PriorityCategory.code == priority))
            if category is None or not category.is_active:
                raise ValidationFailed("error.unknown_priority", priority=priority)
        day = office_day(now, office.timezone)
        number = next_number(session, service.id, day)
        if service.daily_limit is not None and number > service.daily_limit:
            raise DailyLimitReached(service=service.code)  # rolls the counter back too: no gap
        ticket = Ticket(
            office_id=office.id,
            service_id=service.id,
            day=day,
            number=number,
            code=format_code(service.prefix, number),
            priority=priority or None,
            appointment_at=appointment_at,
            appointment_id=appointment_id,
            status=Status.WAITING,
            issued_at=now,
            queued_at=now,
            public_token=new_public_token(),
            lang=lang,
            issued_by_device_id=actor.device_id if actor else None,
        )
        ticket.service, ticket.office = service, office
        session.add(ticket)
        session.flush()
        _log(session, ticket, "issued", now, actor, priority=ticket.priority)
        version = bump_version(session, office.id)
        office.version = version
        view = ticket_view(session, ticket)
        return CommandResult(view, [_event("issued", office, version, ticket)], ticket.id)


# --- desks -----------------------------------------------------------------------------------


def _require_desk_user(actor: Actor) -> None:
    actor.require_roles(DESK_ROLES)
    if actor.user_id is None:
        raise Conflict("error.role")


def open_desk(db: Database, clock: Clock, actor: Actor, desk_code: str, office_code: str | None = None) -> dict[str, Any]:
    """Bind the caller to the desk; a user holds one desk at a time."""
    _require_desk_user(actor)
    with db.write() as session:
        desk = desk_for_actor(session, actor, desk_code, office_code)
        if desk.user_id not in (None, actor.user_id) and desk.status != "closed":
            raise Conflict("error.desk_taken", desk=desk.code)
        for other in session.scalars(select(Desk).where(Desk.user_id == actor.user_id, Desk.id != desk.id)):
            _ensure_idle(session, other)
            other.status, other.user_id, other.pause_reason = "closed", None, None
        if desk.user_id != actor.user_id or desk.status == "closed":
            desk.opened_at = clock.now()
        desk.status, desk.user_id, desk.pause_reason = "open", actor.user_id, None
        bump_version(session, desk.office_id)
        return desk_view(desk)


def _current_ticket(session: Session, desk: Desk) -> Ticket | None:
    return session.scalar(
        select(Ticket).where(Ticket.desk_id == desk.id, Ticket.status.in_([Status.CALLED, Status.SERVING]))
    )


def _ensure_idle(session: Session, desk: Desk) -> None:
    if _current_ticket(session, desk) is not None:
        raise Conflict("error.desk_busy", desk=desk.code)


def _own_desk(session: Session, actor: Actor, desk_code: str, office_code: str | None) -> Desk:
    desk = desk_for_actor(session, actor, desk_code, office_code)
    if desk.status == "closed" or desk.user_id != actor.user_id:
        raise Conflict("error.desk_not_open", desk=desk.code)
    return desk


def close_desk(db: Database, clock: Clock, actor: Actor, desk_code: str, office_code: str | None = None) -> dict[str, Any]:
    """Release the desk. Refused while a visitor is at it, so nobody is silently dropped."""
    _require_desk_user(actor)
    with db.write() as session:
        desk = _own_desk(session, actor, desk_code, office_code)
        _ensure_idle(session, desk)
        desk.status, desk.user_id, desk.pause_reason = "closed", None, None
        bump_version(session, desk.office_id)
        return desk_view(desk)


def pause_desk(
    db: Database, clock: Clock, actor: Actor, desk_code: str, reason: str, office_code: str | None = None
) -> dict[str, Any]:
    _require_desk_user(actor)
    if not reason.strip():
        raise ValidationFailed("error.reason_required")
    with db.write() as session:
        desk = _own_desk(session, actor, desk_code, office_code)
        desk.status, desk.pause_reason = "paused", reason.strip()[:200]
        bump_version(session, desk.office_id)
        return desk_view(desk)


def resume_desk(db: Database, clock: Clock, actor: Actor, desk_code: str, office_code: str | None = None) -> dict[str, Any]:
    _require_desk_user(actor)
    with db.write() as session:
        desk = _own_desk(session, actor, desk_code, office_code)
        desk.status, desk.pause_reason = "open", None
        bump_version(session, desk.office_id)
        return desk_view(desk)


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


# --- calling ---------------------------------------------------------------------------------


def _claim(session: Session, ticket_id: int, desk: Desk, actor: Actor, now: datetime, rule: str) -> bool:
    """Conditionally move one waiting ticket to ``called``; False if another desk was faster."""
    result = session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id, Ticket.status == Status.WAITING)
        .values(
            status=Status.CALLED,
            called_at=now,
            desk_id=desk.id,
            user_id=actor.user_id,
            call_rule=rule,
            target_desk_id=None,
            target_user_id=None,
            version_id=Ticket.version_id + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _finish_current_if_any(session: Session, desk: Desk, actor: Actor, now: datetime) -> None:
    """Call-next ends the visit in progress, as on Qmatic's one-button flow (decision 003)."""
    current = _current_ticket(session, desk)
    if current is None:
        return
    if current.started_at is None:
        current.started_at = now
    current.status, current.finished_at = Status.DONE, now
    _log(session, current, "finished", now, actor, reason="auto:call-next")


def call_next(
    db: Database, clock: Clock, actor: Actor, desk_code: str, office_code: str | None = None
) -> CommandResult:
    """Claim exactly one waiting ticket for the desk, in policy order; None when nobody waits."""
    _require_desk_user(actor)
    with db.write() as session:
        desk = _own_desk(session, actor, desk_code, office_code)
        if desk.status == "paused":
            raise Conflict("error.desk_paused", desk=desk.code)
        office = desk.office
        settings = OfficeSettings.from_json(office.settings)
        now = clock.now()
        weights = {ds.service_id: ds.weight for ds in desk.services}
        waiting = waiting_candidates(
            session,
            Ticket.office_id == office.id,
            or_(
                Ticket.service_id.in_(weights),
                Ticket.target_desk_id == desk.id,
                Ticket.target_user_id == actor.user_id,
            ),
        )
        state = DeskState(desk.id, weights, actor.user_id, desk.priority_streak)
        choices = rank(waiting, state, now, settings.priority_interleave)
        chosen = None
        _finish_current_if_any(session, desk, actor, now)
        for choice in choices:
            if _claim(session, choice.ticket_id, desk, actor, now, choice.rule):
                chosen = choice
                break
        if chosen is None:
            if session.new or session.dirty:
                bump_version(session, office.id)
            return CommandResult(None)
        desk.priority_streak = chosen.priority_streak
        ticket = session.get(Ticket, chosen.ticket_id, populate_existing=True)
        assert ticket is not None
        _log(session, ticket, "called", now, actor, desk_id=desk.id, rule=chosen.rule)
        version = bump_version(session, office.id)
        office.version = version
        return CommandResult(ticket_view(session, ticket), [_event("called", office, version, ticket, desk)], ticket.id)


def call_specific(
    db: Database, clock: Clock, actor: Actor, desk_code: str, ticket_id: int, reason: str,
    office_code: str | None = None,
) -> CommandResult:
    """Call one particular waiting ticket out of order — only where configured, always with a reason."""
    _require_desk_user(actor)
    if not reason.strip():
        raise ValidationFailed("error.reason_required")
    with db.write() as session:
        desk = _own_desk(session, actor, desk_code, office_code)
        office = desk.office
        if not (desk.allow_call_specific or OfficeSettings.from_json(office.settings).allow_call_specific):
            raise Conflict("error.call_specific_off")
        ticket = ticket_for_actor(session, actor, ticket_id)
        if ticket.office_id != office.id:
            raise NotFound("error.unknown_ticket", ticket=ticket_id)
        next_status(ticket.status, "call")
        now = clock.now()
        _finish_current_if_any(session, desk, actor, now)
        if not _claim(session, ticket.id, desk, actor, now, "specific"):
            raise ConcurrentChange()
        session.refresh(ticket)
        _log(session, ticket, "called", now, actor, desk_id=desk.id, rule="specific", reason=reason.strip())
        version = bump_version(session, office.id)
        office.version = version
        return CommandResult(ticket_view(session, ticket), [_event("called", office, version, ticket, desk)], ticket.id)


# --- transitions of a called ticket ------------------------------------------------------------


def _transition(
    db: Database,
    clock: Clock,
    actor: Actor,
    ticket_id: int,
    action: str,
    apply: Any = None,
    *,
    event_name: str | None = None,
    reason: str | None = None,
    **data: Any,
) -> CommandResult:
    """Shared frame: load in scope, check the state machine, apply, log, bump, return."""
    _require_desk_user(actor)
    try:
        with db.write() as session:
            ticket = ticket_for_actor(session, actor, ticket_id)
            target = next_status(ticket.status, action)
            now = clock.now()
            office = ticket.office
            if apply is not None:
                apply(session, ticket, now, OfficeSettings.from_json(office.settings))
            ticket.status = target
            session.flush()
            _log(session, ticket, event_name or action, now, actor, reason=reason, **data)
            version = bump_version(session, office.id)
            office.version = version
            desk = session.get(Desk, ticket.desk_id) if ticket.desk_id else None
            name = event_name or action
            return CommandResult(ticket_view(session, ticket), [_event(name, office, version, ticket, desk)], ticket.id)
    except StaleDataError as exc:
        raise ConcurrentChange() from exc


def recall(db: Database, clock: Clock, actor: Actor, ticket_id: int) -> CommandResult:
    def apply(_s: Session, t: Ticket, _now: datetime, _cfg: OfficeSettings) -> None:
        t.recall_count += 1

    return _transition(db, clock, actor, ticket_id, "recall", apply, event_name="recalled")


def start(db: Database, clock: Clock, actor: Actor, ticket_id: int) -> CommandResult:
    def apply(_s: Session, t: Ticket, now: datetime, _cfg: OfficeSettings) -> None:
        t.started_at = now

    return _transition(db, clock, actor, ticket_id, "start", apply, event_name="started")


def finish(
    db: Database, clock: Clock, actor: Actor, ticket_id: int, outcome: str | None, note: str | None = None
) -> CommandResult:
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

    return _transition(db, clock, actor, ticket_id, "finish", apply, event_name="finished", outcome=outcome)


def no_show(db: Database, clock: Clock, actor: Actor, ticket_id: int) -> CommandResult:
    def apply(_s: Session, t: Ticket, now: datetime, cfg: OfficeSettings) -> None:
        if recalls_missing_for_no_show(t.recall_count, cfg):
            raise Conflict("error.recalls_needed", needed=cfg.recalls_before_no_show, done=t.recall_count)
        t.finished_at = now

    return _transition(db, clock, actor, ticket_id, "no_show", apply)


def reactivate(db: Database, clock: Clock, actor: Actor, ticket_id: int) -> CommandResult:
    """A late visitor goes back into the queue (at its end) within the configured window."""

    def apply(_s: Session, t: Ticket, now: datetime, cfg: OfficeSettings) -> None:
        if t.finished_at and now - t.finished_at > timedelta(minutes=cfg.reactivation_window_min):
            raise Conflict("error.reactivation_window", minutes=cfg.reactivation_window_min)
        t.queued_at, t.finished_at, t.called_at, t.desk_id, t.user_id = now, None, None, None, None

    return _transition(db, clock, actor, ticket_id, "reactivate", apply, event_name="reactivated")


def cancel(db: Database, clock: Clock, actor: Actor, ticket_id: int, reason: str | None = None) -> CommandResult:
    def apply(_s: Session, t: Ticket, now: datetime, _cfg: OfficeSettings) -> None:
        t.finished_at = now

    return _transition(db, clock, actor, ticket_id, "cancel", apply, event_name="cancelled", reason=reason)


def transfer(
    db: Database,
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
    _require_desk_user(actor)
    if not service_code and not desk_code:
        raise ValidationFailed("error.transfer_target")
    try:
        with db.write() as session:
            old = ticket_for_actor(session, actor, ticket_id)
            next_status(old.status, "transfer")
            office = old.office
            service = service_by_code(session, office.id, service_code) if service_code else old.service
            target_desk = None
            if desk_code:
                target_desk = session.scalar(select(Desk).where(Desk.office_id == office.id, Desk.code == desk_code))
                if target_desk is None:
                    raise NotFound("error.unknown_desk", desk=desk_code)
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
            to = {"to_ticket": new.id, "to_service": service.code, "to_desk": desk_code}
            _log(session, old, "transferred", now, actor, reason=note, **to)
            _log(session, new, "transferred", now, actor, desk_id=old.desk_id, reason=note, from_ticket=old.id)
            version = bump_version(session, office.id)
            office.version = version
            return CommandResult(ticket_view(session, new), [_event("transferred", office, version, new)], new.id)
    except StaleDataError as exc:
        raise ConcurrentChange() from exc


def _desk_serves(session: Session, desk: Desk, service: Service) -> bool:
    return session.get(DeskService, (desk.id, service.id)) is not None


def get_ticket(db: Database, actor: Actor, ticket_id: int) -> dict[str, Any]:
    with db.read() as session:
        return ticket_view(session, ticket_for_actor(session, actor, ticket_id))


def ticket_history(db: Database, actor: Actor, ticket_id: int) -> list[dict[str, Any]]:
    """Every event of the visit, across the transfer chain, oldest first."""
    with db.read() as session:
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

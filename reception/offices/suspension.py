"""Suspending an office during an air-raid alert or a blackout, and resuming it.

Commands (``uow, clock, ...`` first, run by ``Services``) open and close a
:class:`~reception.offices.models.Suspension` row and collect the ``suspended`` / ``resumed`` domain
events that the message bus fans out to displays, desks and phones after the commit.

A scheduled resume ("the all-clear was given, resume in 10 minutes") happens *lazily*
(docs/decisions/012-suspension.md): every read treats a due ``resume_at`` as resumed, so the
kiosk, the display and the phone page are right at that minute without anyone asking; the first
write afterwards (:func:`settle`, called by the issuing and calling commands) records
``ended_at = resume_at`` and emits ``resumed``.  No timer thread, nothing to run per process.

Waiting tickets are never touched: the queue carries on in the same order and numbering
continues where it stopped.  Booked leadership visitors are shifted by the pause, or flagged for
rebooking, in the transaction that records the resume (:func:`_close`; decision 023).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.kernel.errors import Conflict, ValidationFailed
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.kernel.ports import DomainEvent
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership.pause import PauseEffect, shift_after_pause
from reception.offices.lookups import bump_version, office_by_code
from reception.offices.models import Office, Suspension
from reception.offices.rules import (
    SUSPENSION_REASONS,
    default_resume_at,
    local_now,
    suspension_in_force,
)
from reception.platform import i18n
from reception.platform.clock import Clock
from reception.platform.db import rows_changed
from reception.platform.speech import number_words

MAX_NOTE = 500
MAX_AFTER_MIN = 240


@dataclass(frozen=True)
class OfficeState:
    """API.md's office state: ``{code, suspended: {reason, since, resume_at?} | null}``."""

    code: str
    suspended: dict[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "suspended": self.suspended}


# --- reading ---------------------------------------------------------------------------------


# Asked by every issue and call: almost always "none", so first a prebuilt Core probe for the id,
# and the ORM row only when there is one (decision 026).
_S = Suspension.__table__.c
_OPEN_ID = select(_S.id).where(_S.office_id == bindparam("office"), _S.ended_at.is_(None)).limit(1)


def open_suspension(session: Session, office_id: int) -> Suspension | None:
    """The office's open row (in force, or with a resume that is due but not yet recorded)."""
    session.flush()  # the Core probe does not autoflush: a suspension opened in this unit of work counts
    row_id = session.connection().execute(_OPEN_ID, {"office": office_id}).scalar()
    return session.get(Suspension, row_id) if row_id is not None else None


def suspension_in_effect(session: Session, office_id: int, now: datetime) -> Suspension | None:
    """The suspension holding the office at ``now``, or None (a due resume counts as resumed)."""
    row = open_suspension(session, office_id)
    return row if row is not None and suspension_in_force(row.resume_at, now) else None


def _iso(moment: datetime | None, tz: str) -> str | None:
    return local_now(moment, tz).isoformat(timespec="seconds") if moment else None


def notice(row: Suspension, tz: str) -> dict[str, Any]:
    """What screens show: the contract's ``{reason, since, resume_at?}`` plus the words to show,
    in both languages, so a display or a phone never composes them itself."""
    resume = local_now(row.resume_at, tz).strftime("%H:%M") if row.resume_at else None
    view: dict[str, Any] = {"reason": row.reason, "since": _iso(row.since, tz)}
    if row.resume_at is not None:
        view["resume_at"] = _iso(row.resume_at, tz)
    for lang in i18n.LANGS:
        view[f"title_{lang}"] = i18n.t(f"suspension.title.{row.reason}", lang)
        view[f"message_{lang}"] = i18n.t(f"suspension.notice.{row.reason}", lang)
        view[f"kiosk_{lang}"] = i18n.t(f"suspension.visitor.{row.reason}", lang)
        view[f"kiosk_body_{lang}"] = i18n.t(f"suspension.kiosk.{row.reason}", lang)
        view[f"resume_{lang}"] = i18n.t("suspension.resume_at", lang, time=resume) if resume else None
    return view


def suspension_view(session: Session, office: Office, now: datetime) -> dict[str, Any] | None:
    """The office's suspension as screens show it, or None when it works."""
    row = suspension_in_effect(session, office.id, now)
    return notice(row, office.timezone) if row is not None else None


def office_state(session: Session, office: Office, now: datetime) -> OfficeState:
    row = suspension_in_effect(session, office.id, now)
    if row is None:
        return OfficeState(office.code, None)
    view = {"reason": row.reason, "since": _iso(row.since, office.timezone), "note": row.note}
    if row.resume_at is not None:
        view["resume_at"] = _iso(row.resume_at, office.timezone)
    return OfficeState(office.code, view)


def suspension_intervals(session: Session, office_id: int, start: datetime,
                         end: datetime) -> list[tuple[datetime, datetime]]:
    """The office's suspended time within ``[start, end)``, clipped, oldest first — for reports.

    An open suspension runs until its scheduled resume, or until ``end`` if none is set.
    """
    rows = session.scalars(
        select(Suspension).where(Suspension.office_id == office_id, Suspension.since < end)
        .order_by(Suspension.since)
    ).all()
    intervals = []
    for row in rows:
        until = row.ended_at or row.resume_at or end
        since, until = max(row.since, start), min(until, end)
        if since < until:
            intervals.append((since, until))
    return intervals


# --- writing ---------------------------------------------------------------------------------


def settle(uow: UnitOfWork, office: Office, now: datetime) -> Suspension | None:
    """For commands: the suspension in force, after recording a resume that fell due.

    A due resume is closed as of its scheduled time (so the record is exact however late the
    next write comes) and ``resumed`` is collected for the displays.
    """
    row = open_suspension(uow.session, office.id)
    if row is None:
        return None
    if suspension_in_force(row.resume_at, now):
        return row
    assert row.resume_at is not None  # not in force: a resume is due
    _close(uow, office, row, row.resume_at, now, None)
    return None


def _close(uow: UnitOfWork, office: Office, row: Suspension, at: datetime, now: datetime,
           user_id: int | None) -> bool:
    """Record the resume at ``at`` — once: the conditional UPDATE lets one of racing writers
    (two kiosks settling a due resume) claim it; only that one shifts the bookings and emits
    ``resumed``.  False for the others (the row was closed meanwhile)."""
    claimed = rows_changed(uow.session.execute(
        update(Suspension).where(Suspension.id == row.id, Suspension.ended_at.is_(None))
        .values(ended_at=at, resume_at=at).execution_options(synchronize_session="fetch")))
    if claimed != 1:
        return False
    effect = shift_after_pause(uow.session, office, row.since, at, now, user_id)
    _collect(uow, office, "resumed", row, now, effect)
    return True


def _locked_office(session: Session, code: str) -> Office:
    """The office row, locked: suspend and resume of one office run one at a time."""
    office = office_by_code(session, code)
    session.execute(select(Office.id).where(Office.id == office.id).with_for_update())
    return office


def _authorise(actor: Actor, office: Office) -> None:
    authorize(actor, Action.OFFICE_SUSPEND)
    actor.require_office(office.id)


def suspend_office(uow: UnitOfWork, clock: Clock, actor: Actor, office_code: str, reason: str,
                   note: str | None = None) -> OfficeState:
    """Stop issuing and calling at once. 409 if the office is already suspended.

    A suspension whose resume is only scheduled (the all-clear was given, a new alert came
    before the office reopened) is taken up again: its scheduled resume is cancelled.
    """
    if reason not in SUSPENSION_REASONS:
        raise ValidationFailed(detail=f"reason: one of {', '.join(SUSPENSION_REASONS)}")
    session = uow.session
    office = _locked_office(session, office_code)
    _authorise(actor, office)
    now = clock.now()
    row = settle(uow, office, now)
    if row is not None and row.resume_at is None:
        raise Conflict("error.already_suspended", since=local_now(row.since, office.timezone).strftime("%H:%M"))
    clean_note = (note or "").strip()[:MAX_NOTE] or None
    if row is None:
        row = Suspension(office_id=office.id, reason=reason, note=clean_note, since=now,
                         started_by_user_id=actor.user_id)
        session.add(row)
    else:
        row.reason, row.resume_at, row.ended_by_user_id = reason, None, None
        row.note = clean_note or row.note
    session.flush()
    audit(session, now, actor.user_id, "office.suspend", "office", office.code, {"reason": reason, "note": clean_note})
    _collect(uow, office, "suspended", row, now)
    return office_state(session, office, now)


def resume_office(uow: UnitOfWork, clock: Clock, actor: Actor, office_code: str, *,
                  after_min: int | None = None, all_clear: bool = False) -> OfficeState:
    """End the suspension now, or schedule its end. 409 if the office is not suspended.

    ``after_min``: resume that many minutes from now (0: now).  Without it, ``all_clear``
    applies the offices' rule (:func:`reception.offices.rules.default_resume_at`: 10 minutes, or 30
    after an alert that ran past opening time); with neither, the office resumes now.
    """
    if after_min is not None and not 0 <= after_min <= MAX_AFTER_MIN:
        raise ValidationFailed(detail=f"after_min: 0 to {MAX_AFTER_MIN}")
    session = uow.session
    office = _locked_office(session, office_code)
    _authorise(actor, office)
    now = clock.now()
    row = settle(uow, office, now)
    if row is None:
        raise Conflict("error.not_suspended")
    if after_min is not None:
        resume_at = now + timedelta(minutes=after_min)
    elif all_clear:
        resume_at = default_resume_at(row.since, now, office.opening_hours, office.timezone)
    else:
        resume_at = now
    row.ended_by_user_id = actor.user_id
    if resume_at <= now:
        if not _close(uow, office, row, now, now, actor.user_id):
            raise Conflict("error.not_suspended")
    else:
        row.resume_at = resume_at
        _collect(uow, office, "suspended", row, now)  # the same notice, now with the time it ends
    audit(session, now, actor.user_id, "office.resume", "office", office.code, {"resume_at": resume_at.isoformat()})
    return office_state(session, office, now)


def _collect(uow: UnitOfWork, office: Office, name: str, row: Suspension, now: datetime,
             effect: PauseEffect | None = None) -> None:
    version = bump_version(uow.session, office.id)
    payload: dict[str, Any] = {"version": version, "office": office.code}
    if name == "suspended":
        left = None if row.resume_at is None else max(ceil((row.resume_at - now).total_seconds() / 60), 1)
        payload |= notice(row, office.timezone) | announcement(row.reason, left)
    else:
        payload |= {"reason": row.reason, "resumed_at": _iso(row.ended_at, office.timezone)}
        if effect is not None:  # the leader's page and the call-centre refetch on these
            payload |= {"appointments_moved": effect.moved, "appointments_to_rebook": effect.to_rebook}
        payload |= {f"announce_{lang}": i18n.t("suspension.say.resumed", lang) for lang in i18n.LANGS}
    uow.collect(DomainEvent(name=name, office_code=office.code, version=version, payload=payload))


# --- words -----------------------------------------------------------------------------------


def minutes_phrase(n: int, lang: str = "uk") -> str:
    """«десять хвилин», «одну хвилину», «дві хвилини»: the accusative after «через»; "10 minutes"."""
    words = number_words(n, "f") if lang == "uk" else str(n)
    if words.endswith("одна"):
        words = words.removesuffix("одна") + "одну"
    return i18n.n("say.minutes", n, lang, words=words)


def announcement(reason: str, minutes_left: int | None) -> dict[str, str]:
    """What the hall hears: the alert itself, or the all-clear with the minutes until reopening."""
    if minutes_left is None:
        return {f"announce_{lang}": i18n.t(f"suspension.say.{reason}", lang) for lang in i18n.LANGS}
    return {f"announce_{lang}": " ".join((i18n.t(f"suspension.say.all_clear.{reason}", lang),
                                          i18n.t("suspension.say.in_min", lang, minutes=minutes_phrase(minutes_left, lang))))
            for lang in i18n.LANGS}

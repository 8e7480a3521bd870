"""Suspending an office during an air-raid alert or a blackout, and resuming it.

Commands (``uow, clock, ...`` first, run by ``Services``) open and close a
:class:`~reception.offices.models.Suspension` row and collect the typed :class:`Suspended` /
:class:`Resumed` events that the message bus fans out to displays, desks and phones after the commit.

A scheduled resume ("the all-clear was given, resume in 10 minutes") holds for everyone at its
minute without any write (docs/decisions/012-suspension.md): readers and the hot path (issuing,
calling) ask the pure :func:`reception.offices.rules.suspension_in_force` of the open row.  The
record (``ended_at = resume_at``, the ``resumed`` event) is written by a command:
:func:`resume_due` (the server's periodic job), :func:`resume_if_due` (a check-in, before its
window is checked), or suspend/resume themselves.

Waiting tickets are never touched: the queue carries on in the same order and numbering
continues where it stopped.  Booked leadership visitors are shifted by the pause in the
transaction that records the resume, by the leadership slice's in-transaction handler of
:class:`Resumed` (decision 023); this module does not know about them.
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
from reception.kernel.events import Resumed, Suspended
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.kernel.unit_of_work import UnitOfWork
from reception.offices.lookups import bump_version, office_by_code
from reception.offices.models import Office, Suspension
from reception.offices.rules import (
    SUSPENSION_REASONS,
    default_resume_at,
    suspension_in_force,
    to_local,
)
from reception.platform import i18n
from reception.platform.clock import Clock
from reception.platform.db import rows_changed
from reception.platform.i18n import Text
from reception.platform.speech import number_words

MAX_NOTE = 500
MAX_AFTER_MIN = 240
BY_MANAGER, BY_FEED = "manager", "feed"  # who suspended (``Suspension.source``; ``by`` in the office state)


@dataclass(frozen=True)
class OfficeState:
    """The office state of the API (``OfficeState``): ``{code, suspended: {reason, since, resume_at?} | null}``."""

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
    return to_local(moment, tz).isoformat(timespec="seconds") if moment else None


def notice(row: Suspension, tz: str) -> dict[str, Any]:
    """What screens show: the contract's ``{reason, since, resume_at?}`` plus the words to show,
    in both languages, so a display or a phone never composes them itself."""
    return notice_words(row.reason, to_local(row.since, tz),
                        to_local(row.resume_at, tz) if row.resume_at is not None else None) | {"by": row.source}


def notice_words(reason: str, since: datetime, resume_at: datetime | None) -> dict[str, Any]:
    """:func:`notice` from the facts (office-local moments), as the ``suspended`` event carries them."""
    resume = resume_at.strftime("%H:%M") if resume_at is not None else None
    view: dict[str, Any] = {"reason": reason, "since": since.isoformat(timespec="seconds")}
    if resume_at is not None:
        view["resume_at"] = resume_at.isoformat(timespec="seconds")
    for lang in i18n.LANGS:
        view[f"title_{lang}"] = i18n.t(f"suspension.title.{reason}", lang)
        view[f"message_{lang}"] = i18n.t(f"suspension.notice.{reason}", lang)
        view[f"kiosk_{lang}"] = i18n.t(f"suspension.visitor.{reason}", lang)
        view[f"kiosk_body_{lang}"] = i18n.t(f"suspension.kiosk.{reason}", lang)
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
    view = {"reason": row.reason, "since": _iso(row.since, office.timezone), "note": row.note, "by": row.source}
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


def _close_due(uow: UnitOfWork, office: Office, now: datetime) -> Suspension | None:
    """For the commands that record a resume: the suspension in force, after closing one whose
    scheduled resume fell due (as of its scheduled time, so the record is exact however late)."""
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
    (two server processes' jobs, a job and a check-in) claim it; only that one emits
    :class:`Resumed` (and so shifts the bookings).  False for the others (closed meanwhile)."""
    claimed = rows_changed(uow.session.execute(
        update(Suspension).where(Suspension.id == row.id, Suspension.ended_at.is_(None))
        .values(ended_at=at, resume_at=at).execution_options(synchronize_session="fetch")))
    if claimed != 1:
        return False
    version = bump_version(uow.session, office.id)
    uow.collect(Resumed(office_code=office.code, version=version, reason=row.reason,
                        since=to_local(row.since, office.timezone), resumed_at=to_local(at, office.timezone),
                        recorded_at=to_local(now, office.timezone), by_user_id=user_id))
    return True


def resume_due(uow: UnitOfWork, clock: Clock) -> int:
    """Record every scheduled resume that fell due, in every office: the server's periodic job
    (``reception.app``).  Until it runs, nothing waits for it: the rule already holds."""
    now = clock.now()
    due = uow.session.scalars(select(Suspension.office_id).where(
        Suspension.ended_at.is_(None), Suspension.resume_at.is_not(None), Suspension.resume_at <= now)).all()
    closed = 0
    for office_id in sorted(set(due)):
        office = uow.session.get(Office, office_id)
        assert office is not None
        _lock(uow.session, office)
        row = open_suspension(uow.session, office.id)
        if row is not None and not suspension_in_force(row.resume_at, now):
            closed += _close(uow, office, row, row.resume_at or now, now, None)
    return closed


def resume_if_due(uow: UnitOfWork, office: Office, now: datetime) -> None:
    """Record the office's resume if it fell due and no job has yet: for a command that must see
    its effects (a check-in's window follows the shifted bookings).  One read when nothing is due."""
    row = open_suspension(uow.session, office.id)
    if row is not None and not suspension_in_force(row.resume_at, now):
        _lock(uow.session, office)
        uow.session.expire(row)  # read again under the lock: a manager may have cancelled the resume meanwhile
        _close_due(uow, office, now)


def _locked_office(session: Session, code: str) -> Office:
    """The office row, locked: suspend and resume of one office run one at a time."""
    office = office_by_code(session, code)
    _lock(session, office)
    return office


def _lock(session: Session, office: Office) -> None:
    session.execute(select(Office.id).where(Office.id == office.id).with_for_update())


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
        raise ValidationFailed.because(Text.of("error.input.choice", name="reason", choices=tuple(SUSPENSION_REASONS)))
    session = uow.session
    office = _locked_office(session, office_code)
    _authorise(actor, office)
    now = clock.now()
    row = _close_due(uow, office, now)
    if row is not None and row.resume_at is None:
        raise Conflict("error.already_suspended", since=to_local(row.since, office.timezone).strftime("%H:%M"))
    clean_note = (note or "").strip()[:MAX_NOTE] or None
    if row is None:
        row = Suspension(office_id=office.id, reason=reason, note=clean_note, since=now,
                         started_by_user_id=actor.user_id)
        session.add(row)
    else:
        row.reason, row.resume_at, row.ended_by_user_id = reason, None, None
        row.source = BY_MANAGER  # taken up by hand: the feed's all-clear no longer ends it
        row.note = clean_note or row.note
    session.flush()
    audit(session, now, actor.user_id, "office.suspend", "office", office.code, {"reason": reason, "note": clean_note})
    _suspended(uow, office, row, now)
    return office_state(session, office, now)


def resume_office(uow: UnitOfWork, clock: Clock, actor: Actor, office_code: str, *,
                  after_min: int | None = None, all_clear: bool = False) -> OfficeState:
    """End the suspension now, or schedule its end. 409 if the office is not suspended.

    ``after_min``: resume that many minutes from now (0: now).  Without it, ``all_clear``
    applies the offices' rule (:func:`reception.offices.rules.default_resume_at`: 10 minutes, or 30
    after an alert that ran past opening time); with neither, the office resumes now.
    """
    if after_min is not None and not 0 <= after_min <= MAX_AFTER_MIN:
        raise ValidationFailed.because(Text.of("error.input.range", name="after_min", low=0, high=MAX_AFTER_MIN))
    session = uow.session
    office = _locked_office(session, office_code)
    _authorise(actor, office)
    now = clock.now()
    row = _close_due(uow, office, now)
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
        _suspended(uow, office, row, now)  # the same notice, now with the time it ends
    audit(session, now, actor.user_id, "office.resume", "office", office.code, {"resume_at": resume_at.isoformat()})
    return office_state(session, office, now)


def _suspended(uow: UnitOfWork, office: Office, row: Suspension, now: datetime) -> None:
    version = bump_version(uow.session, office.id)
    left = None if row.resume_at is None else max(ceil((row.resume_at - now).total_seconds() / 60), 1)
    tz = office.timezone
    uow.collect(Suspended(office_code=office.code, version=version, reason=row.reason, since=to_local(row.since, tz),
                          resume_at=to_local(row.resume_at, tz) if row.resume_at is not None else None,
                          minutes_left=left))


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


# --- the air-raid feed (reception.alerts.feed) -------------------------------------------------


def feed_suspend(uow: UnitOfWork, clock: Clock, office_code: str) -> bool:
    """An air-raid alert for the office's region started: suspend it, by the feed (``by: "feed"``).

    Nothing when a suspension is in force already (a manager's, or the feed's own); a feed suspension
    whose resume was only scheduled (a new alert before the office reopened) is taken up again.
    """
    session = uow.session
    office = _locked_office(session, office_code)
    now = clock.now()
    row = _close_due(uow, office, now)
    if row is not None:
        if row.source != BY_FEED or row.resume_at is None:
            return False
        row.resume_at, row.ended_by_user_id = None, None
    else:
        row = Suspension(office_id=office.id, reason="air_raid", note=None, since=now, source=BY_FEED)
        session.add(row)
    session.flush()
    audit(session, now, None, "office.suspend", "office", office.code, {"reason": "air_raid", "by": BY_FEED})
    _suspended(uow, office, row, now)
    return True


def feed_all_clear(uow: UnitOfWork, clock: Clock, office_code: str) -> bool:
    """The air-raid alert for the office's region ended: schedule the resume of the feed's own
    suspension by the offices' rule (:func:`default_resume_at`: 10 minutes, 30 after an alert past
    opening time). A manager's suspension is never resumed by the feed, nor one whose end a manager set."""
    session = uow.session
    office = _locked_office(session, office_code)
    now = clock.now()
    row = _close_due(uow, office, now)
    if row is None or row.source != BY_FEED or row.resume_at is not None:
        return False
    row.resume_at = default_resume_at(row.since, now, office.opening_hours, office.timezone)
    audit(session, now, None, "office.resume", "office", office.code,
          {"resume_at": row.resume_at.isoformat(), "by": BY_FEED})
    _suspended(uow, office, row, now)
    return True

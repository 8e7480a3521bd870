"""Storage term of reception records, then anonymisation (docs/decisions/008).

The rule is pure: the term counts, as Ukrainian archival practice counts storage terms, from
1 January of the year after the case was closed — for a record, the year it was removed from
control; for an appointment, the year its session was held. A record still on control is never
due, whatever its age. The term in years is office configuration (``records_retention_years``).

The service replaces the visitor's personal data with empty values, keeps what statistics need
(kind, category, social status, questions, dates, resolution, result), stamps ``anonymised_at``
(which also makes the record read-only) and writes one audit row per record with field *names*
only. It picks only rows without the stamp, so a second run changes nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.kernel.errors import ValidationFailed
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership.models import Appointment, ReceptionRecord, ReceptionSession
from reception.leadership.settings import LeadershipSettings
from reception.offices.lookups import office_by_code
from reception.offices.models import Office
from reception.offices.rules import office_day
from reception.platform.clock import Clock
from reception.platform.db import Database

# Every column of ReceptionRecord that identifies or reaches the visitor. They are NOT NULL
# (default ""), so "" is the neutral value; the UI shows the ``anonymised_at`` marker instead.
RECORD_PERSONAL = ("surname", "name", "patronymic", "address", "phone", "email")
# Appointment: surname/name are NOT NULL -> "", the optional ones -> NULL.
APPOINTMENT_PERSONAL = {"surname": "", "name": "", "patronymic": None, "phone": None}
MIN_YEARS, MAX_YEARS = 1, 100


# --- the rule (pure) ---------------------------------------------------------------------------

def check_term(years: Any) -> int:
    """The configured term, or ValidationFailed: a typo in settings must not anonymise everything."""
    if isinstance(years, bool) or not isinstance(years, int) or not MIN_YEARS <= years <= MAX_YEARS:
        raise ValidationFailed("error.retention_term", years=years)
    return years


def term_ends(closed: date, years: int) -> date:
    """The first day after the term: counted from 1 January of the year after ``closed``."""
    return date(closed.year + 1 + check_term(years), 1, 1)


def cutoff(today: date, years: int) -> date:
    """Closing dates strictly before this are past their term on ``today`` (the rule as a SQL bound)."""
    return date(today.year - check_term(years), 1, 1)


def record_due(removed_from_control: date | None, reception_date: date | None, years: int, today: date) -> bool:
    """Is a record due for anonymisation? Never while on control (no removal date).

    The later of the two dates anchors the term, so a (corrupt) removal before the reception
    cannot shorten it.
    """
    if removed_from_control is None:
        return False
    closed = max(removed_from_control, reception_date) if reception_date else removed_from_control
    return today >= term_ends(closed, years)


def appointment_due(session_day: date | None, years: int, today: date) -> bool:
    """An appointment is closed by its session; the same term then applies."""
    return session_day is not None and today >= term_ends(session_day, years)


# --- the service -------------------------------------------------------------------------------

@dataclass(frozen=True)
class RetentionOutcome:
    records: int = 0
    appointments: int = 0
    # (what, how many) of the parts other slices registered; not compared (the leadership's own figures are)
    others: tuple[tuple[str, int], ...] = dataclasses.field(default=(), compare=False)


# Other slices' retention (registered by the composition root, which knows both; decision 044):
# what -> (session, now, actor, office code) -> how many items were anonymised.
PARTS: dict[str, Callable[[Session, datetime, Actor | None, str | None], int]] = {}


def anonymise_due_records(uow: UnitOfWork, clock: Clock, actor: Actor | None = None,
                          office_code: str | None = None) -> int:
    """:func:`run_retention`, when only the number of records counts."""
    return run_retention(uow, clock, actor, office_code).records


def run_retention(uow: UnitOfWork, clock: Clock, actor: Actor | None = None,
                  office_code: str | None = None) -> RetentionOutcome:
    """Anonymise the records and appointments past their term, per office by its own term and day.

    ``actor`` None is the system (the CLI / the scheduled job); a person needs the manager role
    and the office.  A command: all offices in the caller's one unit of work.
    """
    now = clock.now()
    total = RetentionOutcome()
    for _office, years, records, appointments in _due(uow.session, now, actor, office_code):
        for rec in records:
            anonymise_record(uow.session, rec, now, actor, years)
        for appt in appointments:
            anonymise_appointment(uow.session, appt, now, actor, years)
        total = RetentionOutcome(total.records + len(records), total.appointments + len(appointments))
    others = tuple((what, part(uow.session, now, actor, office_code)) for what, part in PARTS.items())
    return RetentionOutcome(total.records, total.appointments, others)


def preview_retention(db: Database, clock: Clock, actor: Actor | None = None,
                      office_code: str | None = None) -> RetentionOutcome:
    """The dry run: what :func:`run_retention` would anonymise now, counted on a read session."""
    with db.read() as s:
        due = _due(s, clock.now(), actor, office_code)
        return RetentionOutcome(sum(len(r) for _, _, r, _ in due), sum(len(a) for _, _, _, a in due))


def records_terms(s: Session, now: datetime, actor: Actor | None, office_code: str | None) -> list[tuple[Office, date]]:
    """Per office the caller may act on: the office-local day before which a closed visit is past the
    records' term (for the slices that keep data about the same visits: feedback comments)."""
    return [(office, cutoff(office_day(now, office.timezone), _term(office)))
            for office in _offices(s, actor, office_code)]


def _term(office: Office) -> int:
    return check_term(LeadershipSettings.from_json(office.settings).records_retention_years)


def _due(s: Session, now: datetime, actor: Actor | None,
         office_code: str | None) -> list[tuple[Office, int, list[ReceptionRecord], list[Appointment]]]:
    """Per office the caller may act on: its term, and the records and appointments past it."""
    if actor is not None:
        authorize(actor, Action.RECORD_RETENTION)
    out = []
    for office in _offices(s, actor, office_code):
        years, today = _term(office), office_day(now, office.timezone)
        records = _due_records(s, office.id, years, today)
        out.append((office, years, records, _due_appointments(s, office.id, years, today, {r.id for r in records})))
    return out


def _offices(s: Session, actor: Actor | None, office_code: str | None) -> list[Office]:
    if office_code:
        office = office_by_code(s, office_code)
        if actor is not None:
            actor.require_office(office.id)
        return [office]
    query = select(Office).order_by(Office.id)
    if actor is not None and not actor.is_admin:
        query = query.where(Office.id.in_(actor.office_ids or {-1}))
    return list(s.scalars(query))


def _due_records(s: Session, office_id: int, years: int, today: date) -> list[ReceptionRecord]:
    rows = s.scalars(select(ReceptionRecord).where(
        ReceptionRecord.office_id == office_id, ReceptionRecord.anonymised_at.is_(None),
        ReceptionRecord.removed_from_control < cutoff(today, years),
    ).order_by(ReceptionRecord.id))
    return [r for r in rows if record_due(r.removed_from_control, r.reception_date, years, today)]


def _due_appointments(s: Session, office_id: int, years: int, today: date,
                      records_due: set[int]) -> list[Appointment]:
    """Past-term appointments, except those whose record still keeps its personal data (on control)."""
    kept = {appt_id for rec_id, appt_id in s.execute(
        select(ReceptionRecord.id, ReceptionRecord.appointment_id).where(
            ReceptionRecord.office_id == office_id, ReceptionRecord.appointment_id.is_not(None),
            ReceptionRecord.anonymised_at.is_(None)))
        if rec_id not in records_due}
    rows = s.scalars(select(Appointment).join(ReceptionSession, Appointment.session_id == ReceptionSession.id).where(
        ReceptionSession.office_id == office_id, Appointment.anonymised_at.is_(None),
        ReceptionSession.day < cutoff(today, years),
    ).order_by(Appointment.id)).unique()
    return [a for a in rows if a.id not in kept and appointment_due(a.session.day, years, today)]


def anonymise_record(s: Session, rec: ReceptionRecord, now: datetime, actor: Actor | None, years: int,
                     action: str = "record.anonymise") -> None:
    """Clear the visitor's fields, stamp, log (also the erasure on request, ``personal_data``)."""
    cleared = [f for f in RECORD_PERSONAL if getattr(rec, f)]
    for field in RECORD_PERSONAL:
        setattr(rec, field, "")
    rec.anonymised_at = rec.updated_at = now
    closed = rec.removed_from_control.isoformat() if rec.removed_from_control else None
    audit(s, now, actor.user_id if actor else None, action, "reception_record", rec.id,
          # Field names and dates only: the log must not keep what was just removed.
          {"fields": cleared, "term_years": years, "removed_from_control": closed, "automatic": actor is None})


def anonymise_appointment(s: Session, appt: Appointment, now: datetime, actor: Actor | None, years: int,
                          action: str = "appointment.anonymise") -> None:
    cleared = [f for f in APPOINTMENT_PERSONAL if getattr(appt, f)]
    for field, neutral in APPOINTMENT_PERSONAL.items():
        setattr(appt, field, neutral)
    appt.anonymised_at = now
    audit(s, now, actor.user_id if actor else None, action, "appointment", appt.id,
          {"fields": cleared, "term_years": years, "session_day": appt.session.day.isoformat(),
           "automatic": actor is None})


"""Reading the audit log: its kinds, its entries within the reader's offices, and the names its ids stand for.

The log is written by every slice (``reception.audit.writer``, at the bottom of the layers); reading it
joins every slice's tables (whose is a ticket, a device, a leader...), so it is a report, above the
slices it reads.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from reception.accounts.models import Device, User, UserOffice
from reception.audit.models import AuditLog
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize
from reception.leadership.models import Appointment, Leader, ReceptionRecord, ReceptionRule, ReceptionSession
from reception.leadership.sessions import slot_instants
from reception.offices.lookups import office_by_code
from reception.offices.models import Office
from reception.queue.models import Ticket

AUDIT_LIMIT = 500


def audit_kinds(session: Session) -> list[str]:
    return sorted(session.scalars(select(AuditLog.object_type).distinct()).all())


def _ids_as_text(column: Any) -> Any:
    return cast(column, String)


def _of_offices(office_ids: list[int]) -> Any:
    """The rows that belong to these offices' log (a WHERE clause on ``audit_log``).

    An entry is an office's when it says so (``detail.office``, or the office itself is the object),
    or when its object lives in the office: a record, booking, leader, rule, reception, ticket or
    device of it, or a member of its staff (an office's log includes the changes to the staff bound
    to it, as bound when read).  Anything else (sign-in locks, shared lists, staff of no office) is
    for administrators only.
    """
    codes = select(Office.code).where(Office.id.in_(office_ids))
    oid, kind = AuditLog.object_id, AuditLog.object_type
    owned: dict[str, Any] = {
        "user": select(_ids_as_text(UserOffice.user_id)).where(UserOffice.office_id.in_(office_ids)),
        "reception_record": select(_ids_as_text(ReceptionRecord.id)).where(ReceptionRecord.office_id.in_(office_ids)),
        "appointment": select(_ids_as_text(Appointment.id)).join(
            ReceptionSession, ReceptionSession.id == Appointment.session_id).where(
            ReceptionSession.office_id.in_(office_ids)),
        "leader": select(_ids_as_text(Leader.id)).where(Leader.office_id.in_(office_ids)),
        "reception_rule": select(_ids_as_text(ReceptionRule.id)).join(Leader, Leader.id == ReceptionRule.leader_id)
        .where(Leader.office_id.in_(office_ids)),
        "reception_session": select(_ids_as_text(ReceptionSession.id)).where(
            ReceptionSession.office_id.in_(office_ids)),
        "ticket": select(_ids_as_text(Ticket.id)).where(Ticket.office_id.in_(office_ids)),
        "device": select(_ids_as_text(Device.id)).where(Device.office_id.in_(office_ids)),
    }
    return or_((kind == "office") & oid.in_(codes), AuditLog.detail["office"].as_string().in_(codes),
               *((kind == name) & oid.in_(ids) for name, ids in owned.items()))


def audit_entries(session: Session, actor: Actor, *, office: str | None = None, date_from: date | None = None,
                  date_to: date | None = None, kind: str | None = None, tz: str = "Europe/Kyiv",
                  limit: int = AUDIT_LIMIT) -> list[dict[str, Any]]:
    """Newest first; ``date_from``/``date_to`` are local dates (both included) in ``tz``.

    Confined by the table's office scope: an auditor reads the log of their own offices, an
    administrator every row; naming an office one may not see is refused (403), not answered empty.
    """
    authorize(actor, Action.AUDIT_READ)
    scope: list[int] | None = None  # None: every row (administrators, no office asked for)
    if office:
        wanted = office_by_code(session, office)
        actor.require_office(wanted.id)
        scope = [wanted.id]
    elif not actor.is_admin:
        scope = sorted(actor.office_ids)
    zone = ZoneInfo(tz)
    query = select(AuditLog).order_by(AuditLog.id.desc())
    if scope is not None:
        query = query.where(_of_offices(scope or [-1]))
    if date_from:
        query = query.where(AuditLog.at >= datetime.combine(date_from, time(), zone))
    if date_to:
        query = query.where(AuditLog.at < datetime.combine(date_to + timedelta(days=1), time(), zone))
    if kind:
        query = query.where(AuditLog.object_type == kind)
    rows = session.scalars(query.limit(limit)).all()
    names = dict(session.execute(select(User.id, User.username).where(
        User.id.in_({r.user_id for r in rows if r.user_id}))).all())
    return [{"id": row.id, "at": row.at.astimezone(zone).isoformat(),
             "user": names.get(row.user_id) if row.user_id else None, "action": row.action,
             "object_type": row.object_type, "object_id": row.object_id, "office": _row_office(row),
             "detail": row.detail or {}} for row in rows]


def _row_office(row: AuditLog) -> str | None:
    if row.object_type == "office":
        return row.object_id
    detail = row.detail or {}
    value = detail.get("office")
    return str(value) if value else None


def audit_names(session: Session, entries: list[dict[str, Any]]) -> dict[str, dict[int, Any]]:
    """What a person reads instead of the ids the entries keep, resolved now from those ids:
    records by their registration index, leaders by name, receptions by leader, day and start,
    with their slot times (index -> "HH:MM").  Ids no longer found stay as they are."""
    record_ids, leader_ids, session_ids = set(), set(), set()
    for e in entries:
        detail = e["detail"]
        if e["object_type"] == "reception_record" and str(e["object_id"] or "").isdigit():
            record_ids.add(int(e["object_id"]))
        if isinstance(detail.get("leader"), int):
            leader_ids.add(detail["leader"])
        session_ids |= {detail[k] for k in ("session", "from_session", "to_session") if isinstance(detail.get(k), int)}
    receptions: dict[int, Any] = {}
    for rs in session.scalars(select(ReceptionSession).where(ReceptionSession.id.in_(session_ids))):
        local = ZoneInfo(rs.office.timezone)
        receptions[rs.id] = {"leader": (rs.leader.name_uk, rs.leader.name_en), "day": rs.day.strftime("%d.%m.%Y"),
                             "start": rs.start,
                             "slots": [at.astimezone(local).strftime("%H:%M") for at in slot_instants(rs, rs.office.timezone)]}
    return {"records": dict(session.execute(select(ReceptionRecord.id, ReceptionRecord.reg_index).where(
                ReceptionRecord.id.in_(record_ids))).all()),
            "leaders": {i: (uk, en) for i, uk, en in session.execute(select(Leader.id, Leader.name_uk, Leader.name_en)
                                                                     .where(Leader.id.in_(leader_ids)))},
            "receptions": receptions}


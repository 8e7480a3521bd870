"""Who may see whose personal data in leadership reception (docs/decisions/018).

One rule per kind of row, used by every reader (list, detail, card PDF, export, API and pages):

* a reception record: the admin all; managers and auditors those of their offices; a leader the
  records of their own receptions (``Leader.user_id``); whoever registered a record (operator,
  registrar, leader) that record; its executor that record; the call-centre the phone, e-mail and
  letter appeals of its offices (decision 042). A record outside the rule does not exist for the caller (404),
  and lists leave it out.
* an appointment (name, phone): the admin all; managers, auditors and the call-centre (who book
  and rebook) those of their offices; a leader those of their own sessions; an operator those of
  the sessions held today in their office — the visitors they may receive, not the register.

Only the existing role names are used here, so the role × action table can take them over.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, or_, select, true

from reception.kernel.identity import Actor
from reception.leadership.models import Leader, ReceptionRecord, ReceptionSession
from reception.offices.rules import office_day

OFFICE_WIDE_RECORDS = ("manager", "auditor")  # admin implies manager
OFFICE_WIDE_APPOINTMENTS = ("manager", "auditor", "call_centre")
TODAY_ONLY_APPOINTMENTS = ("operator",)
CALL_CENTRE_JOURNAL = ("phone", "email", "letter")


def record_visibility(actor: Actor) -> ColumnElement[bool]:
    """The records ``actor`` may see, as a WHERE clause on ``ReceptionRecord``."""
    if actor.is_admin:
        return true()
    in_office = ReceptionRecord.office_id.in_(actor.office_ids or {-1})
    if actor.has_any(OFFICE_WIDE_RECORDS):
        return in_office
    if actor.user_id is None:  # a device never reads records
        return false()
    own_receptions = ReceptionRecord.leader_id.in_(select(Leader.id).where(Leader.user_id == actor.user_id))
    own = [ReceptionRecord.created_by == actor.user_id, ReceptionRecord.executor_id == actor.user_id]
    if "leader" in actor.effective_roles:
        own.append(own_receptions)
    if "call_centre" in actor.effective_roles:  # the call-centre's journal: its offices' calls and e-mails
        own.append(ReceptionRecord.form.in_(CALL_CENTRE_JOURNAL))
    return and_(in_office, or_(*own))


def appointment_visible(actor: Actor, session: ReceptionSession, now: datetime) -> bool:
    """May ``actor`` see the visitors (names, phones) booked into ``session``?"""
    if actor.is_admin:
        return True
    if not actor.can_access_office(session.office_id):
        return False
    if actor.has_any(OFFICE_WIDE_APPOINTMENTS):
        return True
    if actor.user_id is not None and "leader" in actor.effective_roles and session.leader.user_id == actor.user_id:
        return True
    return actor.has_any(TODAY_ONLY_APPOINTMENTS) and session.day == office_day(now, session.office.timezone)

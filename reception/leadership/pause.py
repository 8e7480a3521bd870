"""Applying a suspension's pause to the day's bookings (decision 023).

Called by ``reception.offices.suspension`` inside the transaction that records the resume (by hand or
a scheduled one settling), after that transaction has claimed the resume — so one pause is
applied once, however many requests race to settle it.  The plan itself is pure
(:func:`reception.leadership.shift.plan_shift`); this module reads its input and writes it back.

Who is planned: visitors still to be received — booked, or checked in with their ticket still
waiting.  A moved booking keeps its code; its kiosk window and its ticket's appointment time
follow the new time.  A booked visitor the day has no room for is flagged ``needs_rebooking``
for the call-centre; a checked-in one keeps their ticket in the queue (waiting tickets keep
their places), so only the booked are flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.audit.writer import audit
from reception.leadership.models import Appointment, ReceptionSession
from reception.leadership.shift import BookedSlot, SessionSpan, plan_shift
from reception.offices.models import Office
from reception.offices.rules import office_day
from reception.queue.models import Ticket
from reception.queue.states import Status


@dataclass(frozen=True)
class PauseEffect:
    moved: int
    to_rebook: int


def shift_after_pause(session: Session, office: Office, since: datetime, until: datetime, now: datetime,
                      user_id: int | None) -> PauseEffect:
    """Move or flag the office's bookings that the pause ``[since, until)`` reached; audited."""
    sessions = session.scalars(
        select(ReceptionSession).where(ReceptionSession.office_id == office.id,
                                       ReceptionSession.status == "scheduled",
                                       ReceptionSession.ends_at > since,
                                       ReceptionSession.day <= office_day(until, office.timezone))
    ).unique().all()
    if not sessions:
        return PauseEffect(0, 0)
    rows = session.execute(
        select(Appointment, Ticket).join(Ticket, Ticket.id == Appointment.ticket_id, isouter=True)
        .where(Appointment.session_id.in_([rs.id for rs in sessions]),
               Appointment.needs_rebooking.is_(False),
               (Appointment.status == "booked")
               | ((Appointment.status == "checked_in") & (Ticket.status == Status.WAITING)))
    ).unique().all()
    appts = {a.id: (a, t) for a, t in rows}
    plan = plan_shift([SessionSpan(rs.id, rs.starts_at, rs.ends_at, rs.slot_min) for rs in sessions],
                      [BookedSlot(a.id, a.session_id, a.slot_at) for a, _ in appts.values()], since, until)
    moved = []
    for appt_id, new_at in plan.moves.items():
        appt, ticket = appts[appt_id]
        moved.append({"id": appt_id, "from": appt.slot_at.isoformat(), "to": new_at.isoformat()})
        appt.shifted_from = appt.shifted_from or appt.slot_at
        appt.slot_at = new_at
        if ticket is not None:
            ticket.appointment_at = new_at  # the queue holds them back until their (new) time
    flagged = [i for i in plan.rebook if appts[i][0].status == "booked"]
    for appt_id in flagged:
        appts[appt_id][0].needs_rebooking = True
    if moved or flagged:
        audit(session, now, user_id, "appointment.shift", "office", office.code,
              {"since": since.isoformat(), "until": until.isoformat(), "moved": moved, "rebook": flagged})
    return PauseEffect(len(moved), len(flagged))

"""A reception room shared by several leaders: whom the caller at its desk may call.

Leaders receive in the same room in turn (decision 031).  A booked visitor checked in early for
leader B must not be called by leader A, whose hours come first: call-next offers the caller only
the booked visitors of the session they hold — their own (their leader record), or, for a stand-in
without one, the session of this room they opened the desk for (the first one that had not ended
when they opened it).  Walk-ins are not anybody's booking and stay callable as before.

:func:`own_session_only` is the filter the call-next route hands to ``queue.commands.call_next``
(its ``keep``; the queue does not import this slice).  The queue asks it only when the waiting list
has appointments: a specialist desk never gets here, so its call-next costs no query more.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from reception.leadership.models import Appointment, Leader, ReceptionSession
from reception.offices.lookups import DeskRow
from reception.offices.models import Desk
from reception.queue.models import Ticket
from reception.queue.policy import Candidate, for_held_sessions

# Each waiting appointment's session and whether its leader is the caller. Built once.
_SESSIONS = (select(Ticket.id, Appointment.session_id, Leader.user_id == bindparam("user"))
             .join(Appointment, Appointment.id == Ticket.appointment_id)
             .join(ReceptionSession, ReceptionSession.id == Appointment.session_id)
             .join(Leader, Leader.id == ReceptionSession.leader_id)
             .where(Ticket.id.in_(bindparam("tickets", expanding=True))))
_IS_LEADER = select(Leader.id).where(Leader.user_id == bindparam("user")).limit(1)
_OPENED_FOR = (select(ReceptionSession.id)
               .where(ReceptionSession.desk_id == bindparam("desk"), ReceptionSession.status == "scheduled",
                      ReceptionSession.ends_at > bindparam("opened"))
               .order_by(ReceptionSession.starts_at, ReceptionSession.id).limit(1))


def held_sessions(session: Session, desk: Desk | DeskRow, user_id: int | None, mine: set[int]) -> set[int]:
    """The sessions the caller holds: ``mine`` (theirs as a leader) if they are a leader at all, else the
    session this desk was opened for."""
    if user_id is not None and (mine or session.scalar(_IS_LEADER, {"user": user_id}) is not None):
        return mine
    if desk.opened_at is None:
        return set()
    opened: datetime = desk.opened_at
    found = session.scalar(_OPENED_FOR, {"desk": desk.id, "opened": opened})
    return {found} if found is not None else set()


def own_session_only(session: Session, desk: Desk | DeskRow, user_id: int | None,
                     waiting: list[Candidate]) -> list[Candidate]:
    """``waiting`` less the booked visitors of sessions the caller does not hold (``policy.for_held_sessions``)."""
    booked = [t.id for t in waiting if t.is_appointment and not t.is_targeted]
    if not booked:
        return waiting
    rows = session.execute(_SESSIONS, {"tickets": booked, "user": user_id}).all()
    session_of = {ticket_id: session_id for ticket_id, session_id, _ in rows}
    mine = {session_id for _, session_id, is_mine in rows if is_mine}
    if len(mine) == len(set(session_of.values())):
        return waiting  # every booked visitor waiting is the caller's own
    return for_held_sessions(waiting, session_of, held_sessions(session, desk, user_id, mine))

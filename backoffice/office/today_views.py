"""The leader's reception today: booked visitors in slot order, check-in state, call next, finish."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from backoffice.office.common import current_office, flash_error, form_id, install_error_page
from reception.http.callers import acting, guard
from reception.http.wiring import wiring
from reception.kernel.errors import DomainError
from reception.kernel.permissions import Action, permits
from reception.leadership.schedule import leaders_of_user, list_leaders
from reception.leadership.today import leader_day

bp = Blueprint("office_today", __name__, url_prefix="/backoffice/reception")
install_error_page(bp)


@bp.get("/today")
@guard(Action.RECEPTION_TODAY)
def today() -> Any:
    """A leader sees their own sessions; a manager picks the leader (``?leader=``)."""
    actor = acting()
    w = wiring()
    office = current_office(actor)
    mine = leaders_of_user(w.db, actor.user_id) if actor.user_id else []
    leaders = list_leaders(w.db, actor, office["code"])
    every_leader = permits(actor, Action.SCHEDULE_MANAGE)  # a manager picks any leader of the office
    if not every_leader:
        leaders = [x for x in leaders if x["id"] in mine]
    chosen = form_id("leader") or (mine[0] if mine else None)
    if chosen not in [x["id"] for x in leaders]:
        chosen = leaders[0]["id"] if leaders and every_leader else None
    day = None
    if chosen is not None:
        try:
            day = leader_day(w.db, w.clock, actor, chosen)
        except DomainError as exc:
            flash_error(exc)
    # What the page offers is what the table allows: the room's buttons only for those who may run a desk.
    runs_desk = permits(actor, Action.DESK_OPERATE) and permits(actor, Action.TICKET_CALL_NEXT)
    return render_template("office/today.html", office=office, leaders=leaders, chosen=chosen, day=day,
                           runs_desk=runs_desk)

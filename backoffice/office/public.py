"""The public schedule page (/schedule): leadership reception hours, no personal data."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from backoffice.office.messages import WEEKDAYS
from reception.http.callers import guard
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.permissions import Action
from reception.leadership.sessions import public_schedule
from reception.offices.models import Office

bp = Blueprint("public_schedule", __name__)


def office_id() -> int:
    """``?office=CODE``, else the only (or first) active office — the page is public."""
    with wiring().db.read() as s:
        query = select(Office).where(Office.is_active.is_(True)).order_by(Office.id)
        code = (request.args.get("office") or "").replace("\x00", "")
        if code:
            query = query.where(Office.code == code)
        office = s.scalars(query).first()
        if office is None:
            abort(404)
        return office.id


@bp.get("/schedule")
@guard(Action.PUBLIC)
def schedule() -> Any:
    """Upcoming receptions grouped by date, in the visitor's language."""
    lang = request_lang()
    w = wiring()
    data = public_schedule(w.db, w.clock, office_id(), lang)
    days: dict[str, list[dict[str, Any]]] = {}
    for item in data["sessions"]:
        days.setdefault(item["date"], []).append(item)
    return render_template("office/public_schedule.html", data=data, days=days, weekdays=WEEKDAYS,
                           other_lang="en" if lang == "uk" else "uk")

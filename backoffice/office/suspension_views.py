"""The manager's one action during an alert: /backoffice/office/suspend — «Оголосити тривогу»
and «Відбій тривоги» (now, in N minutes or by the offices' rule)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from backoffice.office.common import current_office, flash_error, form_int, install_error_page, text
from reception.http.callers import acting, guard
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.errors import DomainError
from reception.kernel.permissions import Action
from reception.leadership.today import office_choices
from reception.offices.lookups import office_by_code
from reception.offices.rules import LATE_OPENING_DELAY_MIN, RESUME_DELAY_MIN, SUSPENSION_REASONS
from reception.offices.suspension import (
    MAX_AFTER_MIN,
    MAX_NOTE,
    resume_office,
    suspend_office,
    suspension_view,
)
from reception.platform import i18n

bp = Blueprint("office_suspension", __name__, url_prefix="/backoffice/office")
install_error_page(bp)


@bp.get("/suspend")
@guard(Action.OFFICE_SUSPEND)
def page() -> Any:
    actor = acting()
    w = wiring()
    office = current_office(actor)
    with w.db.read() as s:
        suspended = suspension_view(s, office_by_code(s, office["code"]), w.clock.now())
    return render_template("office/suspension.html", office=office, offices=office_choices(w.db, actor),
                           suspended=suspended, reasons=SUSPENSION_REASONS, max_note=MAX_NOTE,
                           max_after=MAX_AFTER_MIN, delay=RESUME_DELAY_MIN, late=LATE_OPENING_DELAY_MIN)


def _back(message_key: str | None = None) -> Any:
    if message_key:
        flash(i18n.t(message_key, request_lang()), "info")
    return redirect(url_for(".page", office=request.form.get("office")))


@bp.post("/suspend")
@guard(Action.OFFICE_SUSPEND)
def suspend() -> Any:
    actor = acting()
    try:
        wiring().services.value(suspend_office, actor, current_office(actor)["code"], text("reason", 16),
                                text("note", MAX_NOTE) or None)
    except DomainError as exc:
        flash_error(exc)
        return _back()
    return _back("susp.done_suspended")


@bp.post("/resume")
@guard(Action.OFFICE_SUSPEND)
def resume() -> Any:
    actor = acting()
    try:
        now = request.form.get("now") == "1"
        after = 0 if now else form_int("after_min")
        state = wiring().services.value(resume_office, actor, current_office(actor)["code"], after_min=after,
                                        all_clear=not now)
    except DomainError as exc:
        flash_error(exc)
        return _back()
    return _back("susp.done_scheduled" if state.suspended else "susp.done_resumed")

"""Manager's schedule page: leaders, their rules, exceptions, remote sessions, office settings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from backoffice.office.common import (
    current_office,
    flash_error,
    form_date,
    form_int,
    install_error_page,
    required_date,
    text,
)
from backoffice.office.messages import WEEKDAYS, rule_phrase, rule_phrases
from reception.http.callers import acting, guard
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.errors import DomainError, ValidationFailed
from reception.kernel.permissions import Action
from reception.leadership import schedule
from reception.leadership.indexes import EXAMPLE_LEADER, pattern_choices
from reception.leadership.sessions import list_sessions
from reception.leadership.today import office_desks, office_settings, update_settings
from reception.offices.rules import office_day
from reception.platform import i18n

bp = Blueprint("office_schedule", __name__, url_prefix="/backoffice/schedule")
install_error_page(bp)


@bp.get("")
@guard(Action.SCHEDULE_MANAGE)
def page() -> Any:
    actor = acting()
    w = wiring()
    office = current_office(actor)
    leaders = schedule.list_leaders(w.db, actor, office["code"])
    rules = {leader["id"]: schedule.list_rules(w.db, actor, leader["id"]) for leader in leaders}
    today = office_day(w.clock.now(), office["timezone"])
    sessions = list_sessions(w.db, w.clock, office["id"], today, today + timedelta(days=28))
    settings = office_settings(w.db, office["code"])
    leader_name = leaders[0]["name_uk"] if leaders else None
    return render_template("office/schedule.html", office=office, leaders=leaders, rules=rules, sessions=sessions,
                           desks=office_desks(w.db, office["code"]), settings=settings,
                           patterns=pattern_choices(settings.record_index_pattern, today.year, leader_name),
                           pattern_leader=leader_name or EXAMPLE_LEADER, year=today.year,
                           weekdays=WEEKDAYS, rule_phrase=rule_phrase, phrases=rule_phrases(request_lang()),
                           today=today.isoformat())


def _done(message_key: str = "sched.saved") -> Any:
    flash(i18n.t(message_key, request_lang()), "info")
    return redirect(url_for(".page", office=request.form.get("office")))


def _refused(exc: DomainError) -> Any:
    flash_error(exc)
    return redirect(url_for(".page", office=request.form.get("office")))


@bp.post("/leaders")
@guard(Action.SCHEDULE_MANAGE)
def add_leader() -> Any:
    actor = acting()
    w = wiring()
    try:
        fields = {k: text(k, None) for k in ("name_uk", "name_en", "position_uk", "position_en")}  # the service checks the length
        if not all(fields.values()):
            raise ValidationFailed("error.field_required", field=next(k for k, v in fields.items() if not v))
        w.services.value(schedule.create_leader, actor, office=current_office(actor)["code"],
                         user=text("user", 64) or None, **fields)
    except DomainError as exc:
        return _refused(exc)
    return _done()


@bp.post("/leaders/<int:leader_id>/rules")
@guard(Action.SCHEDULE_MANAGE)
def add_rule(leader_id: int) -> Any:
    actor = acting()
    w = wiring()
    try:
        nth_raw = request.form.get("nth") or ""
        w.services.value(
            schedule.add_rule, actor, leader_id, desk=text("desk", 32), weekday=form_int("weekday") or 0,
            nth=int(nth_raw) if nth_raw.lstrip("-").isdigit() else None, start=text("start", 5),
            end=text("end", 5), slot_min=form_int("slot_min") or 0, capacity=form_int("capacity"),
            valid_from=required_date("valid_from"), valid_to=form_date("valid_to"),
            remote=request.form.get("remote") == "1", video_url=text("video_url", 500) or None)
    except DomainError as exc:
        return _refused(exc)
    return _done()


@bp.post("/rules/<int:rule_id>/end")
@guard(Action.SCHEDULE_MANAGE)
def end_rule(rule_id: int) -> Any:
    """Ending a rule cannot be undone: it needs ``confirmed=1`` (the page's dialog), else a confirmation page."""
    actor = acting()
    w = wiring()
    try:
        if request.form.get("confirmed") != "1":
            rule = schedule.get_rule(w.db, actor, rule_id)
            return render_template("office/confirm_end_rule.html", rule=rule, office=current_office(actor),
                                   rule_phrase=rule_phrase)
        w.services.value(schedule.end_rule, actor, rule_id)
    except DomainError as exc:
        return _refused(exc)
    return _done()


@bp.post("/rules/<int:rule_id>/exceptions")
@guard(Action.SCHEDULE_MANAGE)
def add_exception(rule_id: int) -> Any:
    """Cancel or move one date; the booked visitors to inform are listed in the message."""
    actor = acting()
    w = wiring()
    try:
        result = w.services.value(
            schedule.add_exception, actor, rule_id, rule_date=required_date("date"),
            action=request.form.get("action") or "", new_date=form_date("new_date"),
            new_start=text("start", 5) or None, new_end=text("end", 5) or None, reason=text("reason", 500))
    except DomainError as exc:
        return _refused(exc)
    affected = result["affected_appointments"]
    if affected:
        who = "; ".join(f"{a['surname']} {a['name']} {a['phone'] or ''} ({a['booking_code']})" for a in affected)
        flash(i18n.t("sched.affected", request_lang(), n=len(affected), who=who), "info")
    return _done()


@bp.post("/sessions/<int:session_id>/remote")
@guard(Action.SCHEDULE_MANAGE)
def set_remote(session_id: int) -> Any:
    actor = acting()
    w = wiring()
    try:
        w.services.value(schedule.set_remote, actor, session_id, remote=request.form.get("remote") == "1",
                         video_url=text("video_url", 500) or None)
    except DomainError as exc:
        return _refused(exc)
    return _done()


@bp.post("/settings")
@guard(Action.SCHEDULE_MANAGE)
def save_settings() -> Any:
    actor = acting()
    w = wiring()
    try:
        values: dict[str, Any] = {k: request.form.get(k) for k in (
            "holiday_eve_shorten_min", "booking_cutoff_working_days", "reception_horizon_days", "checkin_early_min",
            "checkin_late_min", "record_index_pattern")}
        values["observe_public_holidays"] = request.form.get("observe_public_holidays") == "1"
        w.services.value(update_settings, actor, current_office(actor)["code"], values)
    except DomainError as exc:
        return _refused(exc)
    return _done()

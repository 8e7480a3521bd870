"""The manager's one action during an alert: /backoffice/office/suspend — «Оголосити тривогу»
and «Відбій тривоги» (now, in N minutes or by the offices' rule)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from reception import i18n
from reception.domain import LATE_OPENING_DELAY_MIN, RESUME_DELAY_MIN, SUSPENSION_REASONS
from reception.errors import DomainError
from reception.leadership.today import office_choices
from reception.lookups import office_by_code
from reception.permissions import Action
from reception.suspension import (
    MAX_AFTER_MIN,
    MAX_NOTE,
    resume_office,
    suspend_office,
    suspension_view,
)
from reception.web import acting, guard, request_lang, wiring

from .common import current_office, flash_error, form_int, install_error_page, text

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


i18n.register(
    {
        "susp.nav": {"uk": "Тривога", "en": "Alert"},
        "susp.title": {"uk": "Тривога і відбій", "en": "Alert and all clear"},
        "susp.working": {"uk": "Установа працює: кіоски видають талони, вікна викликають відвідувачів.",
                         "en": "The office is working: kiosks issue tickets, desks call visitors."},
        "susp.suspended_since": {"uk": "Прийом призупинено з {since}.", "en": "Reception suspended since {since}."},
        "susp.effects": {
            "uk": "Кіоски не видають талонів, вікна не викликають, табло й телефони відвідувачів показують оголошення. "
                  "Талони в черзі зберігають свої місця.",
            "en": "Kiosks issue no tickets, desks call nobody, displays and visitors’ phones show the notice. "
                  "Waiting tickets keep their places.",
        },
        "susp.declare": {"uk": "Оголосити тривогу", "en": "Declare an alert"},
        "susp.declare_again": {"uk": "Нова тривога: скасувати відновлення", "en": "New alert: cancel the reopening"},
        "susp.reason": {"uk": "Причина", "en": "Reason"},
        "susp.reason.air_raid": {"uk": "Повітряна тривога", "en": "Air-raid alert"},
        "susp.reason.blackout": {"uk": "Знеструмлення", "en": "Power outage"},
        "susp.reason.other": {"uk": "Інша причина", "en": "Other reason"},
        "susp.note": {"uk": "Примітка для журналу", "en": "Note for the log"},
        "susp.all_clear": {"uk": "Відбій тривоги", "en": "All clear"},
        "susp.after_min": {"uk": "Відновити прийом через, хв", "en": "Reopen in, min"},
        "susp.rule": {
            "uk": "Порожнє поле — за правилом: через {delay} хв після відбою; якщо тривога тривала під час "
                  "відкриття установи — через {late} хв.",
            "en": "Leave empty for the rule: {delay} min after the all clear; {late} min if the alert ran past "
                  "opening time.",
        },
        "susp.resume_now": {"uk": "Відновити прийом зараз", "en": "Reopen now"},
        "susp.done_suspended": {"uk": "Тривогу оголошено: видачу талонів і виклики зупинено.",
                                "en": "Alert declared: issuing and calling have stopped."},
        "susp.done_scheduled": {"uk": "Відбій прийнято: прийом відновиться у вказаний час.",
                                "en": "All clear noted: reception reopens at the time shown."},
        "susp.done_resumed": {"uk": "Прийом відновлено.", "en": "Reception has reopened."},
        "susp.other_offices": {"uk": "Інші установи", "en": "Other offices"},
        "susp.optional": {"uk": "необовʼязково", "en": "optional"},
    }
)

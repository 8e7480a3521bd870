"""Call-centre booking page: pick a session and slot, enter the visitor, read out the code; cancel, rebook."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from backoffice.office.common import current_office, flash_error, form_id, install_error_page, text
from reception.http.callers import acting, guard
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.errors import DomainError, ValidationFailed
from reception.kernel.permissions import Action
from reception.leadership import booking
from reception.leadership.sessions import list_sessions
from reception.leadership.today import priority_categories
from reception.offices.rules import office_day
from reception.platform import i18n

bp = Blueprint("office_booking", __name__, url_prefix="/backoffice/booking")
install_error_page(bp)


# The call screen hands a caller over to booking (decision 042): their name, phone and question, carried
# along the session links until the booking is made.
PREFILL = ("surname", "name", "patronymic", "phone", "topic")


def prefill_from_call() -> dict[str, str]:
    return {k: v.replace("\x00", "")[:2000] for k in PREFILL if (v := (request.args.get(k) or "").strip())}


def _context(actor: Any, session_id: int | None) -> dict[str, Any]:
    """Sessions of the next six weeks and the chosen one (with its slots)."""
    w = wiring()
    office = current_office(actor)
    today = office_day(w.clock.now(), office["timezone"])
    sessions = list_sessions(w.db, w.clock, office["id"], today, today + timedelta(days=42))
    return {"office": office, "sessions": sessions, "chosen": next((s for s in sessions if s["id"] == session_id), None),
            "categories": priority_categories(w.db), "bookable": [s for s in sessions if s["booking_open"]],
            "done": None, "found": None, "query": "", "form": prefill_from_call(), "prefill": prefill_from_call(),
            "to_rebook": booking.to_rebook(w.db, w.clock, actor, office["id"])}


@bp.get("")
@guard(Action.APPOINTMENT_BOOK)
def page() -> Any:
    """The booking screen; ``done`` shows a fresh booking's code, ``q`` searches bookings."""
    actor = acting()
    w = wiring()
    ctx = _context(actor, form_id("session"))
    done_id = form_id("done")
    try:
        if done_id:
            ctx["done"] = booking.get_appointment(w.db, w.clock, actor, done_id)
        query = (request.args.get("q") or "").strip()[:80]
        if query:
            ctx["query"] = query
            ctx["found"] = booking.search_bookings(w.db, w.clock, actor, query)
    except DomainError as exc:
        flash_error(exc)
    return render_template("office/booking.html", **ctx)


@bp.post("")
@guard(Action.APPOINTMENT_BOOK)
def book() -> Any:
    """Book; on a refusal the form comes back with what was typed and the reason."""
    actor = acting()
    w = wiring()
    session_id = form_id("session") or 0
    try:
        lang = request.form.get("conf_lang") if request.form.get("conf_lang") in i18n.LANGS else "uk"
        visit: dict[str, Any] = dict(surname=text("surname", 200), name=text("name", 200),
                     patronymic=text("patronymic", 200) or None, phone=text("phone", 32) or None,
                     category=text("category", 32) or None, topic=text("topic"), slot=_slot(), lang=lang or "uk")
        consent, email = request.form.get("notify_consent") == "1", text("notify_email", 320) or None
        if consent or email:  # messages about the booking, with the visitor's consent (decision 038)
            from flask import current_app

            from reception.notifications.bookings import book_with_consent
            from reception.notifications.config import NotifyConfig

            result = w.services.value(book_with_consent, actor, session_id, consent=consent,
                                      sms=consent and bool(visit["phone"]), email=email,
                                      config=NotifyConfig.from_mapping(current_app.config), **visit)
        else:
            result = w.services.value(booking.book, actor, session_id, **visit)
    except DomainError as exc:
        flash_error(exc)
        return _form_again(session_id)
    return redirect(url_for(".page", office=request.form.get("office"), session=session_id, done=result["id"]))


def _slot() -> datetime | None:
    raw = request.form.get("slot") or ""
    try:
        slot = datetime.fromisoformat(raw) if raw else None
    except ValueError as exc:
        raise ValidationFailed("error.field_choice", field="slot") from exc
    if slot is not None and slot.tzinfo is None:
        raise ValidationFailed("error.field_choice", field="slot")
    return slot


def _form_again(session_id: int) -> Any:
    ctx = _context(acting(), session_id) | {"form": request.form}
    return render_template("office/booking.html", **ctx), 422


@bp.post("/<int:appointment_id>/cancel")
@guard(Action.APPOINTMENT_BOOK)
def cancel(appointment_id: int) -> Any:
    actor = acting()
    w = wiring()
    try:
        appt = w.services.value(booking.cancel, actor, appointment_id, text("reason", 200) or None)
        flash(i18n.t("book.cancelled", request_lang(), code=appt["booking_code"]), "info")
        return redirect(url_for(".page", office=request.form.get("office"), q=appt["booking_code"]))
    except DomainError as exc:
        flash_error(exc)
    return redirect(url_for(".page", office=request.form.get("office"), q=request.form.get("q")))


@bp.post("/<int:appointment_id>/rebook")
@guard(Action.APPOINTMENT_BOOK)
def rebook(appointment_id: int) -> Any:
    actor = acting()
    w = wiring()
    try:
        appt = w.services.value(booking.rebook, actor, appointment_id, form_id("session") or 0)
        flash(i18n.t("book.rebooked", request_lang(), code=appt["booking_code"]), "info")
        return redirect(url_for(".page", office=request.form.get("office"), session=appt["session"], done=appt["id"]))
    except DomainError as exc:
        flash_error(exc)
    return redirect(url_for(".page", office=request.form.get("office"), q=request.form.get("q")))

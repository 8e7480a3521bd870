"""Reception records pages: search and overdue list, a new record (from a ticket), view/edit, print."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from backoffice.office.common import current_office, flash_error, form_date, form_id, install_error_page, text
from reception.http.callers import acting, guard
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.errors import DomainError, ValidationFailed
from reception.kernel.permissions import Action, permits
from reception.leadership import records
from reception.leadership.schedule import list_leaders
from reception.leadership.texts import ANSWER_METHODS, AUTHORSHIP, FORMS, KINDS
from reception.leadership.today import priority_categories
from reception.platform import i18n

bp = Blueprint("office_records", __name__, url_prefix="/backoffice/records")
install_error_page(bp)
# Sizes are not cut here: the record schema (record_values.RecordValues) refuses what is too long.
TEXT_FIELDS = ("received_by_name", "received_by_position", "surname", "name", "patronymic", "address", "phone",
               "email", "social_status", "resolution", "resolution_author", "executor", "result")


def _choices() -> dict[str, Any]:
    return {"kinds": KINDS, "authorships": AUTHORSHIP, "answer_methods": ANSWER_METHODS, "forms": FORMS,
            "categories": priority_categories(wiring().db)}


def fields_from_form() -> dict[str, Any]:
    """The record form as record fields; a bad date or choice is a ValidationFailed.

    An empty date stays None: the service then keeps the default (a new record) or refuses to
    clear a required value (an edit).
    """
    data: dict[str, Any] = {k: text(k, None) for k in TEXT_FIELDS}
    data["questions"] = [line.strip() for line in text("questions", None).splitlines() if line.strip()]
    data["kind"] = request.form.get("kind") or ""
    data["authorship"] = request.form.get("authorship") or "individual"
    data["category"] = text("category", None) or None
    data["form"] = request.form.get("form") or "personal_reception"  # decision 042: every form of appeal
    if data["form"] not in FORMS:
        raise ValidationFailed("error.field_choice", field="form")
    data["answer_method"] = request.form.get("answer_method") or ""
    if data["answer_method"] not in ANSWER_METHODS:
        raise ValidationFailed("error.field_choice", field="answer_method")
    for flag in ("conceal_name", "is_repeat", "needs_study"):
        data[flag] = request.form.get(flag) == "1"
    data["reception_date"] = form_date("reception_date")
    data["removed_from_control"] = form_date("removed_from_control")
    data["leader_id"] = form_id("leader_id")
    return data


@bp.get("")
@guard(Action.RECORD_READ)
def index() -> Any:
    """Search with filters; ``state=overdue`` is the overdue list."""
    actor = acting()
    w = wiring()
    office = current_office(actor)
    args = request.args
    found: list[dict[str, Any]] = []
    try:
        found = w.services.value(
            records.search_records, actor, office=office["code"], q=args.get("q"), kind=args.get("kind") or None,
            state=args.get("state") or None, date_from=form_date("from"), date_to=form_date("to"))
    except DomainError as exc:
        flash_error(exc)
    return render_template("office/records.html", office=office, records=found, args=args,
                           can_write=permits(actor, Action.RECORD_WRITE),
                           can_manage=permits(actor, Action.PERSONAL_DATA), **_choices())


@bp.route("/new", methods=["GET", "POST"])
@guard(Action.RECORD_WRITE)
def new() -> Any:
    """Start a record; ``?ticket=`` prefills what the finished ticket knows (the desk console links here)."""
    actor = acting()
    w = wiring()
    office = current_office(actor)
    prefill: dict[str, Any] = {"needs_study": True, "authorship": "individual"}
    ticket_id = form_id("ticket")
    try:
        if ticket_id:
            prefill |= records.prefill_from_ticket(w.db, actor, ticket_id)
            office = {"code": prefill["office"]}  # the ticket's office, whatever the picker says
        if request.method == "POST":
            fields = fields_from_form() | {"ticket_id": ticket_id, "appointment_id": form_id("appointment_id")}
            rec = w.services.value(records.create_record, actor, office["code"], fields)
            flash(i18n.t("rec.created", request_lang(), index=rec["reg_index"]), "info")
            return redirect(url_for(".view", record_id=rec["id"]))
    except DomainError as exc:
        flash_error(exc)
        if request.method == "POST":
            prefill |= _form_as_record()
            return _form(office, prefill, actor, None, status=422)
    return _form(office, prefill, actor, None)


def _form_as_record() -> dict[str, Any]:
    """What was typed, shaped like a record, to show the form again after a refusal."""
    out: dict[str, Any] = {k: request.form.get(k, "") for k in TEXT_FIELDS}
    out |= {k: request.form.get(k) for k in ("kind", "authorship", "category", "answer_method", "reception_date", "form",
                                             "removed_from_control", "extended_to", "extension_reason")}
    out["questions"] = [q for q in (request.form.get("questions") or "").splitlines() if q.strip()]
    out |= {flag: request.form.get(flag) == "1" for flag in ("conceal_name", "is_repeat", "needs_study",
                                                             "applicant_informed")}
    out["leader_id"] = request.form.get("leader_id", type=int)
    return out


def _form(office: dict[str, Any], rec: dict[str, Any], actor: Any, record_id: int | None, status: int = 200) -> Any:
    if isinstance(rec.get("category"), dict):
        rec = rec | {"category": rec["category"]["code"]}
    leaders = list_leaders(wiring().db, actor, office["code"])
    # The call-centre registers calls (records.check_form_allowed); the desk, personal receptions.
    default_form = "phone" if not actor.has_any(records.ALL_FORMS_ROLES) and not actor.is_admin else "personal_reception"
    return render_template("office/record_form.html", office=office, rec=rec, record_id=record_id, leaders=leaders,
                           default_form=default_form,
                           can_write=permits(actor, Action.RECORD_WRITE), **_choices()), status


@bp.route("/<int:record_id>", methods=["GET", "POST"])
@guard(Action.RECORD_READ, post=Action.RECORD_WRITE)
def view(record_id: int) -> Any:
    """View (logged) and, for writers, edit the record — including the extension and removal from control."""
    actor = acting()
    w = wiring()
    try:
        if request.method == "POST":
            changes = fields_from_form()
            if form_date("extended_to"):
                changes |= {"extended_to": form_date("extended_to"),
                            "extension_reason": text("extension_reason", 1000),
                            "applicant_informed": request.form.get("applicant_informed") == "1"}
            w.services.value(records.update_record, actor, record_id, changes, form_id("version"))
            flash(i18n.t("rec.saved", request_lang()), "info")
            return redirect(url_for(".view", record_id=record_id))
        rec = w.services.value(records.get_record, actor, record_id)
    except DomainError as exc:
        if exc.status == 404:  # unknown, or hidden by the visibility rule: the same 404 page
            raise
        flash_error(exc)
        if request.method != "POST":
            return redirect(url_for(".index"))
        rec = w.services.value(records.get_record, actor, record_id) | _form_as_record()
        return _form({"code": rec["office"]}, rec, actor, record_id, status=422)
    return _form({"code": rec["office"]}, rec, actor, record_id)


@bp.get("/<int:record_id>/card.pdf")
@guard(Action.RECORD_READ)
def card(record_id: int) -> Any:
    actor = acting()
    w = wiring()
    try:
        pdf = records.card_pdf(w.services, actor, record_id)
    except DomainError as exc:
        if exc.status == 404:
            raise
        flash_error(exc)
        return redirect(url_for(".index"))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="card-{record_id}.pdf"', "Cache-Control": "no-store"})

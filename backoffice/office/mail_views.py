"""The e-mail intake's page (decision 043): /backoffice/mail — the drafts read from the office's mailbox, and
the one decision on each (accept as an appeal, merge into one, discard); /backoffice/mail/answer/<record> — an
appeal's answer by e-mail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from backoffice.office.common import current_office, flash_error, form_id, install_error_page, text
from reception.appeals import inbox
from reception.http.callers import acting, guard
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.errors import DomainError, ValidationFailed
from reception.kernel.permissions import Action
from reception.leadership.texts import AUTHORSHIP, KINDS
from reception.leadership.today import office_choices
from reception.offices.lookups import office_by_code
from reception.offices.rules import to_local
from reception.platform import i18n

bp = Blueprint("office_mail", __name__, url_prefix="/backoffice/mail")
install_error_page(bp)


@bp.get("")
@guard(Action.MAIL_READ)
def page() -> Any:
    actor = acting()
    w = wiring()
    office = current_office(actor)
    status = request.args.get("status") or "draft"
    if status not in inbox.STATUSES:
        status = "draft"
    mails = w.services.value(inbox.list_mails, actor, office=office["code"], status=status)
    with w.db.read() as s:
        timezone = office_by_code(s, office["code"]).timezone
    for mail in mails:  # the office's own clock, as every page shows times
        mail["received_local"] = to_local(datetime.fromisoformat(mail["received_at"]), timezone).strftime(
            "%d.%m.%Y %H:%M")
    chosen_id = form_id("id")
    chosen = next((m for m in mails if m["id"] == chosen_id), mails[0] if mails else None)
    earlier = []
    if chosen is not None and chosen["status"] == "draft":
        with w.db.read() as s:
            earlier = inbox.earlier_appeals(s, actor, chosen["id"])
    return render_template("mail/drafts.html", office=office, offices=office_choices(w.db, actor), mails=mails,
                           chosen=chosen, earlier=earlier, status=status, statuses=inbox.STATUSES, kinds=KINDS, authorships=AUTHORSHIP)


def _back(mail_id: int | None = None, message_key: str | None = None) -> Any:
    if message_key:
        flash(i18n.t(message_key, request_lang()), "info")
    return redirect(url_for(".page", office=request.form.get("office"), id=mail_id))


@bp.post("/<int:mail_id>/accept")
@guard(Action.MAIL_DECIDE)
def accept(mail_id: int) -> Any:
    actor = acting()
    fields: dict[str, Any] = {key: text(key, None) or None for key in ("surname", "name", "patronymic", "topic", "email")}
    fields |= {"kind": request.form.get("kind") or "", "summary": text("summary", None),
               "authorship": request.form.get("authorship") or "individual"}
    try:
        if fields["kind"] not in KINDS:
            raise ValidationFailed("error.field_choice", field=i18n.t("mail.page.kind", request_lang()))
        done = wiring().services.value(inbox.accept, actor, mail_id, fields)
    except DomainError as exc:
        flash_error(exc)
        return _back(mail_id)
    flash(i18n.t("mail.page.accepted", request_lang(), index=done["record"]["reg_index"]), "info")
    return redirect(url_for(".page", office=request.form.get("office")))


@bp.post("/<int:mail_id>/merge")
@guard(Action.MAIL_DECIDE)
def merge(mail_id: int) -> Any:
    actor = acting()
    try:
        record_id = form_id("record_id")
        if record_id is None:
            raise ValidationFailed("error.field_required", field=i18n.t("mail.page.record_id", request_lang()))
        wiring().services.value(inbox.merge, actor, mail_id, record_id)
    except DomainError as exc:
        flash_error(exc)
        return _back(mail_id)
    return _back(None, "mail.page.merged")


@bp.post("/<int:mail_id>/discard")
@guard(Action.MAIL_DECIDE)
def discard(mail_id: int) -> Any:
    actor = acting()
    try:
        wiring().services.value(inbox.discard, actor, mail_id, text("reason", None))
    except DomainError as exc:
        flash_error(exc)
        return _back(mail_id)
    return _back(None, "mail.page.discarded")


@bp.get("/answer/<int:record_id>")
@guard(Action.MAIL_ANSWER)
def answer_page(record_id: int) -> Any:
    actor = acting()
    w = wiring()
    with w.db.read() as s:
        target = inbox.answer_target(s, actor, record_id)
    return render_template("mail/answer.html", target=target, max_body=inbox.ANSWER_MAX)


@bp.post("/answer/<int:record_id>")
@guard(Action.MAIL_ANSWER)
def answer(record_id: int) -> Any:
    actor = acting()
    try:
        sent = wiring().services.value(inbox.answer_by_email, actor, record_id, text("body", None),
                                       text("subject", 190) or None)
    except DomainError as exc:
        flash_error(exc)
        return redirect(url_for(".answer_page", record_id=record_id))
    flash(i18n.t("mail.page.answer_queued", request_lang(), address=sent["sent_to"]), "info")
    return redirect(url_for(".answer_page", record_id=record_id))

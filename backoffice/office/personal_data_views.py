"""One person's data on request (decision 018): find, download the export, erase what the law lets go."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, render_template, request

from backoffice.office.common import flash_error, install_error_page
from reception.http.api.routes_personal_data import export_response
from reception.http.callers import acting, guard
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.errors import DomainError, ValidationFailed
from reception.kernel.permissions import Action
from reception.leadership import personal_data, personal_data_doc
from reception.platform import i18n

bp = Blueprint("office_personal_data", __name__, url_prefix="/backoffice/personal-data")
install_error_page(bp)


def _subject() -> personal_data.Subject:
    return personal_data.Subject.parse(request.values.get("phone"), request.values.get("surname"),
                                       request.values.get("name"))


@bp.route("", methods=["GET", "POST"])
@guard(Action.PERSONAL_DATA)
def page() -> Any:
    """GET with a phone or surname finds; POST erases (CSRF, a confirmation box) and shows what is left."""
    actor = acting()
    w = wiring()
    lang = request_lang()
    query = {k: (request.values.get(k) or "").strip() for k in ("phone", "surname", "name")}
    found: dict[str, Any] | None = None
    kept: list[dict[str, Any]] = []
    status = 200
    try:
        if request.method == "POST":
            if request.form.get("confirm") != "1":
                raise ValidationFailed("error.pd_confirm")
            done = w.services.value(personal_data.erase_person, actor, _subject(), lang)
            flash(i18n.t("pd.erased", lang, records=len(done["erased"]["records"]),
                         appointments=len(done["erased"]["appointments"])), "info")
            kept = done["kept"]
        if any(query.values()):
            found = w.services.value(personal_data.find_person, actor, _subject())
    except DomainError as exc:
        flash_error(exc)
        status = exc.status if request.method == "POST" else 200
    return render_template("office/personal_data.html", query=query, found=found, kept=kept), status


@bp.get("/export")
@guard(Action.PERSONAL_DATA)
def export() -> Any:
    """The export for machines (JSON)."""
    actor = acting()
    w = wiring()
    return export_response(w.services.value(personal_data.export_person, actor, _subject()))


@bp.get("/export.pdf")
@guard(Action.PERSONAL_DATA)
def export_document() -> Any:
    """The same export as a document the citizen can read (PDF in the page's language); logged as the JSON is."""
    actor = acting()
    w = wiring()
    data = w.services.value(personal_data.export_person, actor, _subject())
    body = personal_data_doc.to_pdf(data, request_lang())
    name = personal_data_doc.filename(w.clock.now().date())
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})

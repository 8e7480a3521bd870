"""The auditor's page (/backoffice/audit): the append-only audit log, filtered, read-only."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from backoffice.admin.messages import action_label, describe, object_label, readable_entry
from backoffice.office.common import flash_error, install_error_page
from reception.http.api.routes_administration import read_audit
from reception.http.callers import acting, guard
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.errors import DomainError, Forbidden
from reception.kernel.permissions import Action
from reception.leadership.today import office_choices
from reception.platform import i18n
from reception.reports import audit_log

bp = Blueprint("admin_audit", __name__, url_prefix="/backoffice/audit")
install_error_page(bp)


@bp.get("")
@guard(Action.AUDIT_READ)
def page() -> Any:
    actor = acting()
    entries: list[dict[str, Any]] = []
    try:
        entries = read_audit(actor, request.args, labels=(i18n.t("adm.audit.from", request_lang()),
                                                          i18n.t("adm.audit.to", request_lang())))
    except Forbidden:
        raise  # another office's log: the 403 page, never an empty log that looks like "nothing happened"
    except DomainError as exc:
        flash_error(exc)
    lang = request_lang()
    with wiring().db.read() as s:
        kinds = audit_log.audit_kinds(s)
        names = audit_log.audit_names(s, entries)
    entries = [readable_entry(e, names, lang) for e in entries]
    return render_template("admin/audit.html", entries=entries, kinds=kinds, offices=office_choices(wiring().db, actor),
                           args=request.args, limit=audit_log.AUDIT_LIMIT, describe=describe,
                           action_label=action_label, object_label=object_label)

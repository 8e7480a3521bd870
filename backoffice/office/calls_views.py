"""The call-centre's screen (decision 042): a call registered from the keyboard in under a minute, the
caller's earlier appeals, a draft kept on the server; and the control page of overdue and near-due appeals."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, url_for

from backoffice.office.common import current_office, flash_error, install_error_page
from reception.appeals import journal
from reception.http.callers import acting, guard
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.errors import DomainError
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action
from reception.kernel.unit_of_work import UnitOfWork
from reception.leadership import records, topics
from reception.leadership.texts import FORMS, KINDS, label
from reception.offices.lookups import office_by_code
from reception.offices.rules import office_day
from reception.platform import i18n
from reception.platform.clock import Clock

bp = Blueprint("office_calls", __name__, url_prefix="/backoffice/calls")
install_error_page(bp)
NEAR_DUE_DAYS = 5  # the control page's "due soon": within this many days
# The call screen's words, for its script (the keys' suffixes).
SCRIPT_TEXTS = ("saved", "draft_saved", "draft_restored", "draft_failed", "cleared", "clear_again", "searching",
                "no_earlier", "earlier_n", "repeat_of", "not_repeat", "due_on", "on_spot", "consultation",
                "network", "signed_out", "phone_first", "status_consultation", "status_on_spot", "status_answered",
                "status_overdue", "status_on_control", "form_phone", "form_email", "form_letter",
                "form_personal_reception")


@bp.get("")
@guard(Action.APPEAL_REGISTER)
def page() -> Any:
    actor = acting()
    w = wiring()
    lang = request_lang()
    office = current_office(actor)
    with w.db.read() as s:
        topic_list = [t for t in topics.list_topics(s, actor, office["code"]) if t["active"]]
        people = journal.executors(s, actor, office["code"])
    today = office_day(w.clock.now(), office["timezone"])
    config = {
        "office": office["code"], "today": today.isoformat(), "lang": lang,
        "booking": url_for("office_booking.page", office=office["code"]),
        "texts": {k: i18n.t(f"calls.js.{k}", lang) for k in SCRIPT_TEXTS},
    }
    return render_template("office/calls.html", office=office, kinds=KINDS, topics=topic_list, executors=people,
                           config=config, lang_key=f"name_{lang}")


@bp.get("/control")
@guard(Action.APPEAL_CONTROL)
def control() -> Any:
    """Overdue and due-soon appeals: the manager's (every one they see) and one's own as the executor."""
    actor = acting()
    w = wiring()
    lang = request_lang()
    office = current_office(actor)
    lists: dict[str, list[dict[str, Any]]] = {"overdue": [], "near": [], "mine": []}
    try:
        lists["overdue"] = w.services.value(journal_list, actor, office["code"], overdue=True)
        lists["near"] = w.services.value(journal_list, actor, office["code"], near_due_days=NEAR_DUE_DAYS)
        lists["mine"] = w.services.value(journal_list, actor, office["code"], overdue=True,
                                         near_due_days=NEAR_DUE_DAYS, mine=True)
    except DomainError as exc:
        flash_error(exc)
    with w.db.read() as s:
        names = topics.topic_names(office_by_code(s, office["code"]), lang)
    forms = {k: label(FORMS, k, lang) for k in FORMS}
    return render_template("office/control.html", office=office, lists=lists, topic_names=names, forms=forms,
                           kinds=KINDS, near_days=NEAR_DUE_DAYS)


def journal_list(uow: UnitOfWork, clock: Clock, actor: Actor, office: str, **filters: Any) -> list[dict[str, Any]]:
    return records.search_records(uow, clock, actor, office=office, limit=500, **filters)

"""The office's messages to visitors (/backoffice/messages): each one's channel, masked address and
state — queued, sent, or not sent with the reason (decision 037)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request

from backoffice.office.common import current_office, install_error_page
from reception.http.callers import acting, guard
from reception.http.language import request_lang
from reception.http.wiring import wiring
from reception.kernel.permissions import Action
from reception.leadership.today import office_choices
from reception.notifications.models import MESSAGE_STATUSES
from reception.notifications.reads import LIMIT, list_messages
from reception.platform import i18n

bp = Blueprint("office_messages", __name__, url_prefix="/backoffice/messages")
install_error_page(bp)


def _local(iso: str | None, tz: str) -> str:
    if not iso:
        return ""
    return datetime.fromisoformat(iso).astimezone(ZoneInfo(tz)).strftime("%d.%m.%Y %H:%M")


def kind_label(kind: str, lang: str) -> str:
    key = f"ntf.kind.{kind}"
    return i18n.t(key, lang) if i18n.known(key) else kind


@bp.get("")
@guard(Action.MESSAGES_READ)
def page() -> Any:
    actor = acting()
    w = wiring()
    office = current_office(actor)
    status = request.args.get("status") or None
    if status not in MESSAGE_STATUSES:
        status = None
    with w.db.read() as s:
        items = list_messages(s, actor, office=office["code"], status=status)
    tz = office.get("timezone") or "Europe/Kyiv"
    for item in items:
        item["created_local"], item["sent_local"] = _local(item["created_at"], tz), _local(item["sent_at"], tz)
        item["next_local"] = _local(item["next_attempt_at"], tz)
    lang = request_lang()
    return render_template("office/messages.html", office=office, offices=office_choices(w.db, actor),
                           items=items, status=status, statuses=MESSAGE_STATUSES, limit=LIMIT,
                           kind_label=lambda k: kind_label(k, lang), section_title="ntf.title")

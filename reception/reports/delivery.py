"""Reports that arrive: a manager's (or auditor's) e-mail subscription to an office's weekly or monthly
report, and the daily job that writes the PDF and XLSX and queues the e-mail (decision 041).

A subscription is a ``Subscription`` row (topic ``reports``, channel ``email``, ``data.period`` week |
month) of the subscriber. Each day at ``REPORT_HOUR`` the job looks for the periods that ended
yesterday, office-local: on a Monday the week before (Monday to Sunday), on the 1st the month before.
For each subscription due it renders the report *as the subscriber would see it* (their roles and
offices today: someone who lost access gets nothing), writes the two files under the instance
folder's ``reports`` directory and queues one message whose idempotency key is
``report:{subscription}:{period}:{first day}``, so a second run, a second server process or a restart
never sends a period twice. The message goes out through the outbox like every other.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.accounts.models import User
from reception.audit.writer import audit
from reception.kernel.errors import Forbidden, NotFound, ValidationFailed
from reception.kernel.identity import Actor
from reception.kernel.permissions import Action, authorize, permits
from reception.kernel.unit_of_work import UnitOfWork
from reception.notifications.models import Message, Subscription
from reception.notifications.outbox import enqueue
from reception.offices.lookups import office_by_code
from reception.offices.models import Office
from reception.offices.rules import office_day
from reception.platform.clock import Clock
from reception.platform.db import Database
from reception.platform.i18n import t
from reception.reports import service as reports
from reception.reports.exports import to_xlsx
from reception.reports.pdf import to_pdf
from reception.reports.texts import num, period_text

log = logging.getLogger(__name__)
TOPIC = "reports"
CHANNEL = "email"
PERIODS = ("week", "month")
MAX_ADDRESS = 320
_EMAIL = re.compile(r"^[^@\s\x00]{1,64}@[^@\s\x00]+\.[^@\s\x00]{2,}$")
SUBJECTS = {"week": "rep.mail.subject_week", "month": "rep.mail.subject_month"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- subscribing ---------------------------------------------------------------------------------


def clean_address(raw: str | None) -> str:
    address = (raw or "").strip()
    if len(address) > MAX_ADDRESS or not _EMAIL.match(address):
        raise ValidationFailed("error.report_subscription_address")
    return address


def subscribe(uow: UnitOfWork, clock: Clock, actor: Actor, office_code: str, period: str, address: str) -> int:
    """The caller's subscription to the office's report (the live one if it exists already)."""
    authorize(actor, Action.REPORTS_READ)
    if actor.user_id is None:
        raise Forbidden()
    if period not in PERIODS:
        raise ValidationFailed("error.report_subscription_period")
    address = clean_address(address)
    s = uow.session
    office = office_by_code(s, office_code)
    actor.require_office(office.id)
    for existing in s.scalars(select(Subscription).where(
            Subscription.user_id == actor.user_id, Subscription.office_id == office.id, Subscription.topic == TOPIC,
            Subscription.channel == CHANNEL, Subscription.revoked_at.is_(None))):
        if existing.address == address and (existing.data or {}).get("period") == period:
            return existing.id
    now = clock.now()
    sub = Subscription(office_id=office.id, channel=CHANNEL, address=address, user_id=actor.user_id, topic=TOPIC,
                       lang="uk", created_at=now, bound_at=now, data={"period": period})
    s.add(sub)
    s.flush()
    audit(s, now, actor.user_id, "reports.subscribe", "subscription", sub.id, {"office": office.code, "period": period})
    return sub.id


def unsubscribe(uow: UnitOfWork, clock: Clock, actor: Actor, subscription_id: int) -> None:
    """End one's own report subscription (an admin may end anyone's)."""
    s = uow.session
    sub = s.get(Subscription, subscription_id)
    if sub is None or sub.topic != TOPIC or sub.revoked_at is not None:
        raise NotFound()
    if sub.user_id != actor.user_id and not actor.is_admin:
        raise Forbidden()
    now = clock.now()
    sub.revoked_at = now
    audit(s, now, actor.user_id, "reports.unsubscribe", "subscription", sub.id, {})


def subscriptions_of(s: Session, user_id: int) -> list[dict[str, Any]]:
    rows = s.execute(select(Subscription, Office.code, Office.name_uk, Office.name_en)
                     .join(Office, Office.id == Subscription.office_id)
                     .where(Subscription.user_id == user_id, Subscription.topic == TOPIC,
                            Subscription.revoked_at.is_(None)).order_by(Subscription.id))
    return [{"id": sub.id, "office": code, "name_uk": uk, "name_en": en, "address": sub.address,
             "period": (sub.data or {}).get("period")} for sub, code, uk, en in rows]


# --- the daily job -------------------------------------------------------------------------------


def due_periods(today: date) -> dict[str, tuple[date, date]]:
    """The periods that ended yesterday: the past week on a Monday, the past month on the 1st."""
    out = {}
    if today.isoweekday() == 1:
        out["week"] = (today - timedelta(days=7), today - timedelta(days=1))
    if today.day == 1:
        last = today - timedelta(days=1)
        out["month"] = (last.replace(day=1), last)
    return out


@dataclass(frozen=True)
class Due:
    subscription_id: int
    user_id: int
    address: str
    office: str
    office_id: int
    period: str
    first: date
    last: date

    @property
    def key(self) -> str:
        return f"report:{self.subscription_id}:{self.period}:{self.first.isoformat()}"


def _subscriber(s: Session, user_id: int) -> Actor | None:
    user = s.get(User, user_id)
    if user is None or not user.is_active:
        return None
    return Actor(user_id=user.id, username=user.username, roles=frozenset(user.roles or []),
                 office_ids=frozenset(o.id for o in user.offices))


def deliver(db: Database, clock: Clock, folder: Path) -> int:
    """Queue the report of every subscription whose period ended yesterday; how many were queued."""
    now = clock.now()
    with db.read() as s:
        rows = s.execute(select(Subscription, Office).join(Office, Office.id == Subscription.office_id)
                         .where(Subscription.topic == TOPIC, Subscription.channel == CHANNEL,
                                Subscription.revoked_at.is_(None), Subscription.user_id.is_not(None),
                                Office.is_active.is_(True))
                         .order_by(Subscription.id)).all()
        due = []
        for sub, office in rows:
            period = (sub.data or {}).get("period")
            span = due_periods(office_day(now, office.timezone)).get(str(period))
            if span is None or not sub.address or sub.user_id is None:
                continue
            due.append(Due(sub.id, sub.user_id, sub.address, office.code, office.id, str(period), *span))
        done = set(s.scalars(select(Message.idempotency_key).where(Message.idempotency_key.in_([d.key for d in due]))))
    queued = 0
    for item in due:
        if item.key in done:
            continue
        with db.read() as s:
            actor = _subscriber(s, item.user_id)
        if actor is None or not permits(actor, Action.REPORTS_READ) or not actor.can_access_office(item.office_id):
            continue  # lost the right to read this office's reports: nothing is sent
        try:
            if _queue(db, clock, folder, item, actor, now):
                queued += 1
        except Exception:  # one subscription's failure (a full disk, a bad row) never holds up the others
            log.exception("report %s not queued", item.key)
    return queued


def _queue(db: Database, clock: Clock, folder: Path, item: Due, actor: Actor, now: datetime) -> bool:
    report = reports.summary(db, clock, actor, item.office, item.first, item.last)
    names = reports.outcome_names(db, "uk")
    target = folder / item.office
    target.mkdir(parents=True, exist_ok=True)
    stem = f"report-{item.office}-{item.period}-{item.first.isoformat()}-{item.subscription_id}"
    attachments = []
    for suffix, content_type, body in (("pdf", "application/pdf", to_pdf(report, "uk", names)),
                                       ("xlsx", XLSX, to_xlsx(report, "uk", names))):
        path = target / f"{stem}.{suffix}"
        temporary = path.with_suffix(f".{suffix}.part")
        temporary.write_bytes(body)
        temporary.replace(path)  # whole or not at all: delivery never attaches half a file
        attachments.append({"filename": f"{stem}.{suffix}", "content_type": content_type, "path": str(path)})
    office_name = report["offices"][0]["name_uk"]
    period = period_text(item.first, item.last, "uk")
    with db.write() as s:
        message = enqueue(s, at=now, key=item.key, channel=CHANNEL, address=item.address, kind="report",
                          subject=t(SUBJECTS[item.period], "uk", period=period, office=office_name),
                          body=t("rep.mail.body", "uk", office=office_name, period=period,
                                 issued=report["totals"]["issued"], served=report["totals"]["served"],
                                 wait=num(report["wait_min"]["mean"], "uk")),
                          office_id=item.office_id, subscription_id=item.subscription_id, user_id=item.user_id,
                          attachments=attachments)
    return message is not None

"""Evaluating the alert rules: raise each condition once, clear it when it ends, tell the managers.

:func:`evaluate_all` (the ``alerts.evaluate`` periodic job) reads every active office's snapshot,
asks the pure rules and diffs them with the office's open alerts (:func:`apply`): a new condition
becomes an ``alerts`` row (audited ``alert.raised``) and a message to each manager of the office
subscribed to the ``alerts`` topic (Telegram, Viber, e-mail) — unless a message of the same kind
went out for the office within the quiet period; a condition that ended is cleared (audited
``alert.cleared``). When an office's set of open alerts changes, an ``alerts_changed`` event tells
its hall views and desk consoles after the commit. The air-raid feed's poller applies its own kind
(``feed_down``) through the same :func:`apply`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reception.accounts.models import User, UserOffice
from reception.alerts.models import Alert
from reception.alerts.rules import JOB_KINDS, Condition, Key, conditions, diff, quiet
from reception.alerts.state import snapshot, thresholds
from reception.alerts.texts import line, title
from reception.audit.writer import audit
from reception.kernel.ports import DomainEvent
from reception.kernel.unit_of_work import UnitOfWork
from reception.notifications.models import Subscription
from reception.notifications.outbox import enqueue
from reception.offices.models import Office
from reception.platform import i18n
from reception.platform.clock import Clock

ALERTS_CHANGED = "alerts_changed"  # the live event: hall views and managers' desk consoles refetch
QUIET_MIN = 15  # default of RECEPTION_ALERT_QUIET_MIN
ALERT_CHANNELS = ("telegram", "viber", "email")
MANAGER_ROLES = ("manager", "admin")


def open_alerts(session: Session, office_id: int) -> list[Alert]:
    return list(session.scalars(select(Alert).where(Alert.office_id == office_id, Alert.cleared_at.is_(None))
                                .order_by(Alert.since, Alert.id)))


def apply(uow: UnitOfWork, office: Office, now: datetime, held: dict[Key, Condition], kinds: tuple[str, ...],
          quiet_min: int = QUIET_MIN) -> bool:
    """Bring the office's open alerts of ``kinds`` in line with ``held``; True if the set changed."""
    session = uow.session
    current = {(a.kind, a.subject): a for a in open_alerts(session, office.id)}
    change = diff(current, held, kinds)
    for (kind, subject), condition in sorted(change.raise_.items()):
        alert = Alert(office_id=office.id, kind=kind, subject=subject, severity=condition.severity, since=now,
                      detail=condition.detail)
        session.add(alert)
        session.flush()
        audit(session, now, None, "alert.raised", "alert", alert.id,
              {"office": office.code, "kind": kind, "subject": subject, "severity": condition.severity})
        _notify(session, office, alert, now, quiet_min)
    for key in change.clear:
        alert = current[key]
        alert.cleared_at = now
        audit(session, now, None, "alert.cleared", "alert", alert.id,
              {"office": office.code, "kind": alert.kind, "subject": alert.subject})
    for key, condition in change.update.items():
        alert = current[key]
        if alert.detail != condition.detail or alert.severity != condition.severity:
            alert.detail, alert.severity = condition.detail, condition.severity
    changed = bool(change.raise_ or change.clear)
    if changed:
        session.flush()
        count = session.scalar(select(func.count(Alert.id)).where(Alert.office_id == office.id,
                                                                 Alert.cleared_at.is_(None)))
        uow.collect(DomainEvent(name=ALERTS_CHANGED, office_code=office.code, version=office.version,
                                payload={"version": office.version, "alerts": int(count or 0)}))
    return changed


def _notify(session: Session, office: Office, alert: Alert, now: datetime, quiet_min: int) -> int:
    """Queue the alert to the office's subscribed managers, unless the kind is in its quiet period."""
    last = session.scalar(select(func.max(Alert.last_notified_at)).where(
        Alert.office_id == office.id, Alert.kind == alert.kind, Alert.id != alert.id))
    if quiet(last, now, quiet_min):
        return 0
    subscribers = session.execute(
        select(Subscription, User.roles).join(User, User.id == Subscription.user_id)
        .join(UserOffice, (UserOffice.user_id == User.id) & (UserOffice.office_id == office.id))
        .where(Subscription.office_id == office.id, Subscription.topic == "alerts",
               Subscription.revoked_at.is_(None), Subscription.address.is_not(None),
               Subscription.channel.in_(ALERT_CHANNELS), User.is_active.is_(True))
        .order_by(Subscription.id)).all()
    sent = 0
    for sub, roles in subscribers:
        if not set(roles or ()) & set(MANAGER_ROLES):
            continue
        lang = sub.lang if sub.lang in ("uk", "en") else "uk"
        name = office.name_en or office.name_uk if lang == "en" else office.name_uk
        heading = f"{name}: {title(alert.kind, lang)}"
        body = f"{heading}\n{line(session, office, alert.kind, alert.detail, lang)}"
        if enqueue(session, at=now, key=f"alert:{alert.id}:raised:{sub.id}", channel=sub.channel,
                   address=str(sub.address), kind="alert", body=body, office_id=office.id,
                   subscription_id=sub.id, user_id=sub.user_id,
                   subject=heading[:200] if sub.channel == "email" else None) is not None:
            sent += 1
    alert.last_notified_at = now  # the quiet period runs from here, whether anyone was subscribed or not
    return sent


def evaluate_office(uow: UnitOfWork, office: Office, now: datetime, quiet_min: int = QUIET_MIN) -> bool:
    held = conditions(snapshot(uow.session, office, now, thresholds(office)), thresholds(office))
    return apply(uow, office, now, held, JOB_KINDS, quiet_min)


def evaluate_all(uow: UnitOfWork, clock: Clock, quiet_min: int = QUIET_MIN) -> int:
    """The periodic job: every active office; the number of offices whose alerts changed."""
    now = clock.now()
    changed = 0
    for office in uow.session.scalars(select(Office).where(Office.is_active.is_(True)).order_by(Office.id)).all():
        changed += evaluate_office(uow, office, now, quiet_min)
    return changed


def alerts_view(session: Session, office: Office, *, words: bool = False) -> list[dict[str, Any]]:
    """The office's open alerts, oldest first: ``{kind, severity, since, detail}`` (the API's), and with
    ``words`` the ``title_<lang>`` and ``text_<lang>`` a screen shows."""
    from reception.queue.reads import iso_local

    out = []
    for a in open_alerts(session, office.id):
        item: dict[str, Any] = {"kind": a.kind, "severity": a.severity, "since": iso_local(a.since, office.timezone),
                                "detail": dict(a.detail or {})}
        if words:
            for lang in i18n.LANGS:
                item |= {f"title_{lang}": title(a.kind, lang),
                         f"text_{lang}": line(session, office, a.kind, a.detail or {}, lang)}
        out.append(item)
    return out

"""An office for the alert tests: A1 (Kyiv), always open; consult (target 10 min) at desks 1 and 2,
appeal (target 30 min) at desk 1 only; a manager subscribed to alerts on Telegram and by e-mail, an
operator, and a manager of another office subscribed to nothing here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from reception.alerts.evaluate import evaluate_all
from reception.alerts.models import Alert
from reception.audit.models import AuditLog
from reception.http.realtime import RecordingPublisher
from reception.kernel.identity import Actor
from reception.notifications.models import Message, Subscription
from reception.offices.lookups import office_by_code
from reception.platform.db import Database
from tests.fakes import add_user, build_office, services

KYIV = ZoneInfo("Europe/Kyiv")


def at(clock: Any, hh: int, mm: int, ss: int = 0) -> None:
    clock.set(datetime(2026, 11, 24, hh, mm, ss, tzinfo=KYIV))


@dataclass
class Office:
    db: Database
    clock: Any
    publisher: RecordingPublisher
    id: int
    op: Actor
    boss: Actor
    subs: list[int]

    @property
    def run(self) -> Any:
        return services(self.db, self.clock, self.publisher)

    def evaluate(self, quiet_min: int = 15) -> int:
        return int(self.run.value(evaluate_all, quiet_min))

    def open_alerts(self) -> list[tuple[str, str, str]]:
        with self.db.read() as s:
            return sorted((a.kind, a.subject, a.severity) for a in s.scalars(
                select(Alert).where(Alert.office_id == self.id, Alert.cleared_at.is_(None))))

    def all_alerts(self, kind: str) -> list[Alert]:
        with self.db.read() as s:
            return list(s.scalars(select(Alert).where(Alert.office_id == self.id, Alert.kind == kind)
                                  .order_by(Alert.id)))

    def audits(self, action: str) -> list[dict[str, Any]]:
        with self.db.read() as s:
            return [row.detail for row in s.scalars(select(AuditLog).where(AuditLog.action == action)
                                                    .order_by(AuditLog.id))]

    def messages(self) -> list[Message]:
        with self.db.read() as s:
            return list(s.scalars(select(Message).order_by(Message.id)))

    def changed_events(self) -> int:
        return sum(e.name == "alerts_changed" for e in self.publisher.events)


def subscribe(db: Database, clock: Any, office_id: int, user_id: int, channel: str, address: str,
              topic: str = "alerts") -> int:
    with db.write() as s:
        sub = Subscription(office_id=office_id, channel=channel, address=address, user_id=user_id, topic=topic,
                           lang="uk", created_at=clock.now(), bound_at=clock.now())
        s.add(sub)
        s.flush()
        return int(sub.id)


@pytest.fixture
def a1(db: Database, clock: Any) -> Office:
    build_office(db, "A1", services=[
        dict(code="consult", prefix="К", name_uk="Консультація", name_en="Consultation", target_wait_min=10),
        dict(code="appeal", prefix="С", name_uk="Звернення", name_en="Appeal", target_wait_min=30)],
        desks=[dict(code="1", name_uk="Вікно 1", name_en="Window 1", services=["consult", "appeal"]),
               dict(code="2", name_uk="Вікно 2", name_en="Window 2", services=["consult"])])
    build_office(db, "A2")
    at(clock, 9, 0)
    with db.read() as s:
        office_id, other_id = office_by_code(s, "A1").id, office_by_code(s, "A2").id
    op_id = add_user(db, clock, "op", ["operator"], ["A1"])
    boss_id = add_user(db, clock, "boss", ["manager"], ["A1"])
    stranger = add_user(db, clock, "stranger", ["manager"], ["A2"])
    operator_sub = add_user(db, clock, "op2", ["operator"], ["A1"])
    subs = [subscribe(db, clock, office_id, boss_id, "telegram", "100500"),
            subscribe(db, clock, office_id, boss_id, "email", "boss@example.org")]
    subscribe(db, clock, office_id, boss_id, "telegram", "100500", topic="reports")  # another topic
    subscribe(db, clock, office_id, operator_sub, "telegram", "200")  # not a manager: told nothing
    subscribe(db, clock, other_id, stranger, "telegram", "300")  # another office's manager
    op = Actor(user_id=op_id, username="op", roles=frozenset({"operator"}), office_ids=frozenset({office_id}))
    boss = Actor(user_id=boss_id, username="boss", roles=frozenset({"manager"}), office_ids=frozenset({office_id}))
    return Office(db, clock, RecordingPublisher(), office_id, op, boss, subs)

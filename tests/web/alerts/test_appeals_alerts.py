"""Overdue and near-due appeals raise alerts from the journal's own control lists: raised once, critical
past the office's days, cleared when the appeals are answered; the hall view says them in words.

Office A1 (tests/web/alerts/conftest.py), 24.11.2026 in Kyiv.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from reception.hall.view import hall_view
from reception.leadership import records
from reception.offices.lookups import office_by_code
from tests.web.alerts.conftest import at


def appeal(a1: Any, received: str, **extra: Any) -> int:
    fields = {"form": "letter", "kind": "complaint", "surname": "Коваль", "name": "Олена",
              "questions": ["Питання"], "reception_date": received, "needs_study": False} | extra
    return int(a1.run.value(records.create_record, a1.boss, "A1", fields)["id"])


def answer(a1: Any, record_id: int) -> None:
    a1.run.value(records.update_record, a1.boss, record_id, {"removed_from_control": "2026-11-24"})


def journal(a1: Any, **filters: Any) -> list[int]:
    return [r["id"] for r in a1.run.value(records.search_records, a1.boss, office="A1", **filters)]


def test_overdue_appeals_raised_once_critical_past_the_days_and_cleared_when_answered(a1) -> None:
    at(a1.clock, 10, 0)
    late = appeal(a1, "2026-11-05")  # 15 days: due 20.11, 4 days overdue
    appeal(a1, "2026-11-20")  # due 05.12: on control, neither overdue nor near
    appeal(a1, "2026-11-01", is_consultation=True)  # a consultation is never on control
    assert a1.evaluate() == 1
    assert a1.open_alerts() == [("appeals_overdue", "", "warning")]
    assert a1.all_alerts("appeals_overdue")[0].detail == {"count": 1, "days": 4}
    assert journal(a1, overdue=True) == [late]  # the same list the journal shows
    sent = a1.messages()
    assert len(sent) == 2 and "Прострочені звернення" in sent[0].body and "4 дн." in sent[0].body

    older = appeal(a1, "2026-11-01")  # due 16.11: 8 days overdue > 7
    assert a1.evaluate() == 0  # the same alert, its figures and severity refreshed
    assert a1.open_alerts() == [("appeals_overdue", "", "critical")]
    assert a1.all_alerts("appeals_overdue")[0].detail == {"count": 2, "days": 8}
    assert len(a1.audits("alert.raised")) == 1 and len(a1.messages()) == 2

    answer(a1, older)
    a1.evaluate()
    assert a1.open_alerts() == [("appeals_overdue", "", "warning")]
    answer(a1, late)
    assert a1.evaluate() == 1
    assert a1.open_alerts() == [] and a1.all_alerts("appeals_overdue")[0].cleared_at is not None
    assert a1.audits("alert.cleared") == [{"office": "A1", "kind": "appeals_overdue", "subject": ""}]


def test_near_due_appeals_warn_with_the_office_days_and_the_hall_says_them(a1) -> None:
    at(a1.clock, 10, 0)
    soon = appeal(a1, "2026-11-24", due_date=date(2026, 11, 26))  # due in 2 days
    appeal(a1, "2026-11-24", due_date=date(2026, 11, 30))  # due in 6 days: not near by default (3)
    assert a1.evaluate() == 1
    assert a1.open_alerts() == [("appeals_near_due", "", "warning")]
    assert a1.all_alerts("appeals_near_due")[0].detail == {"count": 1, "days": 3}
    assert journal(a1, near_due_days=3) == [soon]
    with a1.db.read() as s:
        office = office_by_code(s, "A1")
        item = next(a for a in hall_view(s, office, a1.clock.now())["alerts"] if a["kind"] == "appeals_near_due")
    assert item["title_uk"] == "Наближається строк відповіді"
    assert item["text_uk"] == "Звернень, строк відповіді на які спливає протягом 3 дн.: 1."
    assert item["text_en"] == "Appeals whose answer is due within 3 days: 1."

    with a1.db.write() as s:
        office = office_by_code(s, "A1")
        office.settings = dict(office.settings or {}) | {"alerts": {"appeals_near_due_days": 7}}
    a1.evaluate()
    assert a1.all_alerts("appeals_near_due")[0].detail == {"count": 2, "days": 7}
    for record_id in journal(a1, near_due_days=7):
        answer(a1, record_id)
    assert a1.evaluate() == 1 and a1.open_alerts() == []

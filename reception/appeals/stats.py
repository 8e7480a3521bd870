"""Figures of the journal of appeals (decision 042): by day, form, kind, topic and outcome, the repeat
share, the median time to answer and what is overdue — for the summary report and the hall's day.

``appeal_figures`` is pure (rows in, figures out); the readers fetch the rows of a period.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reception.leadership import deadlines
from reception.leadership.models import ReceptionRecord
from reception.leadership.record_values import FORMS
from reception.leadership.records import KINDS

OUTCOMES = ("consultation", "on_spot", "answered", "on_control", "overdue")


@dataclass(frozen=True)
class AppealRow:
    office_id: int
    received: date
    form: str
    kind: str
    topic: str
    is_consultation: bool
    answered_on_spot: bool
    is_repeat: bool
    due: date
    extended_to: date | None
    removed: date | None


def outcome(row: AppealRow, today: date) -> str:
    if row.is_consultation:
        return "consultation"
    if row.answered_on_spot:
        return "on_spot"
    if row.removed is not None:
        return "answered"
    return "overdue" if deadlines.is_overdue(row.due, row.extended_to, None, today) else "on_control"


def appeal_figures(rows: Iterable[AppealRow], today_by_office: dict[int, date]) -> dict[str, Any]:
    """``total``, ``by_form``/``by_kind`` (every value, 0 when none), ``by_topic``, ``by_outcome``, ``by_day``,
    ``consultations``, ``repeat`` (count) and ``repeat_pct`` (of the appeals that are not consultations),
    ``overdue`` (on control past the deadline as of each office's today), ``answered`` and
    ``median_answer_days`` (receipt to removal from control, consultations left out; None when none)."""
    by_form = dict.fromkeys(FORMS, 0)
    by_kind = dict.fromkeys(KINDS, 0)
    by_outcome = dict.fromkeys(OUTCOMES, 0)
    by_topic: Counter[str] = Counter()
    by_day: Counter[date] = Counter()
    repeat = appeals = 0
    answer_days: list[int] = []
    for row in rows:
        by_form[row.form] = by_form.get(row.form, 0) + 1
        by_kind[row.kind] = by_kind.get(row.kind, 0) + 1
        by_topic[row.topic or ""] += 1
        by_day[row.received] += 1
        result = outcome(row, today_by_office[row.office_id])
        by_outcome[result] += 1
        if row.is_consultation:
            continue
        appeals += 1
        repeat += row.is_repeat
        if row.removed is not None:
            answer_days.append((row.removed - row.received).days)
    total = sum(by_form.values())
    return {
        "total": total,
        "by_form": by_form,
        "by_kind": by_kind,
        "by_topic": dict(sorted(by_topic.items(), key=lambda kv: (-kv[1], kv[0]))),
        "by_outcome": by_outcome,
        "by_day": [{"date": d.isoformat(), "appeals": n} for d, n in sorted(by_day.items())],
        "consultations": by_outcome["consultation"],
        "repeat": repeat,
        "repeat_pct": round(100 * repeat / appeals, 1) if appeals else None,
        "overdue": by_outcome["overdue"],
        "answered": len(answer_days),
        "median_answer_days": float(statistics.median(answer_days)) if answer_days else None,
    }


def read_rows(s: Session, office_ids: list[int], day_from: date, day_to: date) -> list[AppealRow]:
    r = ReceptionRecord
    return [AppealRow(*row) for row in s.execute(select(
        r.office_id, r.reception_date, r.form, r.kind, r.topic, r.is_consultation, r.answered_on_spot, r.is_repeat,
        r.due_date, r.extended_to, r.removed_from_control).where(
        r.office_id.in_(office_ids or [-1]), r.reception_date >= day_from, r.reception_date <= day_to))]


def appeals_summary(s: Session, today_by_office: dict[int, date], day_from: date, day_to: date) -> dict[str, Any]:
    """The report's ``appeals`` block over the offices given."""
    return appeal_figures(read_rows(s, list(today_by_office), day_from, day_to), today_by_office)


def appeals_today(s: Session, office_id: int, today: date) -> dict[str, Any]:
    """The hall's day figures: today's appeals by form and outcome, and what is overdue now in the office."""
    figures = appeal_figures(read_rows(s, [office_id], today, today), {office_id: today})
    deadline = ReceptionRecord.extended_to
    overdue_now = sum(1 for due, ext in s.execute(select(ReceptionRecord.due_date, deadline).where(
        ReceptionRecord.office_id == office_id, ReceptionRecord.removed_from_control.is_(None),
        ReceptionRecord.is_consultation.is_(False), ReceptionRecord.due_date < today))
        if deadlines.effective_deadline(due, ext) < today)
    return {"total": figures["total"], "by_form": figures["by_form"], "consultations": figures["consultations"],
            "on_spot": figures["by_outcome"]["on_spot"], "repeat": figures["repeat"], "overdue": overdue_now}

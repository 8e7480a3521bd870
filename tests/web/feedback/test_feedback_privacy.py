"""A feedback comment may carry personal data: the retention run clears it past the storage term, and a
person's export and erasure reach the comments on their tickets (a booking's or a record's ticket)."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

from pypdf import PdfReader
from sqlalchemy import select, update

from reception.audit.models import AuditLog
from reception.feedback.models import Feedback
from reception.leadership import records
from reception.leadership.models import ReceptionRecord
from reception.leadership.personal_data_doc import to_pdf
from reception.leadership.retention import run_retention
from tests.fakes import ROOT, services
from tests.web.leadership.builders import add_leadership


def rated(visits: Any, comment: str, score: int = 3) -> int:
    ticket = visits.finished()
    assert visits.rate(ticket["token"], score=score, comment=comment).status_code == 201
    return int(ticket["id"])


def comments(db: Any) -> dict[int, str | None]:
    with db.read() as s:
        return {f.ticket_id: f.comment for f in s.scalars(select(Feedback))}


def test_the_retention_run_clears_comments_past_the_term(visits, db, clock) -> None:
    old, edge, recent = (rated(visits, text) for text in ("Петренко з вікна 1 грубий", "межа", "свіжий"))
    with db.write() as s:  # the default term is 5 years, counted from 1 January after the visit
        s.execute(update(Feedback).where(Feedback.ticket_id == old).values(day=date(2020, 12, 31)))
        s.execute(update(Feedback).where(Feedback.ticket_id == edge).values(day=date(2021, 1, 1)))
    services(db, clock).value(run_retention)
    assert comments(db) == {old: None, edge: "межа", recent: "свіжий"}
    with db.read() as s:
        row = s.scalar(select(Feedback).where(Feedback.ticket_id == old))
        entry = s.scalar(select(AuditLog).where(AuditLog.action == "feedback.anonymise"))
    assert row is not None and row.score == 3 and row.anonymised_at is not None  # the rating stays
    assert entry is not None and entry.detail["comments"] == 1 and "Петренко" not in json.dumps(entry.detail)
    assert entry.object_type == "office" and entry.object_id == "T1"  # in the office's log
    services(db, clock).value(run_retention)  # a second run changes nothing
    with db.read() as s:
        assert len(list(s.scalars(select(AuditLog).where(AuditLog.action == "feedback.anonymise")))) == 1


def test_a_persons_export_and_erasure_reach_the_comment_on_their_ticket(visits, api, db, clock) -> None:
    add_leadership(db)
    theirs, strangers = rated(visits, "Дякую пані Олені", 5), rated(visits, "Чужий коментар", 4)
    record = services(db, clock).value(records.create_record, ROOT, "T1", {
        "kind": "complaint", "surname": "Коваленко", "name": "Петро", "received_by_name": "А. Бондаренко",
        "questions": ["Невиконання рішення суду"], "reception_date": "2020-04-01"})
    with db.write() as s:  # closed in 2020: past its term, so it may be erased on request
        s.execute(update(ReceptionRecord).where(ReceptionRecord.id == record["id"])
                  .values(ticket_id=theirs, removed_from_control=date(2020, 5, 1)))
    manager = api.user("mgr", ["manager"])
    export = api.call("GET", "/personal-data/export", manager, query_string={"surname": "Коваленко"})
    assert export.status_code == 200, export.get_data(as_text=True)
    feedback = json.loads(export.data.decode("utf-8"))["feedback"]
    assert [(f["ticket_id"], f["score"], f["comment"]) for f in feedback] == [(theirs, 5, "Дякую пані Олені")]
    document = to_pdf(json.loads(export.data.decode("utf-8")), "uk")  # the readable copy names it too
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)
    assert "Відгуки про візити" in text and "Дякую пані Олені" in text
    erased = api.call("POST", "/personal-data/erase", manager, json={"surname": "Коваленко"})
    assert erased.status_code == 200, erased.get_json()
    assert comments(db) == {theirs: None, strangers: "Чужий коментар"}
    with db.read() as s:
        entry = s.scalar(select(AuditLog).where(AuditLog.action == "feedback.erase"))
    assert entry is not None and entry.object_id == str(theirs)

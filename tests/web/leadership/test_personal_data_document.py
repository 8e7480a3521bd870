"""The personal-data export as a document the citizen reads: a Ukrainian PDF in words (no internal ids,
no English keys, dates dd.mm.yyyy), offered beside the JSON for machines, logged as the JSON is."""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader
from sqlalchemy import func, select

from reception.audit.models import AuditLog
from reception.leadership.personal_data_doc import to_pdf
from tests.web.leadership.test_personal_data import PHONE, RECORD, person  # noqa: F401  (the fixture)
from tests.web.leadership.test_privacy_pages import _sign_in


def document_words(export: dict[str, Any]) -> str:
    """The readable document of a JSON export, as its reader sees the words (each run of spaces one space)."""
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(to_pdf(export, "uk"))).pages)


def test_the_citizen_gets_a_readable_ukrainian_document(client, db, clock, person) -> None:  # noqa: F811
    _sign_in(client, db, clock, "mgr")
    page = client.get("/backoffice/personal-data", query_string={"phone": PHONE}).get_data(as_text=True)
    assert 'id="pd-document"' in page and "Документ для громадянина (PDF)" in page
    assert "Дані для автоматичної обробки (JSON)" in page
    with db.read() as s:
        before = s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "record.export"))
    r = client.get("/backoffice/personal-data/export.pdf", query_string={"phone": PHONE})
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Content-Disposition"].startswith("attachment") and r.headers["Cache-Control"] == "no-store"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(r.data)).pages)
    for words in ("Відомості про персональні дані, що обробляються", "Картки особистого прийому",
                  "Картка особистого прийому №", "Прізвище, імʼя, по батькові", "Шевченко Тарас",
                  RECORD["visitor"]["address"], "Записи на прийом", "Спадщина", "Скасовано", "передумав",
                  "Тестова установа"):
        assert words in text, (words, text[:2000])
    for technical in ("reg_index", "surname", "appointment_id", "ticket_id", "booked", "None", "2026-11"):
        assert technical not in text, technical
    assert re.search(r"\d{2}\.\d{2}\.\d{4}", text)
    with db.read() as s:
        after = s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "record.export"))
    assert after == before + 3  # each card the document shows is logged as exported


def test_the_document_is_for_those_who_may_export(client, db, clock, person) -> None:  # noqa: F811
    _sign_in(client, db, clock, "op")
    assert client.get("/backoffice/personal-data/export.pdf", query_string={"phone": PHONE}).status_code == 403

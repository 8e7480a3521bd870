"""The personal-data export as a document the citizen can read (decision 018): an A4 PDF in Ukrainian.

It renders the same export the JSON carries (``personal_data.export_person``), in words: labelled
fields, dates dd.mm.yyyy, statuses and kinds by name, no internal ids. Only the bundled DejaVu faces
(``printers.pdf_backend``): Helvetica has no Cyrillic.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from printers.pdf_backend import BOLD, REGULAR, register_fonts
from reception.kernel.bounds import show_date
from reception.leadership.personal_data import PARTS
from reception.leadership.texts import ANSWER_METHODS, APPOINTMENT_STATUS, AUTHORSHIP, KINDS, label
from reception.platform.i18n import t

_BODY = ParagraphStyle("pd", fontName=REGULAR, fontSize=10, leading=13)
_TITLE = ParagraphStyle("pd-title", parent=_BODY, fontName=BOLD, fontSize=15, leading=19, spaceAfter=4)
_H2 = ParagraphStyle("pd-h2", parent=_BODY, fontName=BOLD, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4)
_H3 = ParagraphStyle("pd-h3", parent=_BODY, fontName=BOLD, fontSize=10.5, leading=13, spaceBefore=4)
_LABEL = ParagraphStyle("pd-label", parent=_BODY, textColor=colors.HexColor("#4a5668"))
WIDTH = A4[0] - 36 * mm
DEFAULT_ZONE = "Europe/Kyiv"


def _p(text: str, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def when_text(iso: str | None, zone: str = DEFAULT_ZONE) -> str:
    """An ISO timestamp as "dd.mm.yyyy hh:mm" in the office's time, a date as dd.mm.yyyy."""
    if not iso:
        return ""
    if len(iso) <= 10:
        return show_date(iso)
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(zone))
    return f"{show_date(moment.date())} {moment:%H:%M}"


def _fields(rows: list[tuple[str, Any]]) -> Table | None:
    """Label / value pairs; empty values are left out (the document says what is held, not what is not)."""
    shown = [(_p(name, _LABEL), _p(str(value))) for name, value in rows if value not in (None, "", [], False)]
    if not shown:
        return None
    table = Table(shown, colWidths=[55 * mm, WIDTH - 55 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#d5dbe5"))]))
    return table


def person_text(surname: str | None, name: str | None, patronymic: str | None) -> str:
    return " ".join(x for x in (surname, name, patronymic) if x)


def _yes(value: bool, lang: str) -> str:
    return t("pdd.yes", lang) if value else ""


def _record(rec: dict[str, Any], offices: dict[str, dict[str, str]], lang: str) -> list[Any]:
    office = offices.get(rec["office"], {})
    category = rec.get("category") or {}
    rows: list[tuple[str, Any]] = [
        (t("pdd.office", lang), office.get(f"name_{lang}") or office.get("name_uk") or ""),
        (t("pdd.reg", lang), f"{rec['reg_index']} {t('pdd.of_date', lang, date=show_date(rec['reg_date']))}"),
        (t("rec.reception_date", lang), show_date(rec["reception_date"])),
        (t("pdd.received_by", lang), ", ".join(x for x in (rec.get("received_by_name"),
                                                            rec.get("received_by_position")) if x)),
        (t("pdd.person", lang), person_text(rec.get("surname"), rec.get("name"), rec.get("patronymic"))),
        (t("rec.address", lang), rec.get("address")),
        (t("pdd.phone", lang), rec.get("phone")),
        (t("rec.email", lang), rec.get("email")),
        (t("pdd.conceal", lang), _yes(rec.get("conceal_name", False), lang)),
        (t("rec.social_status", lang), rec.get("social_status")),
        (t("pdd.category", lang), category.get(f"name_{lang}") or category.get("name_uk")),
        (t("pdd.kind", lang), label(KINDS, rec.get("kind"), lang)),
        (t("rec.authorship", lang), label(AUTHORSHIP, rec.get("authorship"), lang)),
        (t("pdd.questions", lang), "\n".join(rec.get("questions") or [])),
        (t("rec.resolution", lang), rec.get("resolution")),
        (t("rec.executor", lang), rec.get("executor")),
        (t("rec.deadline", lang), show_date(rec.get("deadline"))),
        (t("rec.result", lang), rec.get("result")),
        (t("rec.answer_method", lang), label(ANSWER_METHODS, rec.get("answer_method"), lang)
         if rec.get("answer_method") else ""),
        (t("rec.removed", lang), show_date(rec.get("removed_from_control"))),
    ]
    table = _fields(rows)
    return [KeepTogether([_p(t("pdd.record_title", lang, index=rec["reg_index"]), _H3), *([table] if table else [])])]


def _appointment(appt: dict[str, Any], lang: str, zone: str) -> list[Any]:
    visitor = appt.get("visitor") or {}
    rows: list[tuple[str, Any]] = [
        (t("pdd.when", lang), f"{show_date(appt['date'])} {appt.get('slot_time') or ''}".strip()),
        (t("pdd.leader", lang), appt.get(f"leader_name_{lang}") or appt.get("leader_name_uk")),
        (t("pdd.booking_code", lang), appt.get("booking_code")),
        (t("pdd.status", lang), label(APPOINTMENT_STATUS, appt.get("status"), lang)),
        (t("pdd.person", lang), person_text(visitor.get("surname"), visitor.get("name"), visitor.get("patronymic"))),
        (t("pdd.phone", lang), visitor.get("phone")),
        (t("book.topic", lang), appt.get("topic")),
        (t("pdd.remote", lang), _yes(appt.get("remote", False), lang)),
        (t("pdd.cancel_reason", lang), appt.get("cancel_reason")),
        (t("pdd.booked_at", lang), when_text(appt.get("created_at"), zone)),
    ]
    table = _fields(rows)
    title = t("pdd.appointment_title", lang, date=show_date(appt["date"]))
    return [KeepTogether([_p(title, _H3), *([table] if table else [])])]


def to_pdf(export: dict[str, Any], lang: str = "uk") -> bytes:
    """The export as an A4 document: who asked about whom, then every record, appointment and desk note,
    and each registered part's items (feedback, messages, bookings, places in the queue, letters)."""
    register_fonts()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=t("pdd.title", lang))
    subject = export.get("subject") or {}
    offices = export.get("offices") or {}
    zone = next((o.get("timezone") for o in offices.values() if o.get("timezone")), DEFAULT_ZONE)
    who = ", ".join(x for x in (person_text(subject.get("surname"), subject.get("name"), None), subject.get("phone")) if x)
    story: list[Any] = [_p(t("pdd.title", lang), _TITLE),
                        _p(t("pdd.generated", lang, at=when_text(export.get("generated_at"), zone))),
                        _p(t("pdd.searched", lang, who=who)), Spacer(1, 3 * mm), _p(t("pdd.intro", lang))]
    story.append(_p(t("pd.records", lang), _H2))
    for rec in export.get("records") or []:
        story += _record(rec, offices, lang)
    if not export.get("records"):
        story.append(_p(t("pd.none", lang)))
    story.append(_p(t("pd.appointments", lang), _H2))
    for appt in export.get("appointments") or []:
        story += _appointment(appt, lang, zone)
    if not export.get("appointments"):
        story.append(_p(t("pd.none", lang)))
    if export.get("notes"):
        story.append(_p(t("pdd.notes", lang), _H2))
        for note in export["notes"]:
            table = _fields([(t("pdd.note_day", lang), show_date(note["day"])),
                             (t("pdd.ticket", lang), note.get("ticket_code")), (t("pdd.note", lang), note.get("note"))])
            if table:
                story += [table, Spacer(1, 2 * mm)]
    for key, part in PARTS.items():  # what other slices hold: feedback, messages, bookings, letters...
        if part.rows is not None and export.get(key):
            story.append(_p(t(part.heading, lang), _H2))
            for item in export[key]:
                table = _fields(part.rows(item, lang))
                if table:
                    story += [table, Spacer(1, 2 * mm)]
    story += [Spacer(1, 5 * mm), _p(t("pdd.machine", lang), _LABEL)]
    doc.build(story)
    return buf.getvalue()


def filename(today: date) -> str:
    return f"personal-data-{today.isoformat()}.pdf"

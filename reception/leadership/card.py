"""The printable record card (A4 PDF), laid out like the registration-control card of CMU
Resolution No. 348: a title, then numbered rows "field | value" in a ruled table — the front side
(registration, applicant, appeal, resolution, deadline) on page 1, the back side (extension,
result, removal from control, signature) on page 2, for duplex printing.

Helvetica has no Cyrillic, so only the bundled DejaVu faces are used; a missing font file
raises ``printers.fonts.FontMissingError`` rather than printing boxes.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from printers.pdf_backend import BOLD, REGULAR, register_fonts
from reception.leadership.texts import ANSWER_METHODS, AUTHORSHIP, FORMS, KINDS, label

_BODY = ParagraphStyle("card", fontName=REGULAR, fontSize=10, leading=13)
_LABEL = ParagraphStyle("label", parent=_BODY, fontSize=9, leading=11.5, textColor=colors.HexColor("#222222"))
_TITLE = ParagraphStyle("title", parent=_BODY, fontName=BOLD, fontSize=13, leading=17, alignment=1)
_SUB = ParagraphStyle("sub", parent=_BODY, fontSize=9.5, alignment=1)
_SECTION = ParagraphStyle("section", parent=_BODY, fontName=BOLD, fontSize=10.5)


def _d(value: str | None) -> str:
    """ISO date -> "24.11.2026" (Ukrainian paper habit); empty stays empty."""
    return date.fromisoformat(value).strftime("%d.%m.%Y") if value else ""


def _yes(flag: bool) -> str:
    return "так" if flag else "ні"


Row = tuple[str, str]  # label, value; an empty label continues the field above (one row per question)


def card_rows(rec: dict[str, Any]) -> tuple[list[Row], list[Row]]:
    """(front, back) rows "label, value" in Ukrainian, from ``records.record_view``."""
    visitor = " ".join(p for p in (rec["surname"], rec["name"], rec["patronymic"]) if p)
    if rec["authorship"] == "anonymous":
        visitor = "анонімне звернення"
    category = rec["category"]["name_uk"] if rec.get("category") else "—"
    questions = [f"{i}. {q}" for i, q in enumerate(rec["questions"], 1)] or ["—"]
    front = [
        ("Реєстраційний індекс", rec["reg_index"]),
        ("Дата реєстрації", _d(rec["reg_date"])),
        ("Дата особистого прийому" if rec["form"] == "personal_reception" else "Дата надходження",
         _d(rec["reception_date"])),
        ("Хто проводив прийом (прізвище, ініціали, посада)",
         ", ".join(p for p in (rec["received_by_name"], rec["received_by_position"]) if p)),
        ("Прізвище, імʼя, по батькові заявника", visitor + (" (просить не розголошувати)" if rec["conceal_name"] else "")),
        ("Адреса", rec["address"] or "—"),
        ("Телефон, e-mail", ", ".join(p for p in (rec["phone"], rec["email"]) if p) or "—"),
        ("Соціальний стан", rec["social_status"] or "—"),
        ("Категорія (пільгова)", category),
        ("Ознака: індивідуальне / колективне / анонімне", label(AUTHORSHIP, rec["authorship"], "uk")),
        ("Первинне чи повторне", "повторне" if rec["is_repeat"] else "первинне"),
        ("Форма надходження", label(FORMS, rec["form"], "uk")),
        ("Вид звернення", label(KINDS, rec["kind"], "uk")),
        ("Тематика", rec.get("topic_name") or rec.get("topic") or "—"),
        ("Короткий зміст питань", questions[0]),
        *(("", q) for q in questions[1:]),
        ("Резолюція", rec["resolution"] or "—"),
        ("Автор резолюції", rec["resolution_author"] or "—"),
        ("Виконавець", rec["executor"] or "—"),
        ("Потребує додаткового вивчення", _yes(rec["needs_study"])),
        ("Строк розгляду", _d(rec["due_date"])),
    ]
    back = [
        ("Строк продовжено до", _d(rec["extended_to"]) or "—"),
        ("Підстава продовження", rec["extension_reason"] or "—"),
        ("Заявника повідомлено про продовження", _yes(rec["applicant_informed"]) if rec["extended_to"] else "—"),
        ("Результат розгляду", rec["result"] or "—"),
        ("Спосіб надання відповіді", label(ANSWER_METHODS, rec["answer_method"], "uk")),
        ("Дата зняття з контролю", _d(rec["removed_from_control"]) or "—"),
        ("Контроль", "консультація, без контролю" if rec.get("is_consultation")
         else "відповідь надано одразу" if rec.get("answered_on_spot")
         else "знято з контролю" if rec["removed_from_control"] else "на контролі"),
    ]
    return front, back


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


_STYLE = TableStyle([
    ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("BACKGROUND", (0, 0), (1, -1), colors.HexColor("#f0f0f0")),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
])


def _rows(rows: list[Row], start: int, width: float) -> list[Table]:
    """The ruled "number | field | value" table, one Table per row so that it flows onto as many
    pages as it needs: a row taller than the rest of the page continues on the next one
    (``splitInRow``), and splitting costs one row's layout, not the whole table's again."""
    tables, number = [], start - 1
    for field, value in rows:
        if field:
            number += 1
        data = [[_para(f"{number}." if field else "", _LABEL), _para(field, _LABEL), _para(value, _BODY)]]
        table = Table(data, colWidths=[11 * mm, 62 * mm, width - 73 * mm], splitInRow=1)
        table.setStyle(_STYLE)
        tables.append(table)
    return tables


def render_card(rec: dict[str, Any], office_name: str) -> bytes:
    """The card of one record as PDF bytes."""
    register_fonts()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=15 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=f"Картка {rec['reg_index']}", author=office_name)
    width = A4[0] - 33 * mm
    front, back = card_rows(rec)
    story = [
        _para(office_name, _SUB),
        Spacer(1, 3 * mm),
        _para("РЕЄСТРАЦІЙНО-КОНТРОЛЬНА КАРТКА", _TITLE),
        _para("особистого прийому громадян (усне звернення)", _SUB),
        _para(f"№ {rec['reg_index']} від {_d(rec['reg_date'])}", _SUB),
        Spacer(1, 5 * mm),
        _para("Лицьовий бік", _SECTION),
        Spacer(1, 1.5 * mm),
        *_rows(front, 1, width),
        PageBreak(),  # the back of the card: printed on the reverse side (duplex) or a second sheet
        _para(f"№ {rec['reg_index']} від {_d(rec['reg_date'])}", _SUB),
        Spacer(1, 3 * mm),
        _para("Зворотний бік", _SECTION),
        Spacer(1, 1.5 * mm),
        *_rows(back, sum(1 for field, _ in front if field) + 1, width),
        Spacer(1, 10 * mm),
        _para("Підпис особи, яка проводила прийом ____________________", _BODY),
    ]
    doc.build(story)
    return buf.getvalue()

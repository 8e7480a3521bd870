"""The report as an A4 PDF in Ukrainian (or English) with bar charts (reportlab.graphics).

Only the bundled DejaVu faces are used (``printers.pdf_backend.register_fonts``): Helvetica would
draw Cyrillic as black boxes without an error.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from printers.pdf_backend import BOLD, REGULAR, register_fonts
from reception.platform.i18n import t
from reception.reports.tables import Section, sections
from reception.reports.texts import num, period_text, wrap_words

_BODY = ParagraphStyle("rep", fontName=REGULAR, fontSize=9, leading=11.5)
_TITLE = ParagraphStyle("rep-title", parent=_BODY, fontName=BOLD, fontSize=14, leading=18)
_H2 = ParagraphStyle("rep-h2", parent=_BODY, fontName=BOLD, fontSize=11, leading=14, spaceBefore=4)
ISSUED, SERVED = colors.HexColor("#1f5fa8"), colors.HexColor("#2e8b57")
CHAR_PT = 4.2  # mean width of a character of the 7 pt chart labels (DejaVu Sans, Cyrillic included)
LABEL_LINES = 3
PAGE = landscape(A4)  # the group tables are wide: ten columns of figures
WIDTH = PAGE[0] - 30 * mm


def _para(text: str, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(escape(text), style)


_TH = ParagraphStyle("th", parent=_BODY, fontName=BOLD, fontSize=7.5, leading=9.5)
_PAD = 6 * 2 + 4  # the cell padding left and right (6 pt each), plus a little air


def _column_widths(section: Section, lang: str) -> list[float]:
    """Figure columns as wide as their longest header word or value (words never break); the name
    column takes the rest."""
    rest = []
    for i, column in enumerate(section.columns[1:], 1):
        words = [pdfmetrics.stringWidth(w, BOLD, _TH.fontSize) for w in column.split()] or [0]
        values = [pdfmetrics.stringWidth(num(r[i], lang) if i >= section.numeric_from else str(r[i] or ""),
                                         REGULAR, _BODY.fontSize) for r in section.rows] or [0]
        rest.append(max(max(words), max(values), 14 * mm) + _PAD)
    first = max(WIDTH - sum(rest), 40 * mm) if len(section.columns) > 3 else 100 * mm
    if len(section.columns) <= 3:
        rest = [max(r, 30 * mm) for r in rest]
    scale = min(1.0, WIDTH / (first + sum(rest)))
    return [first * scale] + [w * scale for w in rest]


def _table(section: Section, lang: str) -> Table:
    head = [_para(c, _TH) for c in section.columns]
    body = [[_para(num(v, lang) if i >= section.numeric_from else str(v if v is not None else "—"))
             for i, v in enumerate(row)] for row in section.rows]
    table = Table([head, *body], colWidths=_column_widths(section, lang), repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#888888")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[float], Any]], *,
              height: float = 62 * mm, label_every: int = 1) -> Drawing:
    """Grouped vertical bars with a legend; values must be numbers (0 for none)."""
    drawing = Drawing(WIDTH, height)
    drawing.add(String(0, height - 10, title, fontName=BOLD, fontSize=10))
    chart = VerticalBarChart()
    # A few categories get bars of a readable width, not the whole page.
    chart.x, chart.y, chart.height = 28, 28, height - 58
    chart.width = min(WIDTH - 40, 70 + 60 * len(labels) * len(series))
    chart.data = [values or [0] for _name, values, _color in series]
    for i, (_name, _values, color) in enumerate(series):
        chart.bars[i].fillColor = color
        chart.bars[i].strokeColor = None
    upright = label_every == 1 and len(labels) <= 16
    # Upright labels are broken between words to fit under their group (never cut mid-word).
    per_label = chart.width / max(len(labels), 1) / CHAR_PT if upright else 40
    lines = [wrap_words(lab, max(int(per_label), 4), LABEL_LINES) if i % label_every == 0 else []
             for i, lab in enumerate(labels)]
    extra = 8 * (max((len(x) for x in lines), default=1) - 1)
    chart.y += extra
    chart.height -= extra
    chart.categoryAxis.categoryNames = ["\n".join(x) for x in lines] or [""]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.leading = 8
    chart.categoryAxis.labels.angle = 0 if upright else 45
    chart.categoryAxis.labels.boxAnchor = "n" if chart.categoryAxis.labels.angle == 0 else "ne"
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max([max(v) for _n, v, _c in series if v] + [1])
    chart.valueAxis.valueMax = top * 1.1
    chart.barSpacing = 0.5
    chart.groupSpacing = 2 if len(labels) > 40 else 5
    drawing.add(chart)
    if len(series) > 1:
        legend = Legend()
        legend.x, legend.y = WIDTH - 150, height - 8
        legend.fontName, legend.fontSize = REGULAR, 8
        legend.alignment, legend.columnMaximum, legend.dx, legend.dy = "right", 1, 8, 8
        legend.deltax = 75
        legend.colorNamePairs = [(color, name) for name, _values, color in series]
        drawing.add(legend)
    return drawing


def charts(report: dict[str, Any], lang: str) -> list[Drawing]:
    issued, served = t("rep.legend_issued", lang), t("rep.legend_served", lang)
    hours = report["by_hour"]
    days = report["by_day"]
    out = [bar_chart(t("rep.chart_hour", lang), [f"{h['hour']:02d}" for h in hours],
                     [(issued, [h["issued"] for h in hours], ISSUED), (served, [h["served"] for h in hours], SERVED)])]
    if len(days) > 1:
        out.append(bar_chart(t("rep.chart_day", lang), [d["date"][8:10] + "." + d["date"][5:7] for d in days],
                             [(issued, [d["issued"] for d in days], ISSUED), (served, [d["served"] for d in days], SERVED)],
                             label_every=max(1, len(days) // 16)))
    waits = [(r.get(f"name_{lang}") or r["name_uk"], r["wait_min"] or 0.0) for r in report["by_service"]]
    if waits:
        out.append(bar_chart(t("rep.chart_service", lang), [w[0] for w in waits],
                             [(t("rep.wait", lang), [w[1] for w in waits], ISSUED)]))
    return out


def _titled(section: Section, lang: str) -> KeepTogether:
    """The title stays with the start of its table (never alone at the foot of a page)."""
    return KeepTogether([_para(section.title, _H2), _table(section, lang)])


def to_pdf(report: dict[str, Any], lang: str = "uk", outcome_names: dict[str, str] | None = None,
           generated_at: str = "") -> bytes:
    register_fonts()
    office = report["offices"][0][f"name_{lang}"] if report["office"] else t("rep.all_offices", lang)
    period = period_text(date.fromisoformat(report["from"]), date.fromisoformat(report["to"]), lang)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=PAGE, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=f"{t('rep.title', lang)} — {office}", author=office)
    story: list[Any] = [_para(t("rep.title", lang), _TITLE), _para(office), _para(f"{t('rep.period', lang)}: {period}")]
    if generated_at:
        story.append(_para(t("rep.generated", lang, at=generated_at)))
    story.append(Spacer(1, 4 * mm))
    parts = sections(report, lang, outcome_names)
    for section in parts[:2]:
        story += [_titled(section, lang), Spacer(1, 3 * mm)]
    for drawing in charts(report, lang):
        story += [drawing, Spacer(1, 3 * mm)]
    for section in parts[2:]:
        if not section.rows:
            continue
        story += [_titled(section, lang), Spacer(1, 3 * mm)]
    doc.build(story)
    return buf.getvalue()

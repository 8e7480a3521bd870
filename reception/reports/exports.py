"""The report as CSV (one figure per row, for spreadsheets) and XLSX (one sheet per table).

Every cell goes through ``platform.spreadsheet``: staff-set names can never run as formulas."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from reception.platform import spreadsheet
from reception.platform.i18n import t
from reception.reports import satisfaction
from reception.reports.tables import (
    APPEAL_FIGURES,
    DISTRIBUTION,
    LEADERSHIP,
    TOTALS,
    appeal_sections,
    management_sections,
    sections,
)
from reception.reports.texts import period_text, short_date

CSV_COLUMNS = ("rep.csv.section", "rep.office", "rep.csv.code", "rep.csv.name", "rep.col_figure", "rep.col_value")
GROUP_MEASURES = {
    "by_service": TOTALS + ("wait_min", "service_min", "within_target_pct"),
    "by_desk": ("served", "service_min", "paused_min"),
    "by_staff": ("served", "service_min"),
}
GROUP_KEY = {"by_service": "service", "by_desk": "desk", "by_staff": "user"}
# A measure of a group row, by its label in the report's own words.
MEASURE_LABEL = {**{k: f"rep.{k}" for k in TOTALS}, "wait_min": "rep.wait_mean", "service_min": "rep.service_mean",
                 "within_target_pct": "rep.within_target_pct", "paused_min": "rep.paused_min",
                 "suspended_min": "rep.suspended_min"}


def csv_rows(report: dict[str, Any], lang: str, outcome_names: dict[str, str] | None = None
             ) -> Iterator[tuple[Any, ...]]:
    """Tidy rows ``section, office, code, name, measure, value`` in the reader's words: every figure
    once, empty when none; dates dd.mm.yyyy (the JSON report keeps the machine codes)."""
    def tr(key: str) -> str:
        return t(key, lang)

    office = report["office"] or ""
    office_name = report["offices"][0][f"name_{lang}"] if report["office"] else tr("rep.all_offices")
    day_from, day_to = date.fromisoformat(report["from"]), date.fromisoformat(report["to"])
    yield (tr("rep.title"), office, "", office_name, tr("rep.from"), short_date(day_from))
    yield (tr("rep.title"), office, "", office_name, tr("rep.to"), short_date(day_to))
    for k in TOTALS:
        yield (tr("rep.summary"), "", "", "", tr(f"rep.{k}"), report["totals"][k])
    for k in ("within_target_pct", "suspended_min"):
        yield (tr("rep.summary"), "", "", "", tr(MEASURE_LABEL[k]), report[k])
    for section, title in (("wait_min", "rep.kpi_wait"), ("service_min", "rep.kpi_service")):
        for k in DISTRIBUTION:
            yield (tr(title), "", "", "", tr(f"rep.{k}"), report[section][k])
    for section, measures in GROUP_MEASURES.items():
        for row in report[section]:
            name = row.get(f"name_{lang}") or row.get("name_uk") or row.get("name") or ""
            for m in measures:
                yield (tr(f"rep.{section}"), row.get("office", ""), row[GROUP_KEY[section]], name,
                       tr(MEASURE_LABEL[m]), row[m])
    for row in report["by_hour"]:
        for m in ("issued", "served"):
            yield (tr("rep.by_hour"), "", f"{row['hour']:02d}:00", "", tr(f"rep.{m}"), row[m])
    for row in report["by_day"]:
        for m in TOTALS + ("wait_min", "service_min", "within_target_pct"):
            yield (tr("rep.by_day"), "", short_date(date.fromisoformat(row["date"])), "", tr(MEASURE_LABEL[m]), row[m])
    for code, count in report["outcomes"].items():
        yield (tr("rep.outcomes"), "", code, (outcome_names or {}).get(code, code), tr("rep.col_count"), count)
    for k in LEADERSHIP:
        yield (tr("rep.leadership"), "", "", "", tr(f"rep.{k}"), report["leadership"][k])
    yield from satisfaction.csv_rows(report, lang)
    yield from appeal_csv_rows(report, lang)
    yield from management_rows(report, lang)


def appeal_csv_rows(report: dict[str, Any], lang: str) -> Iterator[tuple[Any, ...]]:
    """The journal of appeals (decision 042): its figures, then each table's rows by code."""
    for section in appeal_sections(report, lang):
        codes: list[str] = []
        if section.key == "appeals":
            codes = list(APPEAL_FIGURES)
        elif section.key != "appeals_by_day":
            codes = list(report["appeals"][section.key.removeprefix("appeals_")])
        for i, (label, value) in enumerate(section.rows):
            code = codes[i] if i < len(codes) else str(label)
            if section.key == "appeals":
                yield (section.title, "", code, "", label, value)
            else:
                yield (section.title, "", code, label, t("rep.col_count", lang), value)


def management_rows(report: dict[str, Any], lang: str) -> Iterator[tuple[Any, ...]]:
    """Figures by priority, staff utilisation and the previous period, in the tidy CSV shape."""
    for section in management_sections(report, lang):
        for row in section.rows:
            for column, value in zip(section.columns[1:], row[1:], strict=True):
                yield (section.title, "", "", row[0], column, value)


def to_csv(report: dict[str, Any], lang: str = "uk", outcome_names: dict[str, str] | None = None) -> bytes:
    """For a spreadsheet in the reader's locale: Ukrainian opens ``;``-separated fields with decimal
    commas (English: ``,`` and points); UTF-8 with a byte-order mark so the Cyrillic reads right."""
    header = tuple(t(k, lang) for k in CSV_COLUMNS)
    uk = lang != "en"
    text = spreadsheet.to_csv([header, *csv_rows(report, lang, outcome_names)],
                              delimiter=";" if uk else ",", decimal_comma=uk)
    return text.encode("utf-8")


def to_xlsx(report: dict[str, Any], lang: str = "uk", outcome_names: dict[str, str] | None = None) -> bytes:
    """One sheet per table; figures stay numbers (an absent figure is an empty cell)."""
    book = Workbook()
    for default_sheet in list(book.worksheets):
        book.remove(default_sheet)
    bold = Font(bold=True)
    office = report["offices"][0][f"name_{lang}"] if report["office"] else t("rep.all_offices", lang)
    heading = (f"{t('rep.title', lang)}: {office}, "
               f"{period_text(date.fromisoformat(report['from']), date.fromisoformat(report['to']), lang)}")
    for section in sections(report, lang, outcome_names):
        sheet = book.create_sheet(section.title[:31])
        spreadsheet.put(sheet, 1, 1, heading).font = bold
        for cell in spreadsheet.put_row(sheet, 2, section.columns):
            cell.font = bold
        for i, row in enumerate(section.rows, 3):
            spreadsheet.put_row(sheet, i, row)
        for i, column in enumerate(section.columns, 1):
            width = max([len(str(column))] + [len(str(r[i - 1] or "")) for r in section.rows]) + 2
            sheet.column_dimensions[get_column_letter(i)].width = min(max(width, 10), 60)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()

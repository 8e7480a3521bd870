"""The report as CSV (one figure per row, for machines and spreadsheets) and XLSX (one sheet per table)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..platform.i18n import t
from .tables import DISTRIBUTION, LEADERSHIP, TOTALS, sections
from .texts import period_text

CSV_COLUMNS = ("section", "office", "key", "name", "measure", "value")
GROUP_MEASURES = {
    "by_service": TOTALS + ("wait_min", "service_min", "within_target_pct"),
    "by_desk": ("served", "service_min", "paused_min"),
    "by_staff": ("served", "service_min"),
}
GROUP_KEY = {"by_service": "service", "by_desk": "desk", "by_staff": "user"}


def csv_rows(report: dict[str, Any], lang: str, outcome_names: dict[str, str] | None = None
             ) -> Iterator[tuple[Any, ...]]:
    """Tidy rows ``section, office, key, name, measure, value``: every figure once, empty when none."""
    yield ("report", report["office"] or "", "", t("rep.title", lang), "from", report["from"])
    yield ("report", report["office"] or "", "", "", "to", report["to"])
    for k in TOTALS:
        yield ("totals", "", "", t(f"rep.{k}", lang), k, report["totals"][k])
    for section in ("wait_min", "service_min"):
        for k in DISTRIBUTION:
            yield (section, "", "", "", k, report[section][k])
    for k in ("within_target_pct", "suspended_min"):
        yield ("summary", "", "", t(f"rep.{k}", lang), k, report[k])
    for section, measures in GROUP_MEASURES.items():
        for row in report[section]:
            name = row.get(f"name_{lang}") or row.get("name_uk") or row.get("name") or ""
            for m in measures:
                yield (section, row.get("office", ""), row[GROUP_KEY[section]], name, m, row[m])
    for row in report["by_hour"]:
        for m in ("issued", "served"):
            yield ("by_hour", "", f"{row['hour']:02d}", "", m, row[m])
    for row in report["by_day"]:
        for m in TOTALS + ("wait_min", "service_min", "within_target_pct"):
            yield ("by_day", "", row["date"], "", m, row[m])
    for code, count in report["outcomes"].items():
        yield ("outcomes", "", code, (outcome_names or {}).get(code, code), "count", count)
    for k in LEADERSHIP:
        yield ("leadership", "", "", t(f"rep.{k}", lang), k, report["leadership"][k])


def to_csv(report: dict[str, Any], lang: str = "uk", outcome_names: dict[str, str] | None = None) -> bytes:
    """UTF-8 with a byte-order mark so spreadsheet programs read the Cyrillic names right."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in csv_rows(report, lang, outcome_names):
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


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
        sheet.append([heading])
        sheet["A1"].font = bold
        sheet.append(list(section.columns))
        for cell in sheet[2]:
            cell.font = bold
        for row in section.rows:
            sheet.append(list(row))
        for i, column in enumerate(section.columns, 1):
            width = max([len(str(column))] + [len(str(r[i - 1] or "")) for r in section.rows]) + 2
            sheet.column_dimensions[get_column_letter(i)].width = min(max(width, 10), 60)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()

"""Every CSV and XLSX the product writes goes through here: text cells can never become formulas.

Names in the exports are set by staff (services, desks, outcomes, users): an office's manager could
name a desk ``=HYPERLINK("https://…","…")`` and have it run in the workbook an admin opens. OWASP's
CSV-injection guidance: a text cell that begins with ``= + - @``, a tab or a carriage return (we add
the line feed and NUL of ASVS 1.2.10, and look past leading spaces, which spreadsheets skip) gets a
leading single quote, read by spreadsheet programs as "this is text". In XLSX the cell is also typed
as a string (``data_type 's'``), never a formula. Numbers stay numbers: only text is escaped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
BOM = "\ufeff"


def safe_text(value: str) -> str:
    """``value`` as spreadsheet-inert text (OWASP: a leading ' before a formula trigger)."""
    return "'" + value if value.lstrip(" ").startswith(FORMULA_TRIGGERS) else value


def decimal_text(value: float, decimal_comma: bool) -> str:
    """A fraction as a spreadsheet in that locale reads it (``15,2`` in Ukrainian)."""
    text = str(value)
    return text.replace(".", ",") if decimal_comma else text


def csv_cell(value: Any, decimal_comma: bool = False) -> str:
    """One CSV field: none -> empty, numbers in the locale's notation, text escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return decimal_text(value, decimal_comma)
    if isinstance(value, int):
        return str(value)
    return safe_text(str(value))


def to_csv(rows: Iterable[Sequence[Any]], *, delimiter: str = ",", decimal_comma: bool = False,
           bom: bool = True, lineterminator: str = "\r\n") -> str:
    """Rows as CSV text (RFC 4180 quoting), every field through ``csv_cell``.

    A Ukrainian spreadsheet wants ``;`` between fields, a decimal comma and a byte-order mark (so it
    reads UTF-8); a machine reader may want none of them."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator)
    for row in rows:
        writer.writerow([csv_cell(v, decimal_comma) for v in row])
    return (BOM if bom else "") + buf.getvalue()


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write one XLSX cell: numbers as numbers, text as escaped text typed ``s`` (never a formula).
    Returns the cell (to style it)."""
    cell = sheet.cell(row=row, column=column)
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        cell.value = value
    else:
        cell.value = safe_text(str(value))
        cell.data_type = "s"  # openpyxl would type a leading "=" as a formula
    return cell


def put_row(sheet: Worksheet, row: int, values: Sequence[Any]) -> list[Any]:
    """A whole row (1-based) through ``put``."""
    return [put(sheet, row, i, v) for i, v in enumerate(values, 1)]

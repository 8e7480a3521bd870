"""The one escape of every CSV/XLSX cell (OWASP CSV injection), read back from real files."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from reception.platform import spreadsheet


def test_text_starting_a_formula_gets_a_quote_and_numbers_stay() -> None:
    for bad in ("=1+1", "+1", "-A1", "@SUM(A1)", "\tx", "\rx", "  =1"):
        assert spreadsheet.safe_text(bad) == "'" + bad
    for fine in ("Вікно 1", "'=already", "a=b", ""):
        assert spreadsheet.safe_text(fine) == fine
    text = spreadsheet.to_csv([["=cmd|' /C calc'!A0", -1, 2.5, None]], delimiter=";", decimal_comma=True)
    assert text.startswith("\ufeff")
    assert next(csv.reader(io.StringIO(text[1:]), delimiter=";")) == ["'=cmd|' /C calc'!A0", "-1", "2,5", ""]


def test_xlsx_cells_are_typed_text() -> None:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    spreadsheet.put_row(sheet, 1, ['=HYPERLINK("https://x","y")', 3, None, "+1"])
    buf = io.BytesIO()
    book.save(buf)
    loaded = load_workbook(buf).active
    assert isinstance(loaded, Worksheet)
    row = list(loaded[1])
    assert [c.data_type for c in row[:2]] == ["s", "n"] and row[3].data_type == "s"
    assert row[0].value == '\'=HYPERLINK("https://x","y")' and row[1].value == 3 and row[3].value == "'+1"

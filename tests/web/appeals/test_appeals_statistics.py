"""The summary report's appeal figures (JSON, CSV, XLSX, PDF) and the hall's day figures, checked
against a journal counted by hand, and the pure figures on their own."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reception.appeals.stats import AppealRow, appeal_figures

PERIOD = "office=T1&from=2026-11-01&to=2026-11-24"
PHONE_A, PHONE_B = "050 111 22 33", "067 222 33 44"


def _appeal(form: str, kind: str, topic: str, received: str, phone: str, **extra: Any) -> dict[str, Any]:
    visitor = {"surname": "Коваль", "name": "Олена", "phone": phone, "email": "olena@example.ua"}
    return {"office": "T1", "form": form, "kind": kind, "topic": topic, "reception_date": received,
            "visitor": visitor, "questions": [f"Питання {received}"]} | extra


@pytest.fixture
def journal(api) -> dict[str, Any]:
    """Seven appeals in November (and one in October, outside the period), counted by hand:

    #  form      kind         topic      received  phone  outcome (as of 24.11)
    1  phone     complaint    subsidies  02.11     A      on control, 15 days -> due 17.11: overdue
    2  phone     application  subsidies  10.11     A      repeat of 1; answered 14.11 (4 days)
    3  email     proposal     pensions   12.11     B      answered 22.11 (10 days)
    4  phone     application  pensions   20.11     A      consultation (A's first on pensions: no repeat)
    5  phone     application  —          24.11     C      answered on the spot (0 days)
    6  letter    complaint    housing    05.11     D      on control, due 05.12
    7  personal  complaint    —          24.11     E      on control
    """
    mgr = api.user("mgr", ["manager"])
    made = [
        _appeal("phone", "complaint", "subsidies", "2026-11-02", PHONE_A, needs_study=False),
        _appeal("phone", "application", "subsidies", "2026-11-10", "+38 (050) 111-22-33"),
        _appeal("email", "proposal", "pensions", "2026-11-12", PHONE_B),
        _appeal("phone", "application", "pensions", "2026-11-20", "0501112233", is_consultation=True),
        _appeal("phone", "application", "", "2026-11-24", "063 333 44 55", answered_on_spot=True),
        _appeal("letter", "complaint", "housing", "2026-11-05", "093 444 55 66"),
        _appeal("personal_reception", "complaint", "", "2026-11-24", "097 555 66 77"),
        _appeal("phone", "complaint", "subsidies", "2026-10-30", "066 666 77 88"),
    ]
    ids = []
    for body in made:
        r = api.call("POST", "/records", mgr, json=body)
        assert r.status_code == 201, r.get_json()
        ids.append(r.get_json()["id"])
    for index, removed in ((1, "2026-11-14"), (2, "2026-11-22")):
        r = api.call("PATCH", f"/records/{ids[index]}", mgr, json={"removed_from_control": removed})
        assert r.status_code == 200, r.get_json()
    return {"mgr": mgr, "ids": ids}


EXPECTED = {
    "total": 7,
    "by_form": {"personal_reception": 1, "phone": 4, "email": 1, "letter": 1},
    "by_kind": {"proposal": 1, "application": 3, "complaint": 3},
    "by_topic": {"": 2, "pensions": 2, "subsidies": 2, "housing": 1},
    "by_outcome": {"consultation": 1, "on_spot": 1, "answered": 2, "on_control": 2, "overdue": 1},
    "by_day": [{"date": "2026-11-02", "appeals": 1}, {"date": "2026-11-05", "appeals": 1},
               {"date": "2026-11-10", "appeals": 1}, {"date": "2026-11-12", "appeals": 1},
               {"date": "2026-11-20", "appeals": 1}, {"date": "2026-11-24", "appeals": 2}],
    "consultations": 1,
    "repeat": 1,
    "repeat_pct": 16.7,  # 1 of the 6 that are not consultations
    "overdue": 1,
    "answered": 3,
    "median_answer_days": 4.0,  # 0, 4, 10
    "topic_names": {"pensions": "Пенсії", "subsidies": "Субсидії та пільги",
                    "housing": "Житло та комунальні послуги"},
}


def test_the_report_counts_the_journal_as_counted_by_hand(api, journal) -> None:
    r = api.call("GET", f"/reports/summary?{PERIOD}", journal["mgr"])
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["appeals"] == EXPECTED


def test_the_downloads_carry_the_same_figures(api, journal) -> None:
    raw = api.call("GET", f"/reports/summary.csv?{PERIOD}&lang=uk", journal["mgr"]).data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    figures = {row[2]: row[5] for row in rows if row[0] == "Звернення громадян (усі форми)"}
    assert figures == {"total": "7", "consultations": "1", "repeat": "1", "repeat_pct": "16,7", "overdue": "1",
                       "answered": "3", "median_answer_days": "4,0"}
    by_form = {row[2]: row[5] for row in rows if row[0] == "Звернення за формою надходження"}
    assert by_form == {"personal_reception": "1", "phone": "4", "email": "1", "letter": "1"}
    book = load_workbook(io.BytesIO(api.call("GET", f"/reports/summary.xlsx?{PERIOD}", journal["mgr"]).data))
    sheet = book["Звернення за тематикою"]
    assert {sheet.cell(i, 1).value: sheet.cell(i, 2).value for i in range(3, sheet.max_row + 1)} == {
        "Тематику не вказано": 2, "Пенсії": 2, "Субсидії та пільги": 2, "Житло та комунальні послуги": 1}
    pdf = api.call("GET", f"/reports/summary.pdf?{PERIOD}", journal["mgr"]).data
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Медіана строку відповіді, днів" in text and "Частка повторних, %" in text
    assert "Звернення за формою надходження" in text


def test_the_hall_shows_todays_appeals(api, journal) -> None:
    hall = api.call("GET", "/offices/T1/hall", journal["mgr"])
    assert hall.status_code == 200, hall.get_json()
    assert hall.get_json()["appeals"] == {
        "total": 2, "by_form": {"personal_reception": 1, "phone": 1, "email": 0, "letter": 0},
        "consultations": 0, "on_spot": 1, "repeat": 0, "overdue": 1}


def test_figures_of_nothing_and_of_consultations_only() -> None:
    assert appeal_figures([], {1: date(2026, 11, 24)})["median_answer_days"] is None
    row = AppealRow(1, date(2026, 11, 24), "phone", "application", "", True, False, False,
                    date(2026, 12, 9), None, date(2026, 11, 24))
    figures = appeal_figures([row, row], {1: date(2026, 11, 24)})
    assert figures["consultations"] == 2 and figures["repeat_pct"] is None and figures["answered"] == 0

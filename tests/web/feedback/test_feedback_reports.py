"""Satisfaction in the reports against hand-counted ratings of the ``reports_dataset`` visits.

Ratings (all of T1's served visits were finished at desk 1 by op1; the visit's day counts, as for every
figure): A 5, C2 4, D 3, F 2 (24 November, F finished after midnight but issued on the 24th), G 5 (25th);
T2: H 4 (24th). So T1 24-25: 5 responses, mean 19/5 = 3.8, one 2, one 3, one 4, two 5s; the 24th alone
4 responses, mean 14/4 = 3.5; the 25th one 5. Both offices: 6 responses, mean 23/6 = 3.83.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import update

from reception.feedback.service import give_feedback
from reception.offices.models import Service
from reception.reports import service as reports
from reception.reports.exports import to_csv, to_xlsx
from reception.reports.pdf import to_pdf
from tests.conftest import Api
from tests.fakes import ROOT, services
from tests.web import reports_dataset as ds

D24, D25 = date(2026, 11, 24), date(2026, 11, 25)
RATINGS = {"A": 5, "C2": 4, "D": 3, "F": 2, "G": 5, "H": 4}


@pytest.fixture
def rated(db, clock) -> dict[str, int]:
    ids = ds.build(db, clock)
    for letter, score in RATINGS.items():
        services(db, clock).value(give_feedback, ids[letter], score, None, via="phone")
    ds.later(clock)
    return ids


def test_the_summary_counts_satisfaction_by_office_service_desk_staff_and_day(db, clock, rated) -> None:
    r = reports.summary(db, clock, ROOT, "T1", D24, D25)
    assert r["satisfaction"] == {"responses": 5, "mean": 3.8, "by_score": {"1": 0, "2": 1, "3": 1, "4": 1, "5": 2}}
    by_service = {row["service"]: row["satisfaction"] for row in r["by_service"]}
    assert by_service["consult"]["responses"] == 5 and by_service["consult"]["mean"] == 3.8
    assert by_service["appeal"] == {"responses": 0, "mean": None, "by_score": {str(s): 0 for s in range(1, 6)}}
    desk1 = next(row for row in r["by_desk"] if row["desk"] == "1")
    assert desk1["satisfaction"]["responses"] == 5 and desk1["satisfaction"]["mean"] == 3.8
    (op1,) = [row for row in r["by_staff"] if row["user"] == "op1"]
    assert op1["satisfaction"]["mean"] == 3.8
    days = {row["date"]: row["satisfaction"] for row in r["by_day"]}
    assert (days["2026-11-24"]["responses"], days["2026-11-24"]["mean"]) == (4, 3.5)
    assert (days["2026-11-25"]["responses"], days["2026-11-25"]["mean"]) == (1, 5.0)

    one_day = reports.summary(db, clock, ROOT, "T1", D25, D25)["satisfaction"]
    assert one_day == {"responses": 1, "mean": 5.0, "by_score": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1}}
    both = reports.summary(db, clock, ROOT, None, D24, D25)["satisfaction"]
    assert both["responses"] == 6 and both["mean"] == 3.83
    # A second read comes from the roll-ups for the queue figures: satisfaction is the same.
    assert reports.summary(db, clock, ROOT, "T1", D24, D25)["satisfaction"]["mean"] == 3.8


def test_a_period_without_ratings_has_no_mean(db, clock) -> None:
    ds.build(db, clock)
    r = reports.summary(db, clock, ROOT, "T1", D24, D25)
    assert r["satisfaction"] == {"responses": 0, "mean": None, "by_score": {str(s): 0 for s in range(1, 6)}}
    assert all(row["satisfaction"]["mean"] is None for row in r["by_service"] + r["by_desk"] + r["by_day"])


def test_the_api_answers_the_contract_names(client, db, clock, rated) -> None:
    rapi = Api(client, db, clock, "T1")
    mgr = rapi.user("mgr", ["manager"], ["T1"])
    r = rapi.call("GET", "/reports/summary?office=T1&from=2026-11-24&to=2026-11-25", mgr)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["satisfaction"]["by_score"]["5"] == 2 and body["satisfaction"]["mean"] == 3.8
    assert {row["service"]: row["satisfaction"]["responses"] for row in body["by_service"]} == {"consult": 5, "appeal": 0}


def _evil_name(db: Any) -> str:
    evil = "=HYPERLINK(\"https://x\",\"y\")"
    with db.write() as s:
        s.execute(update(Service).where(Service.code == "consult").values(name_uk=evil))
    return evil


def test_csv_and_xlsx_carry_satisfaction_with_every_cell_escaped(db, clock, rated) -> None:
    evil = _evil_name(db)
    report = reports.summary(db, clock, ROOT, "T1", D24, D25)
    rows = list(csv.reader(io.StringIO(to_csv(report, "uk").decode("utf-8")[1:]), delimiter=";"))
    sat = [row for row in rows if row[0] == "Задоволеність відвідувачів"]
    assert ["Задоволеність відвідувачів", "", "", "", "Відгуків", "5"] in sat
    assert ["Задоволеність відвідувачів", "", "", "", "Середня оцінка", "3,8"] in sat
    assert ["Задоволеність відвідувачів", "", "", "", "Оцінка 5", "2"] in sat
    service_rows = [row for row in rows if row[0] == "Оцінки за послугами" and row[2] == "consult"]
    assert [row[3] for row in service_rows] == ["'" + evil] * 2  # the OWASP escape: never a formula
    assert [row[5] for row in service_rows] == ["5", "3,8"]
    assert ["Оцінки за днями", "", "24.11.2026", "", "Середня оцінка", "3,5"] in rows

    book = load_workbook(io.BytesIO(to_xlsx(report, "uk")))
    assert {"Задоволеність відвідувачів", "Оцінки за послугами", "Оцінки за робочими місцями",
            "Оцінки за працівниками", "Оцінки за днями"} <= set(book.sheetnames)  # whole names, within 31
    sheet = book["Оцінки за послугами"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert values == [["'" + evil, 5, 3.8]]
    summary = {row[0].value: row[1].value for row in book["Задоволеність відвідувачів"].iter_rows(min_row=3)}
    assert summary["Відгуків"] == 5 and summary["Середня оцінка"] == 3.8 and summary["Оцінка 2"] == 1


def test_the_pdf_shows_satisfaction(db, clock, rated) -> None:
    report = reports.summary(db, clock, ROOT, "T1", D24, D25)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(to_pdf(report, "uk"))).pages)
    assert "Задоволеність відвідувачів" in text and "Оцінки за працівниками" in text
    assert "3,8" in text


def test_the_reports_page_shows_the_mean_in_ukrainian_and_the_distribution(client, db, clock, rated) -> None:
    import re

    from tests.fakes import add_user, signed_in

    signed_in(client, db, clock, add_user(db, clock, "mgr", ["manager"], ["T1"]))
    page = client.get("/backoffice/reports?office=T1&from=2026-11-24&to=2026-11-25").get_data(as_text=True)
    assert re.search(r'id="kpi-satisfaction"><span class="rp-kpi-value">3,8<', page)
    assert "відгуків: 5" in page
    assert 'id="table-satisfaction"' in page and "<td>Оцінка 5</td>" in page
    assert 'id="table-satisfaction_by_staff"' in page and 'id="table-satisfaction_by_day"' in page

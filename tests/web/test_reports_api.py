"""GET /api/v1/reports/summary (+ .csv, .xlsx, .pdf): who may read it, bad input, and the downloads read
back to the same numbers as the JSON (figures of the data set: see test_reports_figures)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import Api
from tests.web import reports_dataset as ds

DAY = "from=2026-11-24&to=2026-11-24"


@pytest.fixture
def rapi(client, db, clock):
    ds.build(db, clock)
    return Api(client, db, clock, "T1")


def _json(rapi: Api, token: str, query: str, **headers: str) -> Any:
    r = rapi.call("GET", f"/reports/summary?{query}", token, headers=headers) if headers else \
        rapi.call("GET", f"/reports/summary?{query}", token)
    return r


def test_manager_reads_their_office_and_auditor_all_of_theirs(rapi: Api) -> None:
    mgr = rapi.user("mgr", ["manager"], ["T1"])
    r = rapi.call("GET", f"/reports/summary?office=T1&{DAY}", mgr)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["totals"] == {"issued": 6, "served": 4, "no_show": 1, "cancelled": 1, "transferred": 1}
    assert body["wait_min"]["mean"] == 15.2 and body["within_target_pct"] == 50.0
    aud = rapi.user("aud", ["auditor"], ["T1", "T2"])
    both = rapi.call("GET", f"/reports/summary?{DAY}", aud).get_json()
    assert both["office"] is None and both["totals"]["issued"] == 8
    adm = rapi.user("adm", ["admin"], [])
    assert rapi.call("GET", f"/reports/summary?office=T2&{DAY}", adm).get_json()["totals"]["served"] == 2


def test_refusals_are_problems_in_the_callers_language(rapi: Api) -> None:
    mgr = rapi.user("mgr", ["manager"], ["T1"])
    op = rapi.user("op", ["operator"], ["T1"])
    cases = [
        (mgr, "office=T1&from=2026-11-25&to=2026-11-24", 422, "пізніший"),
        (mgr, "office=T1&from=9999-01-01&to=9999-01-02", 422, "2100"),
        (mgr, "office=T1&from=24/11/2026", 422, "ДД.ММ.РРРР"),
        (mgr, "office=T1&from=2026-02-30", 422, "ДД.ММ.РРРР"),
        (mgr, "office=T1&from=30.02.2026", 422, "ДД.ММ.РРРР"),
        (mgr, "office=T1&from=2025-01-01&to=2026-06-01", 422, "366"),
        (mgr, "office=NOPE", 404, "NOPE"),
        (mgr, "office=T2", 403, "інша установа"),
        (op, "office=T1", 403, "роль"),
        (None, "office=T1", 401, "автентифікац"),
    ]
    for token, query, status, words in cases:
        for suffix in ("", ".csv", ".pdf"):
            r = rapi.call("GET", f"/reports/summary{suffix}?{query}", token)
            assert r.status_code == status, (query, suffix, r.get_json())
            assert r.mimetype == "application/problem+json"
            assert words in r.get_json()["detail"], r.get_json()
    r = rapi.client.get("/api/v1/reports/summary?office=T1&from=2026-11-25&to=2026-11-24",
                        headers={"Authorization": f"Bearer {mgr}", "Accept-Language": "en"})
    assert r.status_code == 422 and "after it ends" in r.get_json()["detail"]


def _csv_rows(body: bytes, delimiter: str = ";") -> list[dict[str, str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")  # the byte-order mark: spreadsheet programs then read UTF-8
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def _csv_figures(body: bytes) -> dict[tuple[str, str, str, str], str]:
    return {(r["Розділ"], r["Установа"], r["Код"], r["Показник"]): r["Значення"] for r in _csv_rows(body)}


def _num(value: Any) -> Any:
    return "" if value is None else str(value).replace(".", ",")


def test_csv_holds_the_same_figures(rapi: Api) -> None:
    """Ukrainian headers and words, ';' between fields, decimal commas, dates dd.mm.yyyy: it opens as
    columns in a Ukrainian spreadsheet."""
    mgr = rapi.user("mgr", ["manager"], ["T1"])
    report = rapi.call("GET", f"/reports/summary?office=T1&{DAY}", mgr).get_json()
    r = rapi.call("GET", f"/reports/summary.csv?office=T1&{DAY}", mgr)
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    assert r.data.decode("utf-8").splitlines()[0] == "\ufeffРозділ;Установа;Код;Назва;Показник;Значення"
    got = _csv_figures(r.data)
    assert got[("Звіт про роботу черги", "T1", "", "З")] == "24.11.2026"
    assert got[("Підсумки", "", "", "Видано талонів")] == "6" and got[("Підсумки", "", "", "Обслуговано")] == "4"
    for key, section in (("wait_min", "Очікування, хв"), ("service_min", "Обслуговування, хв")):
        for k, word in (("mean", "середнє"), ("median", "медіана"), ("p90", "90-й процентиль"), ("max", "найбільше")):
            assert got[(section, "", "", word)] == _num(report[key][k])
    assert got[("Підсумки", "", "", "Викликано в межах цільового очікування, %")] == "50,0"
    assert got[("Очікування, хв", "", "", "середнє")] == "15,2"
    for row in report["by_service"]:
        assert got[("За послугами", "T1", row["service"], "Обслуговано")] == _num(row["served"])
        assert got[("За послугами", "T1", row["service"], "Очікування, хв (середнє)")] == _num(row["wait_min"])
    assert got[("За робочими місцями", "T1", "1", "Обслуговано")] == "4"
    assert got[("За робочими місцями", "T1", "1", "Перерви, хв")] == "0,0"
    assert got[("За працівниками", "", "op1", "Обслуговування, хв (середнє)")] == "8,5"
    assert got[("За годинами", "", "10:00", "Видано талонів")] == "5"
    assert got[("За днями", "", "24.11.2026", "Обслуговано")] == "4"
    assert got[("Результати звернень", "", "explained", "Кількість")] == "1"
    assert got[("Особистий прийом громадян керівництвом", "", "", "Зареєстровано карток")] == "0"
    text = r.data.decode("utf-8")
    assert "Послуга consult" in text
    for english in ("section", "measure", "by_service", "wait_min", "2026-11-24"):
        assert english not in text, english


def test_csv_in_english_has_english_headers(rapi: Api) -> None:
    mgr = rapi.user("mgr", ["manager"], ["T1"])
    r = rapi.client.get(f"/api/v1/reports/summary.csv?office=T1&{DAY}",
                        headers={"Authorization": f"Bearer {mgr}", "Accept-Language": "en"})
    rows = _csv_rows(r.data, ",")
    assert list(rows[0]) == ["Section", "Office", "Code", "Name", "Figure", "Value"]
    assert {(x["Section"], x["Figure"]): x["Value"] for x in rows}[("Totals", "Called within the target wait, %")] \
        == "50.0"


def test_xlsx_holds_the_same_figures(rapi: Api) -> None:
    mgr = rapi.user("mgr", ["manager"], ["T1"])
    report = rapi.call("GET", f"/reports/summary?office=T1&{DAY}", mgr).get_json()
    r = rapi.call("GET", f"/reports/summary.xlsx?office=T1&{DAY}", mgr)
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(r.data))
    assert book.sheetnames[:3] == ["Підсумки", "Тривалість, хв", "За послугами"]
    summary = {row[0]: row[1] for row in book["Підсумки"].iter_rows(min_row=3, values_only=True)}
    assert summary["Видано талонів"] == 6 and summary["Обслуговано"] == 4 and summary["Не зʼявилися"] == 1
    assert summary["Викликано в межах цільового очікування, %"] == 50.0
    durations = {row[0]: row[1:] for row in book["Тривалість, хв"].iter_rows(min_row=3, values_only=True)}
    assert durations["Очікування"] == tuple(report["wait_min"][k] for k in ("mean", "median", "p90", "max"))
    assert durations["Обслуговування"] == (8.5, 9.5, 11.0, 11.0)
    services = list(book["За послугами"].iter_rows(min_row=3, values_only=True))
    assert services[0] == ("Послуга consult", 5, 4, 1, 1, 0, 15.0, 8.5, 40.0)
    assert services[1] == ("Послуга appeal", 1, 0, 0, 0, 1, 16.0, None, 100.0)
    hours = {row[0]: row[1:] for row in book["За годинами"].iter_rows(min_row=3, values_only=True)}
    assert hours["10:00"] == (5, 3) and hours["23:00"] == (1, 0)
    outcomes = {row[0]: row[1] for row in book["Результати звернень"].iter_rows(min_row=3, values_only=True)}
    assert outcomes == {"Надано консультацію": 1, "Прийнято документи": 1, "Надано розʼяснення": 1}


def test_pdf_is_ukrainian_with_the_same_figures(rapi: Api) -> None:
    mgr = rapi.user("mgr", ["manager"], ["T1"])
    r = rapi.call("GET", "/reports/summary.pdf?office=T1&from=2026-11-24&to=2026-11-25", mgr)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    pages = PdfReader(io.BytesIO(r.data)).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)  # one cell per line: join them
    for words in ("Звіт про роботу черги", "Установа T1", "24 листопада 2026 — 25 листопада 2026",
                  "Видано талонів 7", "Обслуговано 5", "Не зʼявилися 1", "Перенаправлено 1",
                  "Очікування 14,0 16,0 20,0 20,0", "Обслуговування 8,6 9,0 11,0 11,0",
                  "Видано й обслуговано за годинами доби", "За послугами", "Послуга consult 6 5 1 1 0 13,7 8,6 50,0"):
        assert words in text, (words, text[:1500])


def test_openapi_lists_the_report_routes(rapi: Api) -> None:
    spec = rapi.client.get("/api/v1/openapi.json").get_json()
    for path in ("/reports/summary", "/reports/summary.csv", "/reports/summary.xlsx", "/reports/summary.pdf"):
        assert "get" in spec["paths"][path]
    assert "ReportOut" in spec["components"]["schemas"]
    assert "from" in spec["components"]["schemas"]["ReportOut"]["properties"]

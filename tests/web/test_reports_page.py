"""/backoffice/reports: pickers, figures, SVG charts (no script), download links; refusals in Ukrainian."""

from __future__ import annotations

import re

import pytest

from tests.fakes import add_user, signed_in
from tests.web import reports_dataset as ds


def _sign_in(client, db, clock, username: str, roles: list[str], offices: list[str]) -> None:
    signed_in(client, db, clock, add_user(db, clock, username, roles, offices))


@pytest.fixture
def data(db, clock):
    return ds.build(db, clock)


def test_manager_sees_the_figures_charts_and_downloads(client, db, clock, data) -> None:
    _sign_in(client, db, clock, "mgr", ["manager"], ["T1"])
    r = client.get("/backoffice/reports?office=T1&from=2026-11-24&to=2026-11-25")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert "24 листопада 2026 — 25 листопада 2026" in page
    assert re.search(r'id="kpi-issued"><span class="rp-kpi-value">7<', page)
    assert re.search(r'id="kpi-served"><span class="rp-kpi-value">5<', page)
    assert re.search(r'id="kpi-wait"><span class="rp-kpi-value">14,0<', page)
    assert "медіана 16,0" in page and "57,1 %" in page
    assert page.count("<svg") == 3 and re.search(r"<script(?![^>]*\bsrc=)", page) is None
    assert "<title>10: видано — 5</title>" in page  # bar tooltips carry the figure
    for fmt in ("csv", "xlsx", "pdf"):
        assert f'/api/v1/reports/summary.{fmt}?office=T1&amp;from=2026-11-24&amp;to=2026-11-25' in page
    assert 'id="table-by_service"' in page and "Послуга consult" in page
    # The download link works with the same cookie session.
    csv_body = client.get("/api/v1/reports/summary.csv?office=T1&from=2026-11-24&to=2026-11-25")
    assert csv_body.status_code == 200 and "Підсумки;".encode() in csv_body.data


def test_defaults_to_this_month_and_offers_all_offices_to_an_auditor(client, db, clock, data) -> None:
    _sign_in(client, db, clock, "aud", ["auditor"], ["T1", "T2"])
    page = client.get("/backoffice/reports").get_data(as_text=True)
    assert "Усі доступні установи" in page and 'value="01.11.2026"' in page and 'value="25.11.2026"' in page
    assert re.search(r'id="kpi-issued"><span class="rp-kpi-value">9<', page)  # 7 in Kyiv + 2 in New York
    assert "Звіти" in page


def test_refusals(client, db, clock, data) -> None:
    _sign_in(client, db, clock, "mgr", ["manager"], ["T1"])
    r = client.get("/backoffice/reports?office=T1&from=2026-11-25&to=2026-11-24")
    assert r.status_code == 422 and "пізніший за його кінець" in r.get_data(as_text=True)
    r = client.get("/backoffice/reports?office=T1&from=9999-13-01")
    assert r.status_code == 422 and "Дата «Початок періоду» має бути у форматі ДД.ММ.РРРР" in r.get_data(as_text=True)
    r = client.get("/backoffice/reports?office=T2")
    assert r.status_code == 403 and "інша установа" in r.get_data(as_text=True)
    assert client.get("/backoffice/reports?office=NOPE").status_code == 404
    client.get("/backoffice/logout")
    with client.session_transaction() as sess:
        sess.clear()
    assert client.get("/backoffice/reports").status_code == 302  # to the sign-in page


def test_an_operator_may_not_read_reports(client, db, clock, data) -> None:
    _sign_in(client, db, clock, "op", ["operator"], ["T1"])
    assert client.get("/backoffice/reports").status_code == 403


def test_dates_are_ddmmyyyy_text_fields_and_errors_print_them(client, db, clock, data) -> None:
    """Whatever the browser's locale, the fields read dd.mm.yyyy (text, not the browser's date input) and
    the server reads what they hold; an error prints dates as the page shows them."""
    _sign_in(client, db, clock, "mgr", ["manager"], ["T1"])
    r = client.get("/backoffice/reports?office=T1&from=24.11.2026&to=25.11.2026")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "24 листопада 2026 — 25 листопада 2026" in page
    assert 'type="date"' not in page and re.search(r'<input type="text" name="from" value="24\.11\.2026"[^>]*data-date', page)
    r = client.get("/backoffice/reports?office=T1&from=25.11.2026&to=24.11.2026")
    assert r.status_code == 422 and "(25.11.2026)" in r.get_data(as_text=True) and "2026-11-25" not in r.get_data(as_text=True)

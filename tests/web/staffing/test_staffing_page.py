"""The staffing page (back office, manager): the day's plan beside the desks, a server-made SVG chart, no
inline script, in Ukrainian; operators are turned away."""

from __future__ import annotations

import re

from tests.web.leadership.test_leadership_pages import sign_in


def test_the_page_shows_the_plan_and_chart(client, db, clock, office) -> None:
    from reception.queue import commands as queue
    from tests.fakes import services
    from tests.web.staffing.test_staffing_api import kyiv

    run = services(db, clock)
    for minute in range(0, 60, 10):  # 6 consultations at 10:xx on Tuesday 17 November: 1 Erlang
        clock.set(kyiv(17, 10, minute))
        run.value(queue.issue_ticket, office_code="T1", service_code="consult")
    clock.set(kyiv(24, 10))
    csrf = sign_in(client, db, clock, "mgr", ["manager"])
    assert csrf
    r = client.get("/backoffice/staffing?office=T1&date=01.12.2026&target_pct=90")
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html
    assert "Скільки вікон потрібно" in html and "1 грудня 2026" in html
    assert 'id="staffing-chart"' in html and "<svg" in html and 'role="img"' in html
    # 90 % within 15 min at 1 Erlang: two desks (one alone never catches up), and both windows serve it
    row = re.search(r'<tr id="hour-10">(.*?)</tr>', html, re.S)
    assert row is not None and re.findall(r'rp-num">([^<]*)<', row.group(1))[:3] == ["6,0", "2", "2"]
    assert "бракує" not in row.group(1)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and " style=" not in html


def test_a_short_hour_is_marked(client, db, clock, office) -> None:
    from reception.queue import commands as queue
    from tests.fakes import services
    from tests.web.staffing.test_staffing_api import kyiv

    run = services(db, clock)
    for minute in range(60):  # 60 consultations an hour at 10 minutes each: 10 Erlangs, two desks
        clock.set(kyiv(17, 10, minute))
        run.value(queue.issue_ticket, office_code="T1", service_code="consult")
    clock.set(kyiv(24, 10))
    sign_in(client, db, clock, "mgr", ["manager"])
    html = client.get("/backoffice/staffing?office=T1&date=01.12.2026").get_data(as_text=True)
    row = re.search(r'<tr id="hour-10" class="stf-short">(.*?)</tr>', html, re.S)
    assert row is not None and "бракує" in row.group(1)


def test_refusals(client, db, clock, office) -> None:
    sign_in(client, db, clock, "op", ["operator"])
    assert client.get("/backoffice/staffing").status_code == 403
    sign_in(client, db, clock, "mgr", ["manager"])
    r = client.get("/backoffice/staffing?office=T1&target_pct=55")
    assert r.status_code == 422 and "Вчасно, %" in r.get_data(as_text=True)
    assert client.get("/backoffice/staffing?office=T1&date=31.02.2026").status_code == 422

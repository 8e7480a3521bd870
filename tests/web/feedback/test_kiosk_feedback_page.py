"""/kiosk/feedback: the hall survey's page, for a paired kiosk only, with the office's prefixes as keys."""

from __future__ import annotations


def test_only_a_paired_kiosk_gets_the_survey(visits, client) -> None:
    assert client.get("/kiosk/feedback").status_code == 403
    client.get(f"/kiosk?token={visits.kiosk}")  # pairs this browser
    r = client.get("/kiosk/feedback")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert "Оцініть ваш візит" in page and 'data-prefix="К"' in page and 'data-prefix="С"' in page
    assert page.count('type="radio" name="score"') == 5
    assert "style=" not in page and "<script>" not in page  # the strict CSP: nothing inline
    assert r.headers["Cache-Control"] == "no-store"
    assert "Rate your visit" in client.get("/kiosk/feedback?lang=en").get_data(as_text=True)

"""No English or technical text in the Ukrainian interface: error pages, the landing page, messages, dates."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from flask import abort

from reception.platform import i18n
from tests.web.leadership.builders import add_leader, add_leadership, add_rule
from tests.web.leadership.test_leadership_pages import sign_in

STATUSES = (400, 403, 404, 405, 413, 429, 500)
# Titles as people read them (and as the test expects them, written out by hand).
TITLES_UK = {400: "Некоректний запит", 403: "Доступ заборонено", 404: "Сторінку не знайдено",
             405: "Так цю сторінку не відкрити", 413: "Завеликий обсяг даних", 429: "Забагато спроб",
             500: "Внутрішня помилка"}
TITLES_EN = {400: "Bad request", 403: "Access denied", 404: "Page not found", 405: "Not available this way",
             413: "Too much data", 429: "Too many attempts", 500: "Internal error"}


class _Visible(HTMLParser):
    """The text a reader sees: no tags, scripts or styles, and nothing marked ``lang="en"``."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip or tag in ("script", "style") or dict(attrs).get("lang") == "en":
            self._skip.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html[html.index("<body"):] if "<body" in html else html)
    head = re.search(r"<title>(.*?)</title>", html, re.S)
    return " ".join([head.group(1) if head else "", *parser.parts])


def latin_words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{2,}", text)


@pytest.fixture
def failing_app(app):
    """The app with a page that fails on demand (added before its first request)."""

    def fail(code: int):
        if code == 500:
            raise RuntimeError("boom")  # an unexpected error, not an abort
        abort(code)

    app.add_url_rule("/test-fail/<int:code>", view_func=fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.parametrize("status", STATUSES)
def test_every_error_page_in_ukrainian_and_english(failing_app, status: int) -> None:
    client = failing_app.test_client()
    uk = client.get(f"/test-fail/{status}", headers={"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"})
    assert uk.status_code == status and uk.mimetype == "text/html"
    html = uk.get_data(as_text=True)
    assert '<html lang="uk">' in html and TITLES_UK[status] in html and f"Помилка {status}" in html
    assert latin_words(visible_text(html)) == [], visible_text(html)
    en = client.get(f"/test-fail/{status}?lang=en")
    assert en.status_code == status and '<html lang="en">' in en.get_data(as_text=True)
    assert TITLES_EN[status] in en.get_data(as_text=True)


def test_real_errors_use_the_same_page(client, db, clock, office) -> None:
    pages = {404: client.get("/no-such-page"), 405: client.get("/desk/open")}
    pages[413] = client.post("/login", data={"username": "x" * 1_100_000, "password": "p"},
                             content_type="multipart/form-data")  # over the 1 MiB body limit
    sign_in(client, db, clock, "aud", ["auditor"])
    pages[403] = client.get("/backoffice/booking")
    for status, r in pages.items():
        html = r.get_data(as_text=True)
        assert r.status_code == status and TITLES_UK[status] in html, status
        assert "Forbidden" not in html and "Not Found" not in html and latin_words(visible_text(html)) == []


def test_api_errors_stay_problem_json(client) -> None:
    r = client.get("/api/v1/no-such-thing")
    assert r.status_code == 404 and r.mimetype == "application/problem+json"


def test_landing_page_names_the_entry_points(client) -> None:
    r = client.get("/")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    for path, title in (("/kiosk", "Кіоск"), ("/display", "Табло"), ("/desk", "Робоче місце"),
                        ("/backoffice", "Робочий кабінет"), ("/schedule", "Графік прийому громадян")):
        assert f'href="{path}"' in html and title in html
    assert latin_words(visible_text(html)) == []  # the "English" switch is marked lang="en"
    assert "Desk console" in client.get("/?lang=en").get_data(as_text=True)


def test_backoffice_home_needs_sign_in_then_lists_sections(client, db, clock, office) -> None:
    r = client.get("/backoffice")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    sign_in(client, db, clock, "cc", ["call_centre"])
    html = client.get("/backoffice").get_data(as_text=True)
    assert "Запис на прийом" in html and 'href="/backoffice/booking"' in html


# --- messages ----------------------------------------------------------------------------------------

def test_dates_in_messages_are_written_out() -> None:
    assert i18n.format_date(date(2026, 12, 1)) == "1 грудня 2026"
    assert i18n.format_date(date(2027, 3, 8), "en") == "8 March 2027"
    assert i18n.t("error.exception_exists", "uk", date=date(2026, 12, 1)) == "Для дати 1 грудня 2026 уже є виняток."


def test_field_names_become_labels(api, db, clock, office) -> None:
    add_leadership(db)
    op = api.user("op", ["operator"])
    r = api.call("POST", "/records", op, json={"office": "T1", "kind": "complaint", "questions": ["Борг"],
                                               "visitor": {"surname": "Шевченко", "name": "Тарас"}})
    assert r.status_code == 201, r.get_json()
    r = api.call("PATCH", f"/records/{r.get_json()['id']}?lang=uk", op, json={"received_by_name": ""})
    assert r.status_code == 422
    assert r.get_json()["detail"] == "Заповніть поле «Хто приймав (ПІБ)»."
    assert "received_by_name" not in r.get_json()["detail"]


def test_a_refused_exception_names_the_date_in_words(api, db, clock, office) -> None:
    add_leadership(db)
    rule = add_rule(db, clock, add_leader(db, clock), weekday=2, valid_from=date(2026, 11, 1))
    mgr = api.user("mgr", ["manager"])
    body = {"date": "2026-12-01", "action": "cancel"}
    assert api.call("POST", f"/reception-rules/{rule['id']}/exceptions", mgr, json=body).status_code == 201
    again = api.call("POST", f"/reception-rules/{rule['id']}/exceptions?lang=uk", mgr, json=body)
    assert again.status_code == 409 and "1 грудня 2026" in again.get_json()["detail"]
    assert again.get_json()["params"]["date"] == "2026-12-01"  # machines still get ISO
    bad = api.call("POST", f"/reception-rules/{rule['id']}/exceptions?lang=uk", mgr,
                   json={"date": "2026-12-02", "action": "cancel"})
    assert bad.status_code == 422 and "2 грудня 2026" in bad.get_json()["detail"]


def test_rule_checks_answer_in_words(api, db, clock, office) -> None:
    add_leadership(db)
    leader = add_leader(db, clock)
    mgr = api.user("mgr", ["manager"])
    r = api.call("POST", f"/leaders/{leader}/rules?lang=uk", mgr, json={
        "desk": "412", "weekday": 2, "start": "10:00", "end": "10:10", "slot_min": 15, "valid_from": "2026-11-01"})
    assert r.status_code == 422 and r.get_json()["code"] == "bad_rule"
    assert r.get_json()["detail"].startswith("Правило прийому некоректне: у цей проміжок не вміщується")


def test_index_pattern_shown_as_an_example(client, db, clock, office) -> None:
    add_leadership(db)
    sign_in(client, db, clock, "mgr", ["manager"])
    html = client.get("/backoffice/schedule").get_data(as_text=True)
    select = re.search(r'<select name="record_index_pattern".*?</select>', html, re.S).group(0)  # type: ignore[union-attr]
    shown = re.sub(r"<[^>]+>", " ", select)
    assert "ВП-17/26" in shown and "Ш-17" in shown and "{" not in shown
    assert "{leader_initials}" not in visible_text(html)

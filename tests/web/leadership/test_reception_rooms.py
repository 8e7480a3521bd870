"""A reception room as a new user met it: one room for several leaders, who calls whom, long names
(SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from reception.leadership.models import LEADER_TEXT_MAX, Leader
from tests.fakes import CSRF_TOKEN, add_user, signed_in
from tests.web.leadership.builders import LEADER, add_leadership

LONG = ("Олександра-Вікторія " * 13).strip() + "я"  # 260 characters


@pytest.fixture
def room(api, db, clock):  # type: ignore[no-untyped-def]
    add_leadership(db)
    return {"mgr": api.user("mgr", ["manager"])}


def _leaders(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Leader)) or 0)


def test_api_refuses_an_over_long_leader_name_and_says_the_limit(api, db, room) -> None:  # type: ignore[no-untyped-def]
    r = api.call("POST", "/leaders?lang=uk", room["mgr"], json={"office": "T1", **LEADER, "name_uk": LONG})
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert _leaders(db) == 0
    schema = api.client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["LeaderIn"]
    for field in ("name_uk", "name_en", "position_uk", "position_en"):
        assert schema["properties"][field]["maxLength"] == LEADER_TEXT_MAX
    exact = api.call("POST", "/leaders", room["mgr"], json={"office": "T1", **LEADER, "name_uk": "Я" * LEADER_TEXT_MAX})
    assert exact.status_code == 201 and exact.get_json()["name_uk"] == "Я" * LEADER_TEXT_MAX


def test_schedule_page_refuses_an_over_long_name_in_ukrainian_and_cuts_nothing(client, db, clock, room) -> None:  # type: ignore[no-untyped-def]
    signed_in(client, db, clock, add_user(db, clock, "boss-mgr", ["manager"], ["T1"]))
    page = client.get("/backoffice/schedule").get_data(as_text=True)
    assert 'name="name_uk" required maxlength' not in page  # the browser would cut a pasted name silently
    form = {"csrf_token": CSRF_TOKEN, "office": "T1", **LEADER, "name_uk": LONG}
    r = client.post("/backoffice/schedule/leaders", data=form, follow_redirects=True)
    text = r.get_data(as_text=True)
    assert "задовге: можна до 200 знаків, а введено 260" in text, text[:3000]
    assert _leaders(db) == 0
    r = client.post("/backoffice/schedule/leaders", data=form | {"name_uk": "Я" * LEADER_TEXT_MAX})
    assert r.status_code == 302 and _leaders(db) == 1

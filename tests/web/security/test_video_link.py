"""A remote reception's video link: one check for the schedule form and the API (issue 11)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from reception.leadership.links import clean_video_url
from reception.leadership.models import ReceptionRule, ReceptionSession
from tests.fakes import CSRF_TOKEN, add_user, signed_in
from tests.web.leadership.builders import add_leader, add_leadership, add_rule

BAD_LINKS = ["javascript:alert(document.cookie)", "JavaScript:alert(1)", " javascript:alert(1)",
             "data:text/html,<script>alert(1)</script>", "http://", "https:///path", "https://a b.example",
             "https://meet.example/\nx", "vbscript:msgbox", "//meet.example/room", "https://" + "a" * 500]


@pytest.mark.parametrize("link", BAD_LINKS)
def test_only_http_links_with_a_host_pass(link: str) -> None:
    with pytest.raises(ValueError):
        clean_video_url(link)


def test_good_links_are_trimmed_and_empty_ones_are_none() -> None:
    assert clean_video_url("  https://meet.example/room?id=1  ") == "https://meet.example/room?id=1"
    assert clean_video_url("http://10.0.0.5:8080/call") == "http://10.0.0.5:8080/call"
    assert clean_video_url("") is None and clean_video_url(None) is None


@pytest.fixture
def leader(db, clock, office) -> int:
    add_leadership(db)
    return add_leader(db, clock)


def _rules(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(ReceptionRule))


@pytest.mark.parametrize("link", ["javascript:alert(document.cookie)", "data:text/html,x"])
def test_schedule_form_refuses_a_script_link_like_the_api(app, client, api, db, clock, leader, link) -> None:
    signed_in(client, db, clock, add_user(db, clock, "mgr", ["manager"], ["T1"]))
    form = {"csrf_token": CSRF_TOKEN, "office": "T1", "desk": "412", "weekday": "2", "start": "10:00", "end": "12:00",
            "slot_min": "15", "valid_from": "2026-11-01", "remote": "1", "video_url": link}
    r = client.post(f"/backoffice/schedule/leaders/{leader}/rules", data=form)
    assert r.status_code == 302 and _rules(db) == 0
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Поле «video_url»: потрібне посилання, що починається з «http://» або «https://»" in page  # the refusal

    token = api.user("mgr2", ["manager"])
    body = {"desk": "412", "weekday": 2, "start": "10:00", "end": "12:00", "slot_min": 15,
            "valid_from": "2026-11-01", "remote": True, "video_url": link}
    r = api.call("POST", f"/leaders/{leader}/rules", token, json=body)
    assert r.status_code == 422 and _rules(db) == 0

    r = client.post(f"/backoffice/schedule/leaders/{leader}/rules", data=form | {"video_url": "https://meet.example/r"})
    assert r.status_code == 302 and _rules(db) == 1


def test_remote_session_form_refuses_a_script_link(app, client, db, clock, leader) -> None:
    add_rule(db, clock, leader, valid_from=date(2026, 11, 1))
    with db.read() as s:
        session_id = s.scalar(select(ReceptionSession.id).limit(1))
    signed_in(client, db, clock, add_user(db, clock, "mgr", ["manager"], ["T1"]))
    form = {"csrf_token": CSRF_TOKEN, "office": "T1", "remote": "1", "video_url": "javascript:alert(1)"}
    client.post(f"/backoffice/schedule/sessions/{session_id}/remote", data=form)
    with db.read() as s:
        assert s.get(ReceptionSession, session_id).video_url is None
    client.post(f"/backoffice/schedule/sessions/{session_id}/remote", data=form | {"video_url": "https://meet.example/r"})
    with db.read() as s:
        assert s.get(ReceptionSession, session_id).video_url == "https://meet.example/r"

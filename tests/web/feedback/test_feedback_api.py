"""POST /api/v1/tickets/{public_token}/feedback and the hall survey POST /api/v1/kiosk/feedback."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from reception.audit.models import AuditLog
from reception.feedback.models import Feedback
from reception.feedback.service import give_by_token
from reception.queue.models import Ticket
from tests.fakes import race


def only_feedback(db: Any) -> Feedback:
    with db.read() as s:
        rows = list(s.scalars(select(Feedback)))
    assert len(rows) == 1
    return rows[0]


def test_a_finished_visit_is_rated_once_with_who_served_it(visits, api, db) -> None:
    ticket = visits.finished()
    r = visits.rate(ticket["token"], score=4, comment="  Швидко і ввічливо  ")
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["score"] == 4 and r.get_json()["via"] == "phone"
    row = only_feedback(db)
    with db.read() as s:
        t = s.get(Ticket, ticket["id"])
        assert t is not None
        assert (row.ticket_id, row.office_id, row.service_id, row.desk_id, row.day) == (
            t.id, t.office_id, t.service_id, t.desk_id, t.day)
        assert row.user_id == t.user_id and row.user_id is not None
        entry = s.scalar(select(AuditLog).where(AuditLog.action == "feedback.give"))
    assert row.comment == "Швидко і ввічливо" and row.via == "phone"
    # The audit keeps ids, the score and that a comment was left, never its text.
    assert entry is not None and entry.object_id == str(ticket["id"])
    assert entry.detail["with_comment"] is True and "Швидко" not in str(entry.detail)

    again = visits.rate(ticket["token"], score=5)
    assert again.status_code == 409
    problem = again.get_json()
    assert problem["code"] == "feedback_given" and "уже залишено" in problem["detail"]
    assert again.mimetype == "application/problem+json"
    assert only_feedback(db).score == 4


def test_a_visit_not_finished_is_refused(visits, api) -> None:
    waiting = visits.issue()
    r = visits.rate(waiting["token"], score=5)
    assert r.status_code == 409 and r.get_json()["code"] == "visit_not_finished"
    assert r.get_json()["detail"] == "Оцінити можна лише завершений візит."
    visits.call()
    assert visits.rate(waiting["token"], score=5).get_json()["code"] == "visit_not_finished"
    # A no-show was not a visit that went anywhere: nothing to rate either.
    r = api.call("POST", f"/tickets/{waiting['id']}/no-show", visits.operator)
    if r.status_code == 200:
        assert visits.rate(waiting["token"], score=1).get_json()["code"] == "visit_not_finished"


def test_the_window_closes_after_the_configured_hours(visits, app, clock, db) -> None:
    ticket = visits.finished()
    clock.advance(hours=72)
    r = visits.rate(ticket["token"], score=3)
    assert r.status_code == 409 and r.get_json()["code"] == "feedback_window_closed"
    assert "72 год" in r.get_json()["detail"]
    app.config["FEEDBACK_WINDOW_HOURS"] = 100
    assert visits.rate(ticket["token"], score=3).status_code == 201


def test_bad_scores_and_comments_change_nothing(visits, db) -> None:
    ticket = visits.finished()
    for body in ({"score": 0}, {"score": 6}, {"score": -1}, {"score": 4.5}, {"score": "5"}, {"score": True},
                 {}, {"score": 3, "comment": "х" * 1001}, {"score": 3, "name": "Петренко"}):
        r = visits.rate(ticket["token"], **body)
        assert r.status_code in (400, 422), (body, r.get_json())
        assert r.mimetype == "application/problem+json"
    r = visits.rate(ticket["token"], score=9)
    assert r.get_json()["code"] == "feedback_score" and "від 1 до 5" in r.get_json()["detail"]
    r = visits.rate(ticket["token"], score=2, comment="х" * 1001)
    assert r.get_json()["code"] == "feedback_comment" and "1000" in r.get_json()["detail"]
    with db.read() as s:
        assert s.scalar(select(Feedback.id)) is None
    assert visits.rate(ticket["token"], score=2, comment="х" * 1000).status_code == 201


def test_unknown_or_malformed_tokens_are_404(visits) -> None:
    for token in ("A" * 20, "short", "x" * 65, "bad%20token!!"):
        r = visits.rate(token, score=5)
        assert r.status_code == 404, token
    assert visits.rate("A" * 20, score=5).get_json()["code"] == "unknown_ticket"


def test_ratings_are_limited_per_address(visits, app) -> None:
    app.config["FEEDBACK_RATE"] = "3 per minute"
    answers = [visits.rate("A" * 20, score=5).status_code for _ in range(4)]
    assert answers == [404, 404, 404, 429]


def test_two_ratings_at_once_one_wins(visits, db_url, clock, db) -> None:
    ticket = visits.finished()
    outcomes = race(db_url, clock, give_by_token, [(ticket["token"], 5, None), (ticket["token"], 1, "ні")])
    assert sorted(outcomes) == ["error.feedback_given", "ok"]
    assert only_feedback(db).score in (1, 5)


# --- the hall survey --------------------------------------------------------------------------------


def test_the_hall_survey_rates_todays_visit_by_its_slip_code(visits, api, db) -> None:
    ticket = visits.finished()
    assert ticket["code"] == "К-001"
    r = api.call("POST", "/kiosk/feedback", visits.kiosk, json={"code": " k1 ", "score": 5})  # as a visitor types it
    assert r.status_code == 201 and r.get_json()["via"] == "hall"
    assert only_feedback(db).via == "hall"
    r = api.call("POST", "/kiosk/feedback", visits.kiosk, json={"code": "К-001", "score": 5})
    assert r.status_code == 409 and r.get_json()["code"] == "feedback_given"
    r = api.call("POST", "/kiosk/feedback", visits.kiosk, json={"code": "К-077", "score": 5})
    assert r.status_code == 404 and "К-077" in r.get_json()["detail"]
    waiting = visits.issue()
    r = api.call("POST", "/kiosk/feedback", visits.kiosk, json={"code": waiting["code"], "score": 5})
    assert r.status_code == 409 and r.get_json()["code"] == "visit_not_finished"


def test_only_a_paired_kiosk_runs_the_hall_survey(visits, api) -> None:
    visits.finished()
    assert api.call("POST", "/kiosk/feedback", json={"code": "К-001", "score": 5}).status_code == 401
    r = api.call("POST", "/kiosk/feedback", visits.operator, json={"code": "К-001", "score": 5})
    assert r.status_code == 403


def test_a_rating_from_the_messages_link_says_so(visits, api, db) -> None:
    ticket = visits.finished()
    r = api.call("POST", f"/tickets/{ticket['token']}/feedback?via=kiosk", json={"score": 5})
    assert r.status_code == 422  # phone or message only
    r = api.call("POST", f"/tickets/{ticket['token']}/feedback?via=message", json={"score": 5})
    assert r.status_code == 201 and r.get_json()["via"] == "message"
    assert only_feedback(db).via == "message"

"""The hall view's satisfaction: the ratings of today's visits of the office."""

from __future__ import annotations

from typing import Any


def hall(api: Any, token: str) -> dict[str, Any]:
    r = api.call("GET", "/offices/T1/hall", token)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_the_hall_view_counts_todays_ratings(visits, api, clock) -> None:
    manager = api.user("mgr", ["manager"])
    assert hall(api, manager)["satisfaction"] == {"responses": 0, "mean": None,
                                                   "by_score": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}}
    first, second, third = visits.finished(), visits.finished(), visits.finished()
    assert visits.rate(first["token"], score=5).status_code == 201
    assert visits.rate(second["token"], score=4).status_code == 201
    assert visits.rate(third["token"], score=4, comment="Довго чекав").status_code == 201
    sat = hall(api, manager)["satisfaction"]
    assert (sat["responses"], sat["mean"], sat["by_score"]["4"]) == (3, 4.33, 2)
    # Tomorrow is another day: yesterday's visits are the reports', not the hall's.
    clock.advance(days=1)
    assert hall(api, manager)["satisfaction"]["responses"] == 0


def test_the_hall_page_has_the_satisfaction_card(visits, api, client, db, clock) -> None:
    from tests.fakes import add_user, signed_in

    signed_in(client, db, clock, add_user(db, clock, "mgr2", ["manager"], ["T1"]))
    page = client.get("/backoffice/hall?office=T1").get_data(as_text=True)
    assert 'id="hall-satisfaction"' in page and "Задоволеність сьогодні" in page
    assert '"sat_mean": "Середня оцінка"' in page or "sat_mean" in page

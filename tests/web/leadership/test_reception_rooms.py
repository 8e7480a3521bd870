"""A reception room as a new user met it: one room for several leaders, who calls whom, long names
(SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from reception.leadership.models import LEADER_TEXT_MAX, Leader
from tests.fakes import CSRF_TOKEN, add_user, signed_in
from tests.web.leadership.builders import LEADER, add_leadership

LONG = ("Олександра-Вікторія " * 13).strip() + "я"  # 260 characters


@pytest.fixture
def room(api, db, clock):
    add_leadership(db)
    return {"mgr": api.user("mgr", ["manager"])}


def _leaders(db) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Leader)) or 0)


def test_api_refuses_an_over_long_leader_name_and_says_the_limit(api, db, room) -> None:
    r = api.call("POST", "/leaders?lang=uk", room["mgr"], json={"office": "T1", **LEADER, "name_uk": LONG})
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert _leaders(db) == 0
    schema = api.client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["LeaderIn"]
    for field in ("name_uk", "name_en", "position_uk", "position_en"):  # the trimmed length, as a pattern (027)
        assert f"{{0,{LEADER_TEXT_MAX - 2}}}" in schema["properties"][field]["pattern"]
    exact = api.call("POST", "/leaders", room["mgr"], json={"office": "T1", **LEADER, "name_uk": "Я" * LEADER_TEXT_MAX})
    assert exact.status_code == 201 and exact.get_json()["name_uk"] == "Я" * LEADER_TEXT_MAX


def test_schedule_page_refuses_an_over_long_name_in_ukrainian_and_cuts_nothing(client, db, clock, room) -> None:
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


# --- one room, two leaders in turn: whom call-next calls --------------------------------------------

ALPHA = dict(name_uk="Андрій Бондаренко", name_en="Andrii Bondarenko", position_uk="Заступник Міністра",
             position_en="Deputy Minister")
BETA = dict(name_uk="Ірина Коваль", name_en="Iryna Koval", position_uk="Директорка департаменту",
            position_en="Director")


@pytest.fixture
def shared_room(api, db, clock, room):
    """Room 412 on Tuesday 24.11.2026: Андрій Бондаренко 10:15–11:00, then Ірина Коваль 11:00–12:00; one visitor
    booked with each; the clock at 10:00."""
    from tests.web.leadership.builders import set_settings

    set_settings(db, booking_cutoff_working_days=0)
    mgr = room["mgr"]
    tokens = {"alpha": api.user("alpha", ["leader"]), "beta": api.user("beta", ["leader"]),
              "op": api.user("op", ["operator"]), "cc": api.user("cc", ["call_centre"]), "mgr": mgr,
              "kiosk": api.device("kiosk")}
    codes: dict[str, str] = {}
    for user, person, start, end in (("alpha", ALPHA, "10:15", "11:00"), ("beta", BETA, "11:00", "12:00")):
        leader = api.call("POST", "/leaders", mgr, json={"office": "T1", "user": user, **person}).get_json()["id"]
        r = api.call("POST", f"/leaders/{leader}/rules", mgr, json={
            "desk": "412", "weekday": 2, "start": start, "end": end, "slot_min": 15, "valid_from": "2026-11-01"})
        assert r.status_code == 201, r.get_json()
        sid = api.call("GET", f"/reception-sessions?office=T1&leader={leader}&from=2026-11-24&to=2026-11-24",
                       tokens["cc"]).get_json()[0]["id"]
        r = api.call("POST", f"/reception-sessions/{sid}/appointments", tokens["cc"],
                     json={"visitor": {"surname": "Відвідувач", "name": user}, "topic": f"Питання до {user}"})
        assert r.status_code == 201, r.get_json()
        codes[user] = r.get_json()["booking_code"]
    return tokens, codes


def _check_in(api, tokens, code: str) -> dict:
    r = api.call("POST", "/kiosk/checkin", tokens["kiosk"], json={"booking_code": code})
    assert r.status_code in (200, 201), r.get_json()
    return r.get_json()


def _call_next(api, token: str):
    r = api.call("POST", "/desks/412/call-next", token)
    assert r.status_code in (200, 204), r.get_json()
    return r.get_json() if r.status_code == 200 else None


def test_a_leader_never_calls_the_visitor_booked_with_the_next_leader_in_the_room(api, clock, shared_room) -> None:
    tokens, codes = shared_room
    clock.advance(minutes=26)  # 10:26, Андрій's hours; Ірина's visitor comes 34 minutes before her 11:00 slot
    hers = _check_in(api, tokens, codes["beta"])
    assert api.call("POST", "/desks/412/open", tokens["alpha"]).status_code == 200
    assert _call_next(api, tokens["alpha"]) is None  # she waits for Ірина's session
    his = _check_in(api, tokens, codes["alpha"])
    assert _call_next(api, tokens["alpha"])["code"] == his["code"]
    r = api.call("POST", f"/tickets/{his['id']}/finish", tokens["alpha"], json={"outcome": "appeal_registered"})
    assert r.status_code == 200
    assert _call_next(api, tokens["alpha"]) is None
    assert api.call("POST", "/desks/412/close", tokens["alpha"]).status_code == 200
    # Ірина takes the room and calls her own visitor.
    assert api.call("POST", "/desks/412/open", tokens["beta"]).status_code == 200
    assert _call_next(api, tokens["beta"])["code"] == hers["code"]


def test_a_stand_in_calls_the_visitors_of_the_session_they_opened_the_room_for(api, clock, shared_room) -> None:
    tokens, codes = shared_room
    clock.advance(minutes=26)
    _check_in(api, tokens, codes["beta"])
    his = _check_in(api, tokens, codes["alpha"])
    assert api.call("POST", "/desks/412/open", tokens["op"]).status_code == 200  # during Андрій's session
    assert _call_next(api, tokens["op"])["code"] == his["code"]
    api.call("POST", f"/tickets/{his['id']}/finish", tokens["op"], json={"outcome": "appeal_registered"})
    assert _call_next(api, tokens["op"]) is None


def test_the_record_card_names_the_leader_who_received_the_visitor(api, db, clock, shared_room) -> None:
    """Even a visitor of Ірина's session called out of turn by Андрій is Андрій's reception on the card."""
    from reception.leadership import records
    from reception.offices.models import Desk

    tokens, codes = shared_room
    clock.advance(minutes=26)
    hers = _check_in(api, tokens, codes["beta"])
    with db.write() as s:
        desk = s.scalar(select(Desk).where(Desk.code == "412"))
        assert desk is not None
        desk.allow_call_specific = True
    assert api.call("POST", "/desks/412/open", tokens["alpha"]).status_code == 200
    r = api.call("POST", "/desks/412/call", tokens["alpha"],
                 json={"ticket_id": hers["id"], "reason": "Ірина Коваль попросила прийняти"})
    assert r.status_code == 200, r.get_json()
    api.call("POST", f"/tickets/{hers['id']}/finish", tokens["alpha"], json={"outcome": "appeal_registered"})
    w = api.client.application.extensions["reception"]
    from reception.accounts.models import User
    from reception.kernel.identity import Actor
    from reception.offices.models import Office

    with db.read() as s:
        alpha = s.scalar(select(User.id).where(User.username == "alpha"))
        office = s.scalar(select(Office.id).where(Office.code == "T1"))
        actor = Actor(user_id=alpha, roles=frozenset({"leader"}), office_ids=frozenset({office}))
    card = records.prefill_from_ticket(w.db, actor, hers["id"])
    assert card["received_by_name"] == "Андрій Бондаренко" and card["surname"] == "Відвідувач"
    assert card["questions"] == ["Питання до beta"]


# --- one room, one reception at a time: overlapping hours are refused -------------------------------

MONDAY = {"desk": "412", "weekday": 1, "slot_min": 20, "valid_from": "2026-11-01"}


def _two_leaders(api, mgr: str) -> tuple[int, int]:
    ids = [api.call("POST", "/leaders", mgr, json={"office": "T1", **person}).get_json()["id"] for person in (ALPHA, BETA)]
    return ids[0], ids[1]


def _counts(db) -> tuple[int, int]:
    from reception.leadership.models import ReceptionRule, ReceptionSession

    with db.read() as s:
        return (int(s.scalar(select(func.count()).select_from(ReceptionRule)) or 0),
                int(s.scalar(select(func.count()).select_from(ReceptionSession)) or 0))


def test_a_rule_overlapping_another_leaders_hours_in_the_room_is_refused(api, db, room) -> None:
    mgr = room["mgr"]
    alpha, beta = _two_leaders(api, mgr)
    r = api.call("POST", f"/leaders/{alpha}/rules", mgr, json=MONDAY | {"start": "16:00", "end": "20:00"})
    assert r.status_code == 201
    before = _counts(db)
    r = api.call("POST", f"/leaders/{beta}/rules?lang=uk", mgr, json=MONDAY | {"start": "17:00", "end": "19:00"})
    assert r.status_code == 409 and r.mimetype == "application/problem+json", r.get_json()
    problem = r.get_json()
    assert problem["code"] == "room_taken"
    assert problem["params"].items() >= {"leader": "Андрій Бондаренко", "leader_id": alpha, "start": "16:00",
                                          "end": "20:00", "date": "2026-11-30", "desk": "Кабінет 412"}.items()
    assert problem["detail"] == ("Приміщення «Кабінет 412» на цей час уже зайняте: 30.11.2026 з 16:00 до 20:00 там "
                                 "приймає Андрій Бондаренко. Оберіть інший час або інше приміщення.")
    english = api.call("POST", f"/leaders/{beta}/rules?lang=en", mgr, json=MONDAY | {"start": "17:00", "end": "19:00"})
    assert "Андрій Бондаренко receives there" in english.get_json()["detail"]  # the name as registered
    assert english.get_json()["params"]["leader_en"] == "Andrii Bondarenko"
    assert _counts(db) == before  # nothing of the refused rule remains
    # Before and after his hours, another weekday, a month of only his first Monday: all free.
    for hours in ({"start": "14:00", "end": "16:00"}, {"start": "20:00", "end": "21:00"}, {"weekday": 2, "start": "17:00",
                                                                                          "end": "19:00"}):
        assert api.call("POST", f"/leaders/{beta}/rules", mgr, json=MONDAY | hours).status_code == 201, hours
    # A rule that only starts after his ended still meets his published sessions.
    assert api.call("POST", "/reception-rules/1/end", mgr).status_code == 200
    r = api.call("POST", f"/leaders/{beta}/rules", mgr, json=MONDAY | {"start": "18:00", "end": "19:00"})
    assert r.status_code == 409 and r.get_json()["params"]["date"] == "2026-11-30"


def test_a_moved_date_may_not_land_on_another_leaders_hours(api, db, room) -> None:
    mgr = room["mgr"]
    alpha, beta = _two_leaders(api, mgr)
    api.call("POST", f"/leaders/{alpha}/rules", mgr, json=MONDAY | {"start": "16:00", "end": "20:00"})
    hers = api.call("POST", f"/leaders/{beta}/rules", mgr, json=MONDAY | {"weekday": 3, "start": "10:00",
                                                                           "end": "12:00"}).get_json()
    move = {"date": "2026-12-02", "action": "move", "new_date": "2026-11-30", "start": "19:00", "end": "21:00"}
    r = api.call("POST", f"/reception-rules/{hers['id']}/exceptions", mgr, json=move)
    assert r.status_code == 409 and r.get_json()["code"] == "room_taken", r.get_json()
    assert r.get_json()["params"]["leader"] == "Андрій Бондаренко"
    assert api.call("POST", f"/reception-rules/{hers['id']}/exceptions", mgr,
                    json=move | {"start": "20:00", "end": "21:00"}).status_code == 201
    # Once his 07.12 is cancelled, that evening is free for her next move.
    assert api.call("POST", "/reception-rules/1/exceptions", mgr,
                    json={"date": "2026-12-07", "action": "cancel"}).status_code == 201
    assert api.call("POST", f"/reception-rules/{hers['id']}/exceptions", mgr, json=move | {
        "date": "2026-12-09", "new_date": "2026-12-07", "start": "17:00", "end": "19:00"}).status_code == 201
    # ... and a new rule of his for Mondays now meets her moved session on 07.12.
    r = api.call("POST", f"/leaders/{alpha}/rules", mgr, json=MONDAY | {"start": "18:00", "end": "18:40",
                                                                         "valid_from": "2026-12-07"})
    assert r.status_code == 409 and r.get_json()["params"].items() >= {"leader": "Ірина Коваль", "date": "2026-12-07"}.items()


def test_the_schedule_page_refuses_the_double_booking_in_ukrainian(client, db, clock, api, room) -> None:
    alpha, beta = _two_leaders(api, room["mgr"])
    api.call("POST", f"/leaders/{alpha}/rules", room["mgr"], json=MONDAY | {"start": "16:00", "end": "20:00"})
    signed_in(client, db, clock, add_user(db, clock, "page-mgr", ["manager"], ["T1"]))
    before = _counts(db)
    form = {"csrf_token": CSRF_TOKEN, "office": "T1", "desk": "412", "weekday": "1", "nth": "", "start": "17:00",
            "end": "19:00", "slot_min": "20", "valid_from": "2026-11-01"}
    page = client.post(f"/backoffice/schedule/leaders/{beta}/rules", data=form, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "на цей час уже зайняте: 30.11.2026 з 16:00 до 20:00 там приймає Андрій Бондаренко" in text
    assert "Збережено." not in text and _counts(db) == before


def test_two_concurrent_rules_for_one_room_cannot_both_win(api, db, db_url, room) -> None:
    """Each attempt has its own engine (like two processes); the room's row lock lets one in at a time."""
    from datetime import date

    from reception.kernel.identity import Actor
    from reception.leadership import schedule
    from tests.fakes import race

    alpha, beta = _two_leaders(api, room["mgr"])
    manager = Actor(user_id=None, roles=frozenset({"admin"}))

    def add_rule(uow: Any, clock: Any, leader: int, start: str, end: str) -> Any:
        return schedule.add_rule(uow, clock, manager, leader, desk="412", weekday=1, start=start, end=end,
                                 slot_min=20, valid_from=date(2026, 11, 1))

    for _ in range(3):  # a few rounds: the race window is small
        results = race(db_url, api.clock, add_rule, [(alpha, "16:00", "20:00"), (beta, "17:00", "19:00")])
        assert sorted(results) == ["error.room_taken", "ok"], results
        with db.write() as s:  # the next round starts from an empty room
            from sqlalchemy import delete

            from reception.leadership.models import ReceptionRule, ReceptionSession

            s.execute(delete(ReceptionSession))
            s.execute(delete(ReceptionRule))

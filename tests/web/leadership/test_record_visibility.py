"""Who sees which reception record and which booked visitors (docs/decisions/018), every view logged."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from reception.accounts.models import User
from reception.audit.models import AuditLog
from reception.leadership.models import ReceptionSession
from reception.offices.setup import create_office
from tests.fakes import add_user, signed_in
from tests.web.leadership.builders import add_leader, add_leadership, add_rule, set_settings
from tests.web.leadership.test_leadership_records import RECORD


@pytest.fixture
def world(api, db, clock):
    """Record A: registered by op1 at leader «lead»'s reception; record B: registered by op2, no leader."""
    add_leadership(db)
    create_office(db, code="T2", name_uk="Інша", name_en="Other", timezone="Europe/Kyiv")
    leader = add_leader(db, clock, user="lead")
    t = {name: api.user(name, roles) for name, roles in (
        ("op1", ["operator"]), ("op2", ["operator"]), ("aud", ["auditor"]), ("mgr", ["manager"]),
        ("adm", ["admin"]), ("cc", ["call_centre"]))}
    t["far"] = api.user("far", ["manager", "auditor"], ["T2"])
    r = api.client.post("/api/v1/auth/token", json={"username": "lead", "password": "secret-pass-1"})
    t["lead"] = r.get_json()["token"]
    a = api.call("POST", "/records", t["op1"], json=RECORD | {"leader_id": leader}).get_json()
    b = api.call("POST", "/records", t["op2"], json=RECORD | {"visitor": RECORD["visitor"] | {"surname": "Коваль"}})
    return t | {"A": a["id"], "B": b.get_json()["id"], "leader": leader}


SEES = {"op1": {"A"}, "op2": {"B"}, "lead": {"A"}, "aud": {"A", "B"}, "mgr": {"A", "B"}, "adm": {"A", "B"},
        "far": set()}


@pytest.mark.parametrize("who", sorted(SEES))
def test_each_role_sees_its_records_and_no_other(api, world, who: str) -> None:
    token = world[who]
    listed = {r["id"] for r in api.call("GET", "/records", token).get_json()}
    assert listed == {world[k] for k in SEES[who]}
    for key in ("A", "B"):
        expected = 200 if key in SEES[who] else 404
        assert api.call("GET", f"/records/{world[key]}", token).status_code == expected, (who, key)
        assert api.call("GET", f"/records/{world[key]}.pdf", token).status_code == expected, (who, key)
        if who not in ("aud", "far"):  # writers: a hidden record cannot be changed either
            r = api.call("PATCH", f"/records/{world[key]}", token, json={"result": "x"})
            assert r.status_code == expected, (who, key, r.get_json())


def test_every_view_is_logged_with_who_and_which(api, db, world) -> None:
    api.call("GET", f"/records/{world['A']}", world["aud"])
    api.call("GET", f"/records/{world['A']}.pdf", world["aud"])
    api.call("GET", f"/records/{world['B']}", world["op1"])  # refused: 404, and nothing read
    with db.read() as s:
        aud = s.scalar(select(User.id).where(User.username == "aud"))
        op1 = s.scalar(select(User.id).where(User.username == "op1"))
        rows = s.execute(select(AuditLog.user_id, AuditLog.action, AuditLog.object_id).where(
            AuditLog.action.in_(("record.view", "record.print")))).all()
    assert (aud, "record.view", str(world["A"])) in rows and (aud, "record.print", str(world["A"])) in rows
    assert not [r for r in rows if r[0] == op1]


def test_pages_hide_the_same_way(client, db, clock, world) -> None:
    with db.read() as s:
        op1 = s.scalar(select(User.id).where(User.username == "op1"))
    assert op1 is not None
    signed_in(client, db, clock, op1)
    listing = client.get("/backoffice/records").get_data(as_text=True)
    assert "Шевченко" in listing and "Коваль" not in listing
    assert client.get(f"/backoffice/records/{world['B']}").status_code == 404
    assert client.get(f"/backoffice/records/{world['B']}/card.pdf").status_code == 404
    page = client.get(f"/backoffice/records/{world['A']}")
    assert page.status_code == 200 and "Шевченко" in page.get_data(as_text=True)


# --- booked visitors (names, phones) ---------------------------------------------------------------

@pytest.fixture
def sessions(api, db, clock, office):
    """Today's reception of a leader «lead» (Tuesday 24 Nov) with one booking, and next week's."""
    add_leadership(db)
    set_settings(db, booking_cutoff_working_days=0)
    leader = add_leader(db, clock, user="lead")
    other = add_leader(db, clock)
    add_rule(db, clock, leader, weekday=2, start="11:00", end="13:00", slot_min=30, valid_from=date(2026, 11, 1))
    add_rule(db, clock, other, weekday=2, start="14:00", end="15:00", slot_min=30, valid_from=date(2026, 11, 1))
    t = {role: api.user(role, [role]) for role in ("call_centre", "operator", "auditor")}
    t["lead"] = api.client.post("/api/v1/auth/token", json={"username": "lead", "password": "secret-pass-1"}
                                ).get_json()["token"]
    with db.read() as s:
        rows = s.execute(select(ReceptionSession.id, ReceptionSession.day, ReceptionSession.leader_id)
                         .order_by(ReceptionSession.day, ReceptionSession.starts_at)).all()
    ids = {"today": rows[0].id, "other_today": rows[1].id, "next_week": rows[2].id}
    assert rows[0].day == date(2026, 11, 24) and rows[2].day == date(2026, 12, 1)
    for sid in ids.values():
        r = api.call("POST", f"/reception-sessions/{sid}/appointments", t["call_centre"],
                     json={"visitor": {"surname": "Петренко", "name": "Іван", "phone": "0501112233"}, "topic": "Т"})
        assert r.status_code == 201, r.get_json()
    return t | ids


@pytest.mark.parametrize(("who", "visible"), [
    ("call_centre", {"today", "other_today", "next_week"}), ("auditor", {"today", "other_today", "next_week"}),
    ("lead", {"today", "next_week"}), ("operator", {"today", "other_today"})])
def test_session_lists_show_visitors_only_to_whom_they_concern(api, sessions, who, visible) -> None:
    for key in ("today", "other_today", "next_week"):
        r = api.call("GET", f"/reception-sessions/{sessions[key]}/appointments", sessions[who])
        assert r.status_code == (200 if key in visible else 404), (who, key)
        if key in visible:
            assert r.get_json()[0]["visitor"]["phone"] == "+380501112233"


def test_the_desk_day_hides_visitors_of_other_days_from_an_operator(api, sessions) -> None:
    today = api.call("GET", "/desks/412/appointments", sessions["operator"]).get_json()
    assert all(s["appointments"] and "visitors_hidden" not in s for s in today)
    later = api.call("GET", "/desks/412/appointments?date=2026-12-01", sessions["operator"]).get_json()
    assert later and all(s["appointments"] == [] and s["visitors_hidden"] for s in later)
    assert "Петренко" not in str(later)
    lead = api.call("GET", "/desks/412/appointments?date=2026-12-01", sessions["lead"]).get_json()
    assert [bool(s["appointments"]) for s in lead] == [True, False]  # their own session, not the other leader's


def test_a_leader_finds_only_their_own_visitors(api, sessions) -> None:
    found = api.call("GET", "/appointments?surname=Петр", sessions["lead"]).get_json()
    assert {a["session"] for a in found} == {sessions["today"], sessions["next_week"]}
    assert len(api.call("GET", "/appointments?surname=Петр", sessions["call_centre"]).get_json()) == 3


def test_another_office_sees_nothing(api, db, clock, sessions) -> None:
    create_office(db, code="T2", name_uk="Інша", name_en="Other", timezone="Europe/Kyiv")
    add_user(db, clock, "far", ["call_centre"], ["T2"])
    far = api.client.post("/api/v1/auth/token", json={"username": "far", "password": "secret-pass-1"}).get_json()["token"]
    assert api.call("GET", f"/reception-sessions/{sessions['today']}/appointments", far).status_code == 404
    assert api.call("GET", "/appointments?phone=0501112233", far).get_json() == []

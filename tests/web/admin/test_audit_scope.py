"""The audit log is confined to the reader's offices, keeps ids instead of visitors' data, and the page
reads those ids back as a person reads them (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from reception.audit.models import AuditLog
from reception.leadership.models import ReceptionSession
from tests.fakes import add_user, build_office, signed_in
from tests.web.leadership.builders import add_leader, add_leadership, add_rule
from tests.web.leadership.test_leadership_records import RECORD


def _row(clock: Any, action: str, object_type: str, object_id: str | None, detail: dict[str, Any]) -> AuditLog:
    return AuditLog(at=clock.now(), user_id=None, action=action, object_type=object_type, object_id=object_id,
                    detail=detail)


def _two_offices(api: Any, db: Any, clock: Any) -> dict[str, Any]:
    """T1 and T2, each with a leader, a member of staff and a few entries that name only ids."""
    build_office(db, "T2")
    t1_leader, t2_leader = add_leader(db, clock, "T1"), add_leader(db, clock, "T2")
    t2_clerk = add_user(db, clock, "t2clerk", ["operator"], ["T2"])
    with db.write() as s:
        s.add_all([
            _row(clock, "leader.update", "leader", str(t2_leader), {"name": "x"}),
            _row(clock, "leader.update", "leader", str(t1_leader), {"name": "y"}),
            _row(clock, "user.update", "user", str(t2_clerk), {"office": None, "before": {}, "after": {}}),
            _row(clock, "office.suspend", "office", "T2", {"reason": "alert"}),
            _row(clock, "login.locked", "login", "someone", {"address": "10.0.0.9"}),
        ])
    return {"t1_leader": t1_leader, "t2_leader": t2_leader, "t2_clerk": t2_clerk,
            "aud": api.user("aud", ["auditor"]), "aud2": api.user("aud2", ["auditor"], ["T2"]),
            "root": api.user("root", ["admin"], [])}


def _objects(entries: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(e["object_type"], e["object_id"]) for e in entries}


def test_an_auditor_reads_only_the_log_of_their_offices(api, db, clock) -> None:
    w = _two_offices(api, db, clock)
    r = api.call("GET", "/audit", w["aud"])
    assert r.status_code == 200
    seen = _objects(r.get_json())
    assert ("leader", str(w["t1_leader"])) in seen
    assert ("leader", str(w["t2_leader"])) not in seen and ("office", "T2") not in seen
    assert ("user", str(w["t2_clerk"])) not in seen and ("login", "someone") not in seen
    # T2's auditor sees T2's leader, its suspension and the change to its clerk, not T1's leader.
    seen2 = _objects(api.call("GET", "/audit", w["aud2"]).get_json())
    assert {("leader", str(w["t2_leader"])), ("office", "T2"), ("user", str(w["t2_clerk"]))} <= seen2
    assert ("leader", str(w["t1_leader"])) not in seen2
    # The administrator reads everything, sign-in locks included.
    assert ("login", "someone") in _objects(api.call("GET", "/audit", w["root"]).get_json())


def test_naming_another_office_is_refused_not_answered_empty(api, db, clock) -> None:
    w = _two_offices(api, db, clock)
    r = api.call("GET", "/audit?office=T2", w["aud"])
    assert r.status_code == 403 and r.mimetype == "application/problem+json"
    assert r.get_json()["code"] == "other_office"
    only = api.call("GET", "/audit?office=T1", w["aud"]).get_json()
    assert ("leader", str(w["t1_leader"])) in _objects(only) and ("office", "T2") not in _objects(only)
    assert ("office", "T2") in _objects(api.call("GET", "/audit?office=T2", w["root"]).get_json())


def test_the_audit_page_is_confined_too(app, db, clock, office) -> None:
    build_office(db, "T2")
    with db.write() as s:
        s.add(_row(clock, "office.suspend", "office", "T2", {"reason": "alert", "note": "Таємна нотатка"}))
    c = app.test_client()
    signed_in(c, db, clock, add_user(db, clock, "aud", ["auditor"], ["T1"]))
    assert c.get("/backoffice/audit?office=T2").status_code == 403
    page = c.get("/backoffice/audit").get_data(as_text=True)
    assert "Таємна нотатка" not in page


def test_record_search_keeps_ids_not_the_search_text(api, db, clock) -> None:
    add_leadership(db)
    leader = add_leader(db, clock)
    op = api.user("op", ["operator"])
    assert api.call("POST", "/records", op, json=RECORD | {"leader_id": leader}).status_code == 201
    r = api.call("GET", "/records?q=Шевченко", op)
    assert r.status_code == 200 and len(r.get_json()) == 1
    with db.read() as s:
        (row,) = s.scalars(select(AuditLog).where(AuditLog.action == "record.list")).all()
    assert "Шевченко" not in str(row.detail) and "+380" not in str(row.detail)
    assert row.detail["filters"]["searched"] is True and row.detail["ids"] and row.detail["office"] == "T1"
    # So the T1 auditor sees that search, with the ids of the records shown.
    aud = api.user("aud", ["auditor"])
    assert "record.list" in {e["action"] for e in api.call("GET", "/audit", aud).get_json()}


def test_the_page_reads_ids_as_names_times_and_indexes(app, api, db, clock) -> None:
    add_leadership(db)
    leader = add_leader(db, clock)
    add_rule(db, clock, leader)
    op = api.user("op", ["operator"])
    record = api.call("POST", "/records", op, json=RECORD | {"leader_id": leader}).get_json()
    with db.read() as s:
        rs = s.scalars(select(ReceptionSession).order_by(ReceptionSession.day)).first()
        assert rs is not None
        session_id, day, start = rs.id, rs.day.strftime("%d.%m.%Y"), rs.start
    with db.write() as s:
        s.add_all([_row(clock, "appointment.book", "appointment", "7", {"session": session_id, "slot": 1}),
                   _row(clock, "rule.create", "reception_rule", "1", {"leader": leader})])
    c = app.test_client()
    signed_in(c, db, clock, add_user(db, clock, "root", ["admin"], []))  # booking 7 is in no office: admins only
    page = c.get("/backoffice/audit?lang=uk").get_data(as_text=True)
    assert f"Прийом: Андрій Бондаренко, {day} {start}; Час у прийомі: 10:15" in page
    assert "Керівник: Андрій Бондаренко" in page
    assert f"картка прийому {record['reg_index']}" in page
    assert f"Прийом: {session_id};" not in page

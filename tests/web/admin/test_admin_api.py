"""Administration API: PATCH offices, services, desks; users; revocation; the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from reception.audit.models import AuditLog
from reception.offices.models import Service


def audit_rows(db: Any, action: str) -> list[AuditLog]:
    with db.read() as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def test_patch_office_changes_settings_audits_and_hints_clients(api, db, app) -> None:
    token = api.user("boss", ["manager"])
    r = api.call("PATCH", "/offices/T1", token, json={
        "name_uk": "Нова назва", "opening_hours": {"1": [["09:00", "18:00"]]},
        "settings": {"priority_interleave": 3, "announce_en": True, "observe_public_holidays": True}})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["name_uk"] == "Нова назва" and body["opening_hours"] == {"1": [["09:00", "18:00"]]}
    assert body["settings"]["priority_interleave"] == 3 and body["settings"]["announce_en"] is True
    assert body["name_en"] == "Test office T1"  # not sent: unchanged
    (row,) = audit_rows(db, "office.update")
    assert row.detail["before"]["name_uk"] == "Тестова установа T1"
    assert row.detail["after"]["name_uk"] == "Нова назва"
    assert row.detail["after"]["settings"]["priority_interleave"] == 3
    events = [e for e in app.config["publisher"].events if e.name == "config_changed"]
    assert [e.office_code for e in events] == ["T1"] and events[0].payload["what"] == "office"


def test_patch_office_sets_the_privacy_contact(api, db) -> None:
    token = api.user("boss", ["manager"])
    r = api.call("PATCH", "/offices/T1", token, json={"privacy_contact": " Кімната 101 "})
    assert r.status_code == 200 and r.get_json()["privacy_contact"] == "Кімната 101"
    (row,) = audit_rows(db, "office.update")
    assert row.detail["after"] == {"privacy_contact": "Кімната 101"}
    for bad in ("a\x00b", "к" * 501, 5):
        r = api.call("PATCH", "/offices/T1", token, json={"privacy_contact": bad})
        assert r.status_code == 422, (bad, r.get_json())
    assert len(audit_rows(db, "office.update")) == 1


def test_patch_office_refuses_bad_input_in_ukrainian_and_changes_nothing(api, db) -> None:
    token = api.user("boss", ["manager"])
    for body in ({"timezone": "Europe/Atlantis"}, {"opening_hours": {"1": [["18:00", "09:00"]]}},
                 {"settings": {"priority_interleave": 0}}, {"name_uk": ""}, {"settings": {"nope": 1}}):
        r = api.call("PATCH", "/offices/T1", token, json=body)
        assert r.status_code == 422, (body, r.get_json())
        assert r.mimetype == "application/problem+json"
    r = api.call("PATCH", "/offices/T1", token, json={"timezone": "Europe/Atlantis"})
    assert "Часовий пояс" in r.get_json()["detail"]
    assert audit_rows(db, "office.update") == []


def test_operator_and_other_office_manager_are_refused(api, db) -> None:
    operator = api.user("op", ["operator"])
    assert api.call("PATCH", "/offices/T1", operator, json={"name_uk": "X"}).status_code == 403
    other = api.user("other", ["manager"], [])
    assert api.call("PATCH", "/offices/T1", other, json={"name_uk": "X"}).status_code == 403
    assert api.call("PATCH", "/offices/T1", None, json={"name_uk": "X"}).status_code == 401


def test_patch_service_changes_fields_and_checks_rules(api, db) -> None:
    token = api.user("boss", ["manager"])
    r = api.call("PATCH", "/offices/T1/services/consult", token,
                 json={"daily_limit": 40, "target_wait_min": 20, "is_active": False, "description_uk": "Опис"})
    assert r.status_code == 200, r.get_json()
    assert (r.get_json()["daily_limit"], r.get_json()["is_active"]) == (40, False)
    with db.read() as s:
        service = s.scalar(select(Service).where(Service.code == "consult"))
        assert service is not None and service.daily_limit == 40 and not service.is_active
    (row,) = audit_rows(db, "service.update")
    assert row.detail["before"] == {"daily_limit": None, "target_wait_min": 15, "is_active": True,
                                    "description_uk": ""}
    assert row.detail["after"]["daily_limit"] == 40
    # walk-ins are for leadership services only; a taken prefix is refused
    r = api.call("PATCH", "/offices/T1/services/consult", token, json={"walk_ins": True})
    assert r.status_code == 422 and "керівництва" in r.get_json()["detail"]
    r = api.call("PATCH", "/offices/T1/services/consult", token, json={"prefix": "С"})
    assert r.status_code == 422 and "С" in r.get_json()["detail"]
    r = api.call("PATCH", "/offices/T1/services/consult", token, json={"kind": "leadership", "walk_ins": True})
    assert r.status_code == 200 and r.get_json()["walk_ins"] is True
    assert api.call("PATCH", "/offices/T1/services/nope", token, json={"daily_limit": 1}).status_code == 404
    assert api.call("PATCH", "/offices/T1/services/consult", token, json={"daily_limit": "many"}).status_code == 422


def test_patch_desk_services_weights_and_switch(api, db) -> None:
    token = api.user("boss", ["manager"])
    r = api.call("PATCH", "/offices/T1/desks/2", token, json={
        "services": ["consult", "appeal"], "weights": {"appeal": 2.5}, "zone": "hall", "allow_call_specific": True})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["services"] == ["consult", "appeal"] or set(body["services"]) == {"consult", "appeal"}
    assert body["weights"] == {"consult": 1.0, "appeal": 2.5} and body["allow_call_specific"] is True
    (row,) = audit_rows(db, "desk.update")
    assert row.detail["before"]["services"] == ["consult"] and row.detail["before"]["zone"] == "main"
    for bad in ({"weights": {"appeal": 0}, "services": ["appeal"]}, {"zone": "зал"}, {"services": ["ghost"]}):
        r = api.call("PATCH", "/offices/T1/desks/2", token, json=bad)
        assert r.status_code in (404, 422), (bad, r.get_json())
    assert len(audit_rows(db, "desk.update")) == 1


def test_users_create_list_patch_password(api, db, client) -> None:
    admin = api.user("root", ["admin"], [])
    r = api.call("POST", "/users", admin, json={"username": "anna", "password": "long-password-1",
                                                "roles": ["operator"], "offices": ["T1"], "full_name": "Анна"})
    assert r.status_code == 201, r.get_json()
    uid = r.get_json()["id"]
    assert any(u["username"] == "anna" for u in api.call("GET", "/users", admin).get_json())
    assert api.call("POST", "/users", admin, json={"username": "anna", "password": "long-password-1",
                                                   "roles": ["operator"], "offices": ["T1"]}).status_code == 409
    assert api.call("POST", "/users", admin, json={"username": "b", "password": "short",
                                                   "roles": ["operator"]}).status_code == 422
    assert api.call("POST", "/users", admin, json={"username": "b", "password": "long-password-1",
                                                   "roles": ["king"]}).status_code == 422
    r = api.call("PATCH", f"/users/{uid}", admin, json={"roles": ["operator", "leader"], "disabled": True})
    assert r.status_code == 200 and r.get_json()["disabled"] is True
    assert client.post("/api/v1/auth/token", json={"username": "anna", "password": "long-password-1"}).status_code == 401
    api.call("PATCH", f"/users/{uid}", admin, json={"disabled": False})
    r = api.call("POST", f"/users/{uid}/password", admin, json={"password": "another-pass-2"})
    assert r.status_code == 200
    assert client.post("/api/v1/auth/token", json={"username": "anna", "password": "long-password-1"}).status_code == 401
    assert client.post("/api/v1/auth/token", json={"username": "anna", "password": "another-pass-2"}).status_code == 200
    (row,) = audit_rows(db, "user.password")
    assert "another" not in str(row.detail) and row.detail["after"] == {"password": "changed"}
    (change, _again) = audit_rows(db, "user.update")
    assert change.detail["before"] == {"roles": ["operator"], "disabled": False}


def test_manager_manages_own_office_staff_only_and_cannot_make_admins(api) -> None:
    manager = api.user("boss", ["manager"])
    assert api.call("POST", "/users", manager, json={"username": "x1", "password": "long-password-1",
                                                     "roles": ["admin"], "offices": ["T1"]}).status_code == 403
    r = api.call("POST", "/users", manager, json={"username": "x2", "password": "long-password-1",
                                                  "roles": ["operator"], "offices": ["T1"]})
    assert r.status_code == 201
    api.user("stranger", ["operator"], [])
    names = {u["username"] for u in api.call("GET", "/users", manager).get_json()}
    assert "x2" in names and "stranger" not in names


def test_revoked_device_token_stops_working_for_http(api, db) -> None:
    manager = api.user("boss", ["manager"])
    kiosk = api.device("kiosk")
    assert api.call("GET", "/kiosk/menu", kiosk).status_code == 200
    with db.read() as s:
        from reception.accounts.models import Device

        device_id = s.scalar(select(Device.id))
    r = api.call("POST", f"/devices/{device_id}/revoke", manager)
    assert r.status_code == 200 and r.get_json()["active"] is False
    assert api.call("GET", "/kiosk/menu", kiosk).status_code == 401
    (row,) = audit_rows(db, "device.revoke")
    assert row.detail == {"office": "T1", "before": {"active": True}, "after": {"active": False}}
    assert api.call("POST", "/devices/999/revoke", manager).status_code == 404


def test_audit_endpoint_filters_and_is_for_auditors(api, db) -> None:
    manager = api.user("boss", ["manager"])
    auditor = api.user("aud", ["auditor"])
    api.call("PATCH", "/offices/T1", manager, json={"name_en": "Renamed"})
    api.call("PATCH", "/offices/T1/services/consult", manager, json={"target_wait_min": 30})
    assert api.call("GET", "/audit", manager).status_code == 403
    everything = api.call("GET", "/audit", auditor).get_json()
    assert {"office.update", "service.update"} <= {e["action"] for e in everything}
    only = api.call("GET", "/audit?kind=service&office=T1", auditor).get_json()
    # Newest first: the change, then the office's services as they were created (audited as well).
    assert [e["action"] for e in only] == ["service.update", "service.create", "service.create"]
    assert only[0]["user"] == "boss"
    today = api.clock.now().date().isoformat()
    assert api.call("GET", f"/audit?from={today}&to={today}", auditor).get_json()
    assert api.call("GET", "/audit?from=2001-01-01&to=2001-01-02", auditor).get_json() == []
    assert api.call("GET", "/audit?from=yesterday", auditor).status_code == 422

"""The contract: GET /offices/{code}/alerts (managers of the office; others 403, unknown 404), the hall
view carrying the alerts, PATCH /offices/{code} with ``alert_region``, the office state's ``by``, and
the admin office page's field."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from reception.alerts.evaluate import evaluate_all
from reception.alerts.feed import record_answer
from reception.audit.models import AuditLog
from reception.offices.models import Office
from tests.fakes import services
from tests.web.admin.test_admin_pages import _office_form, _post
from tests.web.desk.helpers import Staff


@pytest.fixture
def with_alert(api, db, clock) -> dict[str, str]:
    tokens = {"boss": api.user("boss", ["manager"]), "op": api.user("op", ["operator"]),
              "admin": api.user("root", ["admin"], []), "other": api.user("other", ["manager"], []),
              "aud": api.user("aud", ["auditor"])}
    kiosk = api.device("kiosk")
    assert api.call("POST", "/kiosk/tickets", kiosk, json={"service": "appeal"}).status_code == 201  # nobody serves
    services(db, clock).value(evaluate_all)
    return tokens


def test_alerts_of_the_office_for_its_managers(api, with_alert) -> None:
    r = api.call("GET", "/offices/T1/alerts", with_alert["boss"])
    assert r.status_code == 200
    body = r.get_json()
    kinds = {a["kind"] for a in body}
    assert "nobody_serves" in kinds
    item = next(a for a in body if a["kind"] == "nobody_serves")
    assert set(item) == {"kind", "severity", "since", "detail"}
    assert item["severity"] == "critical" and item["detail"] == {"service": "appeal", "waiting": 1}
    assert item["since"].startswith("2026-11-24T10:00") and item["since"].endswith("+02:00")
    assert api.call("GET", "/offices/T1/alerts", with_alert["admin"]).status_code == 200


@pytest.mark.parametrize("who, status", [("op", 403), ("aud", 403), ("other", 403), (None, 401)])
def test_alerts_are_refused_to_others(api, with_alert, who: str | None, status: int) -> None:
    r = api.call("GET", "/offices/T1/alerts", with_alert[who] if who else None)
    assert r.status_code == status and r.mimetype == "application/problem+json"


def test_unknown_office_is_404(api, with_alert) -> None:
    assert api.call("GET", "/offices/NOPE/alerts", with_alert["admin"]).status_code == 404


def test_the_hall_view_carries_the_alerts_in_words(api, with_alert) -> None:
    hall = api.call("GET", "/offices/T1/hall", with_alert["boss"]).get_json()
    item = next(a for a in hall["alerts"] if a["kind"] == "nobody_serves")
    assert item["title_uk"] == "Послугу ніхто не обслуговує"
    assert "«Звернення»" in item["text_uk"] and "“Appeal”" in item["text_en"]


def test_patch_alert_region_validated_audited_and_cleared(api, db) -> None:
    token = api.user("boss", ["manager"])
    r = api.call("PATCH", "/offices/T1", token, json={"alert_region": "14"})
    assert r.status_code == 200 and r.get_json()["alert_region"] == "14"
    with db.read() as s:
        assert s.scalar(select(Office.alert_region).where(Office.code == "T1")) == "14"
        row = s.scalar(select(AuditLog).where(AuditLog.action == "office.update"))
        assert row is not None and row.detail["after"] == {"alert_region": "14"}
    for bad in ("Київ", "14a", "1" * 13, "1 4", 14.5, True, "-1", ["14"]):
        r = api.call("PATCH", "/offices/T1", token, json={"alert_region": bad})
        assert r.status_code in (400, 422), (bad, r.get_json())
        assert r.mimetype == "application/problem+json"
    r = api.call("PATCH", "/offices/T1", token, json={"alert_region": "abc"})
    assert "Регіон повітряних тривог" in r.get_json()["detail"]
    with db.read() as s:
        assert s.scalar(select(Office.alert_region).where(Office.code == "T1")) == "14"  # nothing changed
    for clear in ("", None):
        api.call("PATCH", "/offices/T1", token, json={"alert_region": "31"})
        r = api.call("PATCH", "/offices/T1", token, json={"alert_region": clear})
        assert r.status_code == 200 and r.get_json()["alert_region"] == ""


def test_office_state_says_the_feed_suspended_it(api, db, clock) -> None:
    token = api.user("op", ["operator"])
    boss = api.user("boss", ["manager"])
    api.call("PATCH", "/offices/T1", boss, json={"alert_region": "14"})
    services(db, clock).value(record_answer, {"14": "2026-11-24T07:50:00.000Z"}, None)
    state = api.call("GET", "/offices/T1/suspension", token).get_json()
    assert state["suspended"]["reason"] == "air_raid" and state["suspended"]["by"] == "feed"
    hall = api.call("GET", "/offices/T1/hall", boss).get_json()
    assert hall["suspended"]["by"] == "feed"
    r = api.call("POST", "/offices/T1/resume", boss, json={})  # a manager can always override
    assert r.status_code == 200 and r.get_json()["suspended"] is None


def test_admin_office_page_shows_and_saves_the_region(app, db, clock, office: Any) -> None:
    from tests.fakes import add_user

    add_user(db, clock, "boss", ["manager"], ["T1"])
    boss = Staff(app)
    assert boss.login("boss").status_code == 302
    html = _post(boss, "/backoffice/admin/office", "/backoffice/admin/office",
                 _office_form(alert_region="14")).get_data(as_text=True)
    assert "Зміни збережено" in html and "Регіон повітряних тривог" in html and 'value="14"' in html
    html = _post(boss, "/backoffice/admin/office", "/backoffice/admin/office",
                 _office_form(alert_region="Київ")).get_data(as_text=True)
    assert "flash-error" in html and "лише цифри" in html
    with db.read() as s:
        assert s.scalar(select(Office.alert_region).where(Office.code == "T1")) == "14"


def test_a_managers_desk_console_shows_the_alerts_an_operators_does_not(app, api, db, clock) -> None:
    from tests.fakes import add_user

    kiosk = api.device("kiosk")
    assert api.call("POST", "/kiosk/tickets", kiosk, json={"service": "appeal"}).status_code == 201
    add_user(db, clock, "boss", ["manager", "operator"], ["T1"])
    add_user(db, clock, "op", ["operator"], ["T1"])
    boss, op = Staff(app), Staff(app)
    assert boss.login("boss").status_code == 302 and op.login("op").status_code == 302
    assert boss.open_desk("2").status_code == 302 and op.open_desk("1").status_code == 302
    assert op.api("POST", "/desks/1/pause?office=T1", json={"reason": "Обід"}).status_code == 200
    services(db, clock).value(evaluate_all)
    state = boss.client.get("/desk/T1/2/state").get_json()
    unserved = [a for a in state["alerts"] if a["kind"] == "nobody_serves"]
    assert [(a["title"], a["severity"]) for a in unserved] == [("Послугу ніхто не обслуговує", "critical")]
    assert "«Звернення»" in unserved[0]["text"]
    assert op.client.get("/desk/T1/1/state").get_json()["alerts"] is None
    page = boss.client.get("/desk/T1/2").get_data(as_text=True)
    assert 'id="dc-alerts"' in page


def test_the_jobs_are_registered_and_the_feed_only_with_a_token(db_url, clock) -> None:
    from reception.app import create_app

    base = {"TESTING": True, "DATABASE_URL": db_url, "SECRET_KEY": "x", "PUBLIC_BASE_URL": "http://test"}
    app = create_app(base, clock=clock)
    assert app.extensions["reception.alerts_scheduler"].job.name == "alerts.evaluate"
    assert app.extensions["reception.alerts_scheduler"].job.every.total_seconds() == 30
    assert app.extensions["reception.feed_scheduler"] is None
    app.extensions["reception"].db.dispose()
    app = create_app(base | {"ALERT_FEED_TOKEN": "t", "ALERT_FEED_POLL_S": 20}, clock=clock)
    job = app.extensions["reception.feed_scheduler"].job
    assert job.name == "alerts.feed" and job.every.total_seconds() == 20
    app.extensions["reception"].db.dispose()


def test_patch_alert_thresholds_and_the_rules_follow_them(api, db, clock) -> None:
    from reception.offices import suspension
    from tests.fakes import ROOT

    token = api.user("boss", ["manager"])
    r = api.call("PATCH", "/offices/T1", token, json={"alert_thresholds": {"suspended_long_min": 20}})
    assert r.status_code == 200 and r.get_json()["alert_thresholds"] == {"suspended_long_min": 20}
    r = api.call("PATCH", "/offices/T1", token, json={"alert_thresholds": {"device_offline_min": 7}})
    assert r.get_json()["alert_thresholds"] == {"suspended_long_min": 20, "device_offline_min": 7}  # merged
    for bad in ({"suspended_long_min": 0}, {"wait_critical_factor": 11}, {"nope": 3}, {"leader_absent_min": "x"}):
        r = api.call("PATCH", "/offices/T1", token, json={"alert_thresholds": bad})
        assert r.status_code in (400, 422), (bad, r.get_json())
    with db.read() as s:
        assert s.scalar(select(Office.settings).where(Office.code == "T1"))["alerts"] == {
            "suspended_long_min": 20, "device_offline_min": 7}
    run = services(db, clock)
    run.value(suspension.suspend_office, ROOT, "T1", "blackout")
    clock.advance(minutes=21)
    run.value(evaluate_all)
    kinds = [a["kind"] for a in api.call("GET", "/offices/T1/alerts", token).get_json()]
    assert kinds == ["suspended_long"]  # 21 > 20 min: raised (the default, 60, would not)

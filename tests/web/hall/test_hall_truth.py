"""The hall view tells the truth (decision 032): displays report that they are alive and are listed
with the kiosks; a desk shows its real state (paused with its reason, calling vs serving); a service
someone waits for that no open desk offers is an alarm. Office T1: consult (К) and appeal (С);
desk 1 offers both, desk 2 consult only. Runs on SQLite and on PostgreSQL (the ``db`` fixture)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reception.hall.view import AtDesk, desk_state, unserved
from reception.http.realtime import DISPLAY_NS, socketio

T0 = datetime.fromisoformat("2026-11-24T10:00:00+02:00")


def _hall(api: Any, token: str) -> dict[str, Any]:
    r = api.call("GET", "/offices/T1/hall", token)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def _device(view: dict[str, Any], name: str) -> dict[str, Any]:
    return next(d for d in view["devices"] if d["name"] == name)


def test_a_connected_display_is_alive_for_staff_and_a_gone_one_raises_the_alarm(app, client, api, clock) -> None:
    token = api.device("display", name="Табло в залі")
    api.device("kiosk", name="Термінал 1")
    boss = api.user("boss", ["manager"])
    admin = api.user("adm", ["admin"], [])
    board = socketio.test_client(app, namespace=DISPLAY_NS, auth={"token": token}, flask_test_client=client)
    assert board.is_connected(DISPLAY_NS)
    for _ in range(21):  # on the wall for 21 minutes: the board says it is alive once a minute
        clock.advance(minutes=1)
        board.emit("alive", namespace=DISPLAY_NS)
    view = _hall(api, boss)
    shown = _device(view, "Табло в залі")
    assert (shown["kind"], shown["online"], shown["problem"], shown["alarm"]) == ("display", True, None, False)
    assert shown["last_seen_at"] == clock.now().astimezone(T0.tzinfo).isoformat(timespec="seconds")
    assert shown["printer"] is None
    # Адміністрування › Кіоски й табло reads the same heartbeat: no longer "never seen".
    listed = api.call("GET", "/offices/T1/devices?live=0", admin).get_json()
    assert next(d for d in listed if d["name"] == "Табло в залі")["last_seen_at"] == shown["last_seen_at"]
    page = app.test_client()
    from tests.fakes import add_user, signed_in
    signed_in(page, api.db, clock, add_user(api.db, clock, "adm2", ["admin"], ["T1"]))
    html = page.get("/backoffice/admin/devices?office=T1").get_data(as_text=True)
    row = html[html.index("Табло в залі"):]
    row = row[:row.index("</tr>")]
    assert "ще не виходив на звʼязок" not in row and clock.now().astimezone(T0.tzinfo).strftime("%d.%m.%Y %H:%M") in row

    board.disconnect(DISPLAY_NS)  # unplugged: three minutes of silence make it an alarm, as for a kiosk
    clock.advance(minutes=4)
    view = _hall(api, boss)
    shown = _device(view, "Табло в залі")
    assert (shown["online"], shown["problem"], shown["alarm"]) == (False, "offline", True)
    assert view["alarms"]["devices"] == 2  # the display and the never-seen kiosk


def test_a_display_heartbeat_is_throttled_like_a_kiosks(app, client, api, clock, db) -> None:
    from sqlalchemy import select

    from reception.accounts.models import Device

    token = api.device("display", name="Табло")
    board = socketio.test_client(app, namespace=DISPLAY_NS, auth={"token": token}, flask_test_client=client)
    first = clock.now()
    clock.advance(seconds=20)
    board.emit("alive", namespace=DISPLAY_NS)  # within the minute: no write
    with db.read() as s:
        seen = s.scalar(select(Device.last_seen_at).where(Device.name == "Табло"))
    assert seen is not None and abs((seen.replace(tzinfo=first.tzinfo) if seen.tzinfo is None else seen) - first).total_seconds() < 1


def test_desk_states_and_the_unserved_alarm_as_they_are(api, clock) -> None:
    kiosk = api.device("kiosk")
    boss = api.user("boss", ["manager"])
    op1, op2 = api.user("op1", ["operator"]), api.user("op2", ["operator"])
    for desk, op in (("1", op1), ("2", op2)):
        assert api.call("POST", f"/desks/{desk}/open", op).status_code == 200
    k1 = api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).get_json()
    api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"})
    assert api.call("POST", "/desks/2/call-next", op2).get_json()["code"] == k1["code"]
    clock.advance(minutes=16)
    desks = {d["code"]: d for d in _hall(api, boss)["desks"]}
    # Called but not come: "calling", not "serving".
    assert (desks["2"]["state"], desks["2"]["ticket"], desks["2"]["seconds"]) == ("called", "К-001", 960)
    assert api.call("POST", f"/tickets/{k1['id']}/start", op2).status_code == 200
    clock.advance(minutes=2)
    desks = {d["code"]: d for d in _hall(api, boss)["desks"]}
    assert (desks["2"]["state"], desks["2"]["ticket_status"], desks["2"]["seconds"]) == ("serving", "serving", 120)

    # С-001 waits for the appeal; desk 1 (the only one offering it) goes on a lunch break: an alarm.
    view = _hall(api, boss)
    api.call("POST", "/kiosk/tickets", kiosk, json={"service": "appeal"})
    assert api.call("POST", "/desks/1/pause", op1, json={"reason": "Обід"}).status_code == 200
    view = _hall(api, boss)
    appeal = next(s for s in view["services"] if s["code"] == "appeal")
    consult = next(s for s in view["services"] if s["code"] == "consult")
    assert appeal["unserved"] is True and consult["unserved"] is False
    assert view["alarms"]["unserved"] == 1
    desk1 = next(d for d in view["desks"] if d["code"] == "1")
    assert (desk1["state"], desk1["pause_reason"], desk1["services"]) == ("paused", "Обід", ["consult", "appeal"])
    assert api.call("POST", "/desks/1/resume", op1).status_code == 200
    assert _hall(api, boss)["alarms"]["unserved"] == 0


def test_desk_state_by_hand() -> None:
    called = AtDesk("К-003", "called", T0, None)
    paused_at = datetime.fromisoformat("2026-11-24T10:05:00+02:00")
    # A lunch break is a break, even with К-003 still called there (data from before decision 032).
    assert desk_state("paused", called, paused_at, None, T0) == ("paused", paused_at)
    assert desk_state("open", called, None, None, T0) == ("called", T0)
    started = datetime.fromisoformat("2026-11-24T10:02:00+02:00")
    assert desk_state("open", AtDesk("К-003", "serving", T0, started), None, None, T0) == ("serving", started)
    assert desk_state("open", AtDesk("К-003", "serving", T0, None), None, None, T0) == ("serving", T0)
    assert desk_state("closed", called, paused_at, None, T0) == ("closed", paused_at)


def test_nobody_serves_by_hand() -> None:
    services = [{"code": "consult", "waiting": 2}, {"code": "appeal", "waiting": 1}, {"code": "registry", "waiting": 0}]
    desks = [{"state": "called", "services": ["consult"]}, {"state": "paused", "services": ["appeal"]},
             {"state": "closed", "services": ["appeal", "registry"]}]
    assert unserved(services, desks) == ["appeal"]  # nobody waits for the registry: no alarm
    assert unserved(services, desks + [{"state": "open", "services": ["appeal"]}]) == []
    assert unserved(services, []) == ["consult", "appeal"]

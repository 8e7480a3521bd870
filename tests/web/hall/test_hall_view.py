"""The manager's hall view: the read model against hand-computed figures (fake clock), and who may see it.

Office H1 (Kyiv, 24 November 2026, local times). consult: target 10 min; appeal: target 30 min.
  09:00 op1 opens desk 1 (consult, appeal), op2 opens desk 2 (consult); desk 3 (appeal) stays closed.
  10:00 A consult, 10:02 B consult, 10:04 C appeal, 10:06 D consult — all from kiosk K1 (estimate shown).
  10:10 desk 1 calls A (waited 10 min); 10:12 desk 2 calls B (waited 10 min).
  10:20 desk 1 finishes A and pauses ("Обід"). 10:22–10:27 the office is suspended (air-raid alert).
  10:28 kiosk K2 (tcp printer) and 10:29 K1 poll their menu; K3 has never been seen.
At 10:30:
  consult: 1 waiting (D), longest 24 − 5 suspended = 19 min = 1140 s > 600 s: over target.
  appeal: 1 waiting (C), longest 26 − 5 = 21 min = 1260 s ≤ 1800 s: within target.
  desk 1 paused 10 min (600 s), reason «Обід»; desk 2 calling К-002 for 18 min (1080 s; never marked come);
  desk 3 closed. appeal: C waits, its desks 1 (paused) and 3 (closed): nobody serves it — an alarm.
  accuracy: A and B each waited 10.0 min; MAE = mean |shown − 10|.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from reception.hall.view import Sample, accuracy, read_hall
from reception.http.api.schemas.hall import HallOut
from reception.kernel.errors import Forbidden
from reception.kernel.identity import Actor
from reception.offices import suspension
from reception.queue import commands as queue
from tests.conftest import Api
from tests.fakes import ROOT, add_user, build_office, services, signed_in

KYIV = ZoneInfo("Europe/Kyiv")


def at(clock: Any, hh: int, mm: int) -> None:
    clock.set(datetime(2026, 11, 24, hh, mm, tzinfo=KYIV))


class Paper:
    """A printer status as printers.PrinterStatus answers it."""

    def __init__(self, paper: str, online: bool | None = True) -> None:
        self.paper, self.online, self.error = paper, online, None


@pytest.fixture
def hall(app, db, clock):
    build_office(db, "H1", services=[
        dict(code="consult", prefix="К", name_uk="Консультація", name_en="Consultation", target_wait_min=10),
        dict(code="appeal", prefix="С", name_uk="Звернення", name_en="Appeal", target_wait_min=30)],
        desks=[dict(code="1", name_uk="Вікно 1", name_en="Window 1", services=["consult", "appeal"]),
               dict(code="2", name_uk="Вікно 2", name_en="Window 2", services=["consult"]),
               dict(code="3", name_uk="Вікно 3", name_en="Window 3", services=["appeal"])])
    api = Api(app.test_client(), db, clock, "H1")
    run = services(db, clock)
    ops = {}
    at(clock, 9, 0)
    for desk, name in (("1", "op1"), ("2", "op2")):
        uid = add_user(db, clock, name, ["operator"], ["H1"])
        with db.read() as s:
            from reception.offices.lookups import office_by_code
            office_id = office_by_code(s, "H1").id
        ops[desk] = Actor(user_id=uid, username=name, roles=frozenset({"operator"}), office_ids=frozenset({office_id}))
        run.value(queue.open_desk, ops[desk], desk, "H1")
    kiosks = {name: api.device("kiosk", name=name, **({"printer_url": url} if url else {}))
              for name, url in (("K1", "dummy://"), ("K2", "tcp://10.0.0.9:9100"), ("K3", None))}
    shown = {}
    for letter, service, mm in (("A", "consult", 0), ("B", "consult", 2), ("C", "appeal", 4), ("D", "consult", 6)):
        at(clock, 10, mm)
        r = api.call("POST", "/kiosk/tickets", kiosks["K1"], json={"service": service})
        assert r.status_code == 201, r.get_json()
        shown[letter] = r.get_json()
    at(clock, 10, 10)
    first = run.value(queue.call_next, ops["1"], "1", "H1").ticket
    assert first is not None and first["code"] == "К-001"
    at(clock, 10, 12)
    second = run.value(queue.call_next, ops["2"], "2", "H1").ticket
    assert second is not None and second["code"] == "К-002"
    at(clock, 10, 20)
    run.value(queue.finish, ops["1"], shown["A"]["id"], "consulted")
    run.value(queue.pause_desk, ops["1"], "1", "Обід", "H1")
    at(clock, 10, 22)
    run.value(suspension.suspend_office, ROOT, "H1", "air_raid")
    at(clock, 10, 27)
    run.value(suspension.resume_office, ROOT, "H1")
    at(clock, 10, 28)
    assert api.call("GET", "/kiosk/menu", kiosks["K2"]).status_code == 200
    at(clock, 10, 29)
    assert api.call("GET", "/kiosk/menu", kiosks["K1"]).status_code == 200
    at(clock, 10, 30)
    return {"api": api, "shown": shown}


def _manager(db: Any, clock: Any, name: str = "boss", offices: tuple[str, ...] = ("H1",)) -> Actor:
    from reception.offices.lookups import office_by_code

    uid = add_user(db, clock, name, ["manager"], list(offices))
    with db.read() as s:
        ids = frozenset(office_by_code(s, code).id for code in offices)
    return Actor(user_id=uid, username=name, roles=frozenset({"manager"}), office_ids=ids)


def test_the_hall_by_hand(db, clock, hall) -> None:
    probe = {"tcp://10.0.0.9:9100": Paper("out"), "dummy://": Paper("ok")}
    view = read_hall(db, clock.now(), _manager(db, clock), "H1", probe.get)
    services_ = {s["code"]: s for s in view["services"]}
    assert {k: services_["consult"][k] for k in ("waiting", "longest_wait_s", "target_wait_min", "over_target")} == \
        {"waiting": 1, "longest_wait_s": 1140, "target_wait_min": 10, "over_target": True}
    assert {k: services_["appeal"][k] for k in ("waiting", "longest_wait_s", "target_wait_min", "over_target")} == \
        {"waiting": 1, "longest_wait_s": 1260, "target_wait_min": 30, "over_target": False}
    desks = {d["code"]: d for d in view["desks"]}
    assert {k: desks["1"][k] for k in ("state", "seconds", "pause_reason", "ticket")} == \
        {"state": "paused", "seconds": 600, "pause_reason": "Обід", "ticket": None}
    assert {k: desks["2"][k] for k in ("state", "seconds", "pause_reason", "ticket")} == \
        {"state": "called", "seconds": 1080, "pause_reason": None, "ticket": "К-002"}
    assert [s["code"] for s in view["services"] if s["unserved"]] == ["appeal"]
    assert desks["3"]["state"] == "closed" and desks["3"]["seconds"] is None
    assert desks["2"]["since"] == "2026-11-24T10:12:00+02:00"
    kiosks = {k["name"]: k for k in view["devices"]}
    assert (kiosks["K1"]["problem"], kiosks["K1"]["alarm"], kiosks["K1"]["printer"]["last_print_ok"]) == (None, False, True)
    assert kiosks["K1"]["last_seen_at"] == "2026-11-24T10:29:00+02:00"
    assert (kiosks["K2"]["problem"], kiosks["K2"]["alarm"], kiosks["K2"]["printer"]["paper"]) == ("paper_out", True, "out")
    assert (kiosks["K3"]["problem"], kiosks["K3"]["alarm"], kiosks["K3"]["printer"]) == ("offline", True, None)
    assert view["alarms"] == {"services": 1, "unserved": 1, "devices": 2}
    shown = hall["shown"]
    mae = (abs(shown["A"]["eta_min"] - 10) + abs(shown["B"]["eta_min"] - 10)) / 2
    assert view["accuracy"]["n"] == 2 and view["accuracy"]["mae_min"] == round(mae, 1)
    assert view["suspended"] is None
    # No personal data, and the JSON of the API is the same read model.
    body = hall["api"].call("GET", "/offices/H1/hall", hall["api"].user("boss2", ["manager"])).get_json()
    HallOut.model_validate(body)  # the answer is what the OpenAPI document says
    assert body["services"] == view["services"] and body["desks"] == view["desks"]
    assert body["accuracy"] == view["accuracy"] and {k["name"] for k in body["devices"]} == {"K1", "K2", "K3"}


def test_durations_and_alarms_move_with_the_clock(db, clock, hall) -> None:
    boss = _manager(db, clock)
    at(clock, 10, 45)  # appeal: 41 − 5 = 36 min > 30 — now over target too; desk 1 paused 25 min
    view = read_hall(db, clock.now(), boss, "H1")
    appeal = next(s for s in view["services"] if s["code"] == "appeal")
    assert (appeal["longest_wait_s"], appeal["over_target"]) == (2160, True)
    assert next(d for d in view["desks"] if d["code"] == "1")["seconds"] == 1500
    assert {k["name"]: k["problem"] for k in view["devices"]}["K1"] == "offline"  # silent for 16 min
    at(clock, 10, 50)
    view = read_hall(db, clock.now(), boss, "H1")
    assert view["accuracy"]["n"] == 2  # C and D not called yet: no sample


def test_shown_range_coverage_by_hand() -> None:
    # 12 in 10–15: inside; 3 told «скоро» (≤ 5): inside; 40 told «від 20» (20–90): inside; 30 in 10–15: not.
    got = accuracy([Sample(12, 10, 15, 12.0), Sample(2, 1, 4, 3.0), Sample(40, 20, 90, 40.0), Sample(12, 10, 15, 30.0)])
    assert got == {"n": 4, "mae_min": round((0 + 1 + 0 + 18) / 4, 1), "inside_pct": 75.0}
    assert accuracy([]) == {"n": 0, "mae_min": None, "inside_pct": None}


def test_who_may_see_the_hall(app, db, clock, hall) -> None:
    build_office(db, "H2")
    api = hall["api"]
    other = api.user("boss_h2", ["manager"], ["H2"])
    operator = api.user("op9", ["operator"], ["H1"])
    assert api.call("GET", "/offices/H1/hall", other).status_code == 403
    assert api.call("GET", "/offices/H1/hall", operator).status_code == 403
    assert api.call("GET", "/offices/H1/hall").status_code == 401
    assert api.call("GET", "/offices/NOPE/hall", api.user("admin1", ["admin"], [])).status_code == 404
    with pytest.raises(Forbidden):
        read_hall(db, clock.now(), Actor(user_id=1, roles=frozenset({"auditor"})), "H1")
    # The page: anonymous -> sign-in; operator and a foreign manager -> 403; own manager -> the page.
    anon = app.test_client()
    r = anon.get("/backoffice/hall?office=H1")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    for name, roles, offices, status in (("op8", ["operator"], ["H1"], 403), ("m2", ["manager"], ["H2"], 403),
                                         ("m1", ["manager"], ["H1"], 200)):
        c = app.test_client()
        signed_in(c, db, clock, add_user(db, clock, name, roles, offices))
        assert c.get("/backoffice/hall?office=H1").status_code == status, name
    assert c.get("/backoffice/hall?office=NOPE").status_code == 404  # an unknown office, for its own manager
    c = app.test_client()
    signed_in(c, db, clock, add_user(db, clock, "m3", ["manager"], ["H1"]))
    page = c.get("/backoffice/hall").get_data(as_text=True)  # one office: straight to it
    assert 'id="hall-config"' in page and "Зал очікування" in page and 'href="/backoffice/hall"' in page
    assert "<script>" not in page  # no inline script: the data block is JSON
    found = re.search(r'<script type="application/json" id="hall-config">(.*?)</script>', page, re.S)
    assert found is not None
    config = json.loads(found[1])
    assert config["office"] == "H1" and config["words"]["over_target"] == "Понад норму"
    assert config["view"]["services"][0]["name_uk"] == "Консультація"
    c = app.test_client()
    signed_in(c, db, clock, add_user(db, clock, "m4", ["manager"], ["H1", "H2"]))
    pick = c.get("/backoffice/hall").get_data(as_text=True)
    assert "Оберіть установу" in pick and "office=H1" in pick and "office=H2" in pick

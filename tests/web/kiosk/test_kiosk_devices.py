"""GET /offices/{code}/devices: staff see each kiosk's heartbeat, last print and printer state."""

from __future__ import annotations

import time
from dataclasses import dataclass

from printers import open_printer
from reception.devices import status as device_status
from tests.fakes import RecordingPrinter, build_office, use_printers
from tests.web.kiosk.kiosk_support import use_printer


@dataclass(frozen=True)
class Status:
    online: bool | None
    paper: str
    error: str | None = None


class StatusPrinter(RecordingPrinter):
    """A printer that can say how it is (like printers.EscposPrinter.status())."""

    def __init__(self, status: Status, delay: float = 0.0, **kw) -> None:
        super().__init__(**kw)
        self._status, self.delay = status, delay

    def status(self) -> Status:
        time.sleep(self.delay)
        return self._status


def devices(api, token: str | None, office: str = "T1", query: str = ""):
    return api.call("GET", f"/offices/{office}/devices{query}", token)


def test_staff_see_heartbeat_last_print_and_printer_state(app, api, clock) -> None:
    kiosk = api.device("kiosk", printer_url="tcp://10.0.0.5:9100?mode=text", name="Кіоск у холі")
    api.device("display", name="Табло")
    op = api.user("op", ["operator"])
    use_printer(app, StatusPrinter(Status(online=True, paper="near_end"), ok=False, error="paper out"))
    api.call("GET", "/kiosk/menu", kiosk)
    ticket = api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).get_json()
    r = devices(api, op)
    assert r.status_code == 200
    listed = r.get_json()
    assert [d["kind"] for d in listed] == ["kiosk", "display"]
    k, d = listed
    assert k["name"] == "Кіоск у холі" and k["online"] is True and k["last_seen_at"].startswith("2026-11-24T10:00")
    assert k["printer"]["scheme"] == "tcp" and "10.0.0.5" not in str(k)  # the kind of printer, not its address
    assert k["printer"]["last_print"] == {"ok": False, "at": ticket["issued_at"], "error": "paper out",
                                          "ticket": "К-001"}
    assert k["printer"]["status"] == {"online": True, "paper": "near_end", "error": None}
    assert d["printer"] is None and d["online"] is False and d["last_seen_at"] is None
    # a later good print replaces the fault; an old heartbeat turns the kiosk offline
    use_printer(app, RecordingPrinter())
    api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"})
    clock.advance(minutes=10)
    k = devices(api, op).get_json()[0]
    assert k["printer"]["last_print"]["ok"] is True and k["printer"]["last_print"]["ticket"] == "К-002"
    assert k["online"] is False
    assert k["printer"]["status"] == {"online": None, "paper": "unknown", "error": None}  # cannot say: unknown


def test_a_silent_printer_is_unknown_within_the_budget(app, api, monkeypatch) -> None:
    monkeypatch.setattr(device_status, "PROBE_BUDGET_S", 0.3)
    api.device("kiosk", printer_url="dummy://")
    use_printer(app, StatusPrinter(Status(online=True, paper="ok"), delay=2))
    manager = api.user("mgr", ["manager"])
    started = time.monotonic()
    [k] = devices(api, manager).get_json()
    assert time.monotonic() - started < 1.5
    assert k["printer"]["status"]["online"] is None and k["printer"]["status"]["paper"] == "unknown"
    assert "no answer" in k["printer"]["status"]["error"]


def test_real_refused_network_printer_is_reported_offline(app, api, network_printer) -> None:
    use_printers(app, open_printer)
    fake = network_printer("refuse")
    api.device("kiosk", printer_url=fake.url)
    [k] = devices(api, api.user("op", ["operator"])).get_json()
    assert k["printer"]["status"]["online"] is False and k["printer"]["status"]["paper"] == "unknown"
    assert "refused" in k["printer"]["status"]["error"]
    [k] = devices(api, api.user("op2", ["operator"]), query="?live=0").get_json()
    assert k["printer"]["status"] == {"online": None, "paper": "unknown", "error": None}


def test_devices_are_office_scoped_and_for_staff_only(api, db) -> None:
    build_office(db, "T2")
    kiosk = api.device("kiosk")
    assert devices(api, api.user("other", ["manager"], offices=["T2"])).status_code == 403
    assert devices(api, kiosk).status_code == 403
    assert devices(api, None).status_code == 401
    assert devices(api, api.user("admin", ["admin"], offices=[]), office="NOPE").status_code == 404
    assert devices(api, api.user("aud", ["auditor"])).status_code == 200


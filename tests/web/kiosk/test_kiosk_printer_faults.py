"""A real network printer path: the kiosk's printer is tcp://127.0.0.1:<port> of a fake printer
that refuses, never reads, or resets mid-job.  Each ticket stays valid and numbered once."""

from __future__ import annotations

import time

from printers import open_printer
from tests.fakes import use_printers
from tests.web.kiosk.kiosk_support import events, tickets


def test_refused_stalled_and_reset_printers_leave_valid_tickets(app, api, db, network_printer) -> None:
    use_printers(app, open_printer)  # the real ESC/POS path, no retries
    codes = []
    for behaviour in ("refuse", "stall", "reset"):
        fake = network_printer(behaviour)
        token = api.device("kiosk", printer_url=fake.url, name=f"kiosk-{behaviour}")
        started = time.monotonic()
        r = api.call("POST", "/kiosk/tickets", token, json={"service": "consult"})
        elapsed = time.monotonic() - started
        assert r.status_code == 201, r.get_json()
        ticket = r.get_json()
        assert ticket["print"]["ok"] is False, behaviour
        assert ticket["print"]["error"], behaviour
        assert ticket["status_url"] and ticket["public_token"] and ticket["code"]
        assert elapsed < 9, f"{behaviour} kept the visitor waiting {elapsed:.1f}s"
        codes.append(ticket["code"])
        if behaviour != "refuse":
            assert fake.connections >= 1
    assert codes == ["К-001", "К-002", "К-003"]
    stored = tickets(db)
    assert [t.number for t in stored] == [1, 2, 3] and all(t.status == "waiting" for t in stored)
    assert all(t.print_status == "failed" for t in stored)
    reasons = [e.reason or "" for e in events(db, "print_failed")]
    assert len(reasons) == 3
    assert "refused" in reasons[0]
    assert "timed out" in reasons[1] or "stopped reading" in reasons[1]
    assert "reset" in reasons[2] or "EPIPE" in reasons[2] or "ECONNRESET" in reasons[2]

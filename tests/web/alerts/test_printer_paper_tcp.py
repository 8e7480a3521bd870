"""The kiosk's printer paper alert end to end: the alerts job reads the paper sensor of a printer on
TCP (the fake raw-9100 printer answering DLE EOT / GS r as a real one does), keeps it on the device,
and the rules raise ``printer_paper`` from it."""

from __future__ import annotations

from typing import Any

from printers import open_printer
from reception.accounts.models import Device
from reception.accounts.service import create_device
from reception.devices.status import probe_from_factory, record_paper
from tests.integration.printers.test_printers_network import fake_printer
from tests.web.alerts.conftest import at


def test_paper_out_on_a_tcp_printer_raises_the_alert(a1: Any, db: Any, clock: Any) -> None:
    at(clock, 10, 0)
    probe = probe_from_factory(open_printer)
    with fake_printer(answers=(b"\x12", b"\x72")) as out:  # online, roll paper end
        kiosk, _ = create_device(db, clock, kind="kiosk", office_code="A1", name="Кіоск 1", printer_url=out.url)
        assert record_paper(db, clock, probe) == 1
        with db.read() as s:
            row = s.get(Device, kiosk)
            assert row is not None and row.printer_paper == "out"
        a1.evaluate()
        assert ("printer_paper", str(kiosk), "critical") in a1.open_alerts()
        out.answers = (b"\x12", None)  # DLE EOT 4 unanswered: asked GS r 1, which says near end
        out.gs_r = b"\x03"
        record_paper(db, clock, probe)
        a1.evaluate()
        assert ("printer_paper", str(kiosk), "warning") in a1.open_alerts()
        out.answers, out.gs_r = (b"\x12", b"\x12"), None  # a new roll
        record_paper(db, clock, probe)
        a1.evaluate()
        assert [k for k in a1.open_alerts() if k[0] == "printer_paper"] == []

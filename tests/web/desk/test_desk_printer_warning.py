"""The desk console tells staff at once when a kiosk's last ticket did not print."""

from __future__ import annotations

from sqlalchemy import update

from printers import open_printer
from reception.accounts.models import Device
from tests.fakes import use_printers
from tests.web.kiosk.kiosk_support import FakeNetworkPrinter


def test_console_warns_of_a_kiosk_whose_last_ticket_did_not_print(app, staff, api, db) -> None:
    use_printers(app, open_printer)  # the real printer path
    refused = FakeNetworkPrinter("refuse")
    broken = api.device("kiosk", printer_url=refused.url, name="Кіоск у холі")
    working = api.device("kiosk", printer_url="dummy://", name="Кіоск біля входу")
    first = api.call("POST", "/kiosk/tickets", broken, json={"service": "consult"}).get_json()
    assert first["print"]["ok"] is False
    assert api.call("POST", "/kiosk/tickets", working, json={"service": "consult"}).get_json()["print"]["ok"]
    me = staff("op", ["operator"])
    me.open_desk("1")
    page = me.client.get("/desk/T1/1").get_data(as_text=True)
    assert f"Принтер кіоску «Кіоск у холі» не надрукував талон {first['code']}" in page
    assert "Кіоск біля входу" not in page and "refused" not in page  # no technical text for staff
    # Fixed: the next ticket prints, and the warning is gone.
    with db.write() as s:
        s.execute(update(Device).where(Device.name == "Кіоск у холі").values(printer_url="dummy://"))
    assert api.call("POST", "/kiosk/tickets", broken, json={"service": "consult"}).get_json()["print"]["ok"]
    assert "Принтер кіоску" not in me.client.get("/desk/T1/1").get_data(as_text=True)

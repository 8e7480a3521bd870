"""Taking a ticket at the kiosk: committed first, printed second; a printer fault never loses it."""

from __future__ import annotations

import json

import pytest

from printers import parse_printer_url
from printers.escpos_backend import render_escpos
from printers.layout import build_layout
from tests.fakes import RecordingPrinter
from tests.web.kiosk.kiosk_support import RaisingPrinter, events, tickets, use_printer


def take(api, token: str, **body):
    body.setdefault("service", "consult")
    return api.call("POST", "/kiosk/tickets", token, json=body)


def test_ticket_is_printed_with_a_localised_slip(app, api, kiosk, db) -> None:
    r = take(api, kiosk, lang="en")
    assert r.status_code == 201
    ticket = r.get_json()
    assert ticket["code"] == "К-001" and ticket["position"] == 0 and ticket["print"] == {"ok": True, "error": None}
    assert ticket["status_url"] == f"http://test/t/{ticket['public_token']}"
    assert ticket["service_name_en"] == "Consultation"
    slip = app.config["printer"].slips[-1]
    assert (slip.code, slip.service_name, slip.office_name, slip.lang) == ("К-001", "Consultation", "Test office T1", "en")
    assert slip.status_url == ticket["status_url"]
    [printed] = events(db, "printed")
    assert printed.ticket_id == ticket["id"] and printed.actor_device_id is not None
    assert tickets(db)[0].print_status == "printed"


def test_priority_category_is_recorded_and_printed(app, api, kiosk, db) -> None:
    ticket = take(api, kiosk, priority="war_disability").get_json()
    assert ticket["priority"] == "war_disability"
    slip = app.config["printer"].slips[-1]
    # The slip says only that the ticket has priority: the category is personal data on paper left behind.
    assert slip.priority_label == "Пріоритетний талон"
    assert "інвалідністю" not in repr(slip)
    job = render_escpos(build_layout(slip), parse_printer_url("dummy://?mode=text"))
    assert "Пріоритетний талон".encode("cp1251") in job and "війни".encode("cp1251") not in job
    assert "війни" not in json.dumps(ticket, ensure_ascii=False)
    [issued] = events(db, "issued")
    assert issued.data.get("priority") == "war_disability" or tickets(db)[0].priority == "war_disability"


@pytest.mark.parametrize("body, status", [
    ({"service": "consult", "priority": "no_such_category"}, 422),
    ({"service": "no_such_service"}, 404),
    ({"service": "consult", "lang": "de"}, 422),
    ({"service": ""}, 422),
])
def test_bad_requests_change_nothing(api, kiosk, db, body, status) -> None:
    r = api.call("POST", "/kiosk/tickets?lang=en", kiosk, json=body)
    assert r.status_code == status and r.mimetype == "application/problem+json"
    assert r.get_json()["detail"]
    assert tickets(db) == []


def test_only_kiosks_take_tickets(api, kiosk, db) -> None:
    assert api.call("POST", "/kiosk/tickets", json={"service": "consult"}).status_code == 401
    assert api.call("POST", "/kiosk/tickets", api.device("display"), json={"service": "consult"}).status_code == 403
    assert tickets(db) == []


@pytest.mark.parametrize("printer", [RecordingPrinter(ok=False, error="paper out"), RaisingPrinter()],
                         ids=["failing", "raising"])
def test_print_failure_keeps_the_ticket_and_logs_the_fault(app, api, kiosk, db, printer) -> None:
    use_printer(app, printer)
    r = take(api, kiosk)
    assert r.status_code == 201
    ticket = r.get_json()
    assert ticket["print"]["ok"] is False and ticket["print"]["error"]
    # what the kiosk needs for its on-screen fallback
    assert ticket["code"] == "К-001" and ticket["public_token"] and ticket["status_url"].endswith(ticket["public_token"])
    [failed] = events(db, "print_failed")
    assert failed.ticket_id == ticket["id"] and failed.reason == ticket["print"]["error"]
    assert tickets(db)[0].print_status == "failed" and tickets(db)[0].status == "waiting"
    status = api.call("GET", f"/tickets/{ticket['public_token']}")
    assert status.status_code == 200 and status.get_json()["code"] == "К-001"
    # the next visitor still gets the next number, never a reused one
    use_printer(app, RecordingPrinter())
    assert take(api, kiosk).get_json()["code"] == "К-002"


def test_kiosk_without_printer_issues_screen_only_tickets(api, db) -> None:
    token = api.device("kiosk")
    ticket = take(api, token).get_json()
    assert ticket["print"] is None and ticket["code"] == "К-001"
    assert events(db, "printed") == [] and events(db, "print_failed") == []


def test_the_ticket_tells_the_wait_as_a_range_in_words(api) -> None:
    kiosk = api.device("kiosk", printer_url="recording://")
    op = api.user("op", ["operator"])  # Window 2 serves it, on a short pause: a wait, not "now"
    assert api.call("POST", "/desks/2/open", op).status_code == 200
    assert api.call("POST", "/desks/2/pause", op, json={"reason": "кава"}).status_code == 200
    for _ in range(3):
        api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"})
    ticket = api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult", "lang": "en"}).get_json()
    low, high = ticket["eta_range_min"]
    assert ticket["position"] == 3 and 0 <= low <= ticket["eta_min"] <= high
    assert ticket["eta_text"] in ("soon", f"{low}–{high} min", f"from {low} min", f"up to {high} min")
    assert not ticket["eta_text"].startswith("0–")  # a range from 0 says «up to»
    slip = api.client.application.config["printer"].slips[-1]
    assert slip.eta_text == ticket["eta_text"]
    status = api.call("GET", f"/tickets/{ticket['public_token']}").get_json()
    assert status["eta_range_min"] == [low, high] and status["eta_text_en"] == ticket["eta_text"]

from __future__ import annotations


def test_kiosk_ticket_call_finish_flow(api) -> None:
    kiosk = api.device("kiosk", printer_url="dummy://")
    op = api.user("op", ["operator"])
    menu = api.call("GET", "/kiosk/menu", kiosk).get_json()
    assert [s["code"] for s in menu["services"]] == ["consult", "appeal"]
    r = api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"})
    assert r.status_code == 201, r.get_json()
    ticket = r.get_json()
    assert ticket["code"] == "К-001" and ticket["status"] == "waiting" and ticket["position"] == 0
    assert ticket["print"]["ok"] is True
    assert api.call("POST", "/desks/1/open", op).status_code == 200
    called = api.call("POST", "/desks/1/call-next", op)
    assert called.status_code == 200 and called.get_json()["code"] == "К-001"
    assert called.get_json()["call_rule"] == "weighted_wait"
    api.clock.advance(minutes=4)  # the visit; a press within seconds of the call is a double click
    assert api.call("POST", "/desks/1/call-next", op).status_code == 204
    # the first call-next auto-finished nothing; the second one finished К-001 implicitly
    status = api.call("GET", f"/tickets/{ticket['public_token']}").get_json()
    assert status["status"] == "done" and "name" not in status

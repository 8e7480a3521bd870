"""A service nobody serves now (every desk of it closed): the kiosk menu, the issued ticket, its
slip, the phone page's JSON and the page itself say so and promise no wait; an office that prefers
refuses such tickets with 409 ``nobody_serves`` (decision 034). One rule decides it:
``reception.queue.estimates.served_now``."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from reception.queue.estimates import served_now
from tests.web.kiosk.kiosk_support import tickets


def take(api: Any, token: str, **body: Any) -> Any:
    body.setdefault("service", "consult")
    return api.call("POST", "/kiosk/tickets", token, json=body)


def menu_entry(api: Any, token: str, code: str, lang: str = "uk") -> dict[str, Any]:
    data = api.call("GET", f"/kiosk/menu?lang={lang}", token).get_json()
    return next(s for s in data["services"] if s["code"] == code)


def set_refuse(api: Any, on: bool) -> None:
    admin = api.tokens.get("root") or api.user("root", ["admin"])
    r = api.call("PATCH", "/offices/T1", admin, json={"settings": {"refuse_unserved": on}})
    assert r.status_code == 200, r.get_json()


@pytest.mark.parametrize(("statuses", "served"), [
    ((), False), (("closed",), False), (("closed", "closed"), False),
    (("open",), True), (("paused",), True), (("closed", "paused"), True), (("closed", "open"), True),
])
def test_the_rule(statuses: tuple[str, ...], served: bool) -> None:
    assert served_now(statuses) is served
    assert served_now(iter(statuses)) is served  # any iterable, read once


def test_a_ticket_nobody_serves_says_so_and_promises_no_wait(app, api, kiosk) -> None:
    entry = menu_entry(api, kiosk, "consult")
    assert entry["served_now"] is False and entry["available"] is True and entry["eta_min"] is None
    r = take(api, kiosk)
    assert r.status_code == 201, r.get_json()
    ticket = r.get_json()
    assert ticket["code"] == "К-001" and ticket["position"] == 0
    assert ticket["served_now"] is False
    assert (ticket["eta_min"], ticket["eta_range_min"], ticket["eta_text"]) == (None, None, None)
    slip = app.config["printer"].slips[-1]
    assert slip.eta_min is None and slip.eta_text == "невідоме: зараз цю послугу ніхто не обслуговує"
    status = api.call("GET", f"/tickets/{ticket['public_token']}").get_json()
    assert status["served_now"] is False and status["eta_min"] is None and status["eta_text_uk"] is None
    page = api.client.get(f"/t/{ticket['public_token']}").get_data(as_text=True)
    found = re.search(r'id="phone-config" type="application/json">(.*?)</script>', page, re.S)
    assert found is not None, "the page carries its config"
    config = json.loads(found[1])
    assert config["status"]["served_now"] is False  # the page's script words it (tests/browser/test_kiosk_visitor.py)
    assert config["labels"]["unserved"].startswith("Зараз цю послугу ніхто не обслуговує, тому час очікування невідомий.")


def test_a_desk_opening_or_pausing_serves_it_again(api, kiosk) -> None:
    ticket = take(api, kiosk).get_json()
    op = api.user("op", ["operator"])
    assert api.call("POST", "/desks/2/open", op).status_code == 200
    assert menu_entry(api, kiosk, "consult")["served_now"] is True
    status = api.call("GET", f"/tickets/{ticket['public_token']}").get_json()
    assert status["served_now"] is True and status["eta_range_min"] is not None
    assert api.call("POST", "/desks/2/pause", op, json={"reason": "обід"}).status_code == 200
    assert menu_entry(api, kiosk, "consult")["served_now"] is True  # on a pause: staffed, coming back
    assert api.call("POST", "/desks/2/close", op).status_code == 200
    assert menu_entry(api, kiosk, "consult")["served_now"] is False
    # "appeal" is served by Window 1 only: still nobody
    assert menu_entry(api, kiosk, "appeal")["served_now"] is False


def test_an_office_may_refuse_tickets_nobody_serves(api, db, kiosk) -> None:
    set_refuse(api, True)
    entry = menu_entry(api, kiosk, "consult")
    assert entry["available"] is False and entry["unavailable_reason"] == "nobody_serves"
    assert entry["unavailable_message"].startswith("Зараз цю послугу ніхто не обслуговує")
    r = take(api, kiosk)
    assert r.status_code == 409 and r.mimetype == "application/problem+json"
    problem = r.get_json()
    assert problem["code"] == "nobody_serves"
    assert problem["detail"].startswith("Зараз цю послугу ніхто не обслуговує, тому талон на неї не видається.")
    en = api.call("POST", "/kiosk/tickets?lang=en", kiosk, json={"service": "consult", "lang": "en"})
    assert en.status_code == 409 and en.get_json()["detail"].startswith("Nobody serves this service right now")
    assert tickets(db) == []  # nothing issued, no number spent
    op = api.user("op", ["operator"])
    assert api.call("POST", "/desks/2/open", op).status_code == 200
    assert menu_entry(api, kiosk, "consult")["available"] is True
    assert take(api, kiosk).get_json()["code"] == "К-001"
    set_refuse(api, False)
    assert take(api, kiosk, service="appeal").status_code == 201  # the default: issued, with the warning


def test_the_setting_is_a_switch(api) -> None:
    admin = api.user("root", ["admin"])
    r = api.call("PATCH", "/offices/T1", admin, json={"settings": {"refuse_unserved": "maybe"}})
    assert r.status_code == 422

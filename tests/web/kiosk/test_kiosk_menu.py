"""The kiosk menu: languages, waiting and expected wait, closed office, service hours, daily limit,
and the kiosk's heartbeat for staff."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from reception.accounts.models import Device
from tests.fakes import build_office
from tests.web.kiosk.kiosk_support import tickets

WEEKDAYS_9_18 = {str(d): [["09:00", "18:00"]] for d in range(1, 6)}


def menu(api, token: str, lang: str = "uk") -> dict:
    r = api.call("GET", f"/kiosk/menu?lang={lang}", token)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def service(data: dict, code: str) -> dict:
    return next(s for s in data["services"] if s["code"] == code)


def test_menu_is_localised_and_counts_the_queue(api, kiosk) -> None:
    uk, en = menu(api, kiosk), menu(api, kiosk, "en")
    assert uk["office"]["name"] == "Тестова установа T1" and en["office"]["name"] == "Test office T1"
    assert service(uk, "consult")["name"] == "Консультація" and service(en, "consult")["name"] == "Consultation"
    assert [p["code"] for p in uk["priority_categories"]][:2] == ["hero_ua", "hero_ussr"]
    assert service(uk, "consult")["waiting"] == 0 and service(uk, "consult")["available"] is True
    assert api.call("POST", "/desks/2/open", api.user("op", ["operator"])).status_code == 200  # someone serves it
    for _ in range(3):
        assert api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).status_code == 201
    consult = service(menu(api, kiosk), "consult")
    # A figure while someone serves it: the ticket's estimate, 0 here (the idle desk calls at once).
    assert consult["waiting"] == 3 and consult["eta_min"] == 0


def test_the_menu_promises_the_wait_the_ticket_then_shows(api, kiosk, clock) -> None:
    """The menu's expected wait is the product's estimate for the ticket the kiosk would issue at that
    moment: taken then, the ticket shows the same figure (not people ahead x a mean / desks)."""
    op = api.user("op", ["operator"])
    assert api.call("POST", "/desks/2/open", op).status_code == 200
    first = api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).get_json()
    for _ in range(3):
        assert api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).status_code == 201
    clock.advance(minutes=4)
    assert api.call("POST", "/desks/2/call-next", op).get_json()["id"] == first["id"]  # the desk is busy
    clock.advance(minutes=2)
    promised = service(menu(api, kiosk), "consult")
    taken = api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).get_json()
    assert promised["waiting"] == taken["position"] == 3
    assert promised["eta_min"] == taken["eta_min"] > 0


def test_menu_is_for_kiosks_only(api, kiosk) -> None:
    assert api.call("GET", "/kiosk/menu").status_code == 401
    assert api.call("GET", "/kiosk/menu", api.device("display")).status_code == 403
    assert api.call("GET", "/kiosk/menu", api.user("op", ["operator"])).status_code == 403


def test_closed_office_says_so_in_both_languages_and_issues_nothing(api, db, clock) -> None:
    build_office(db, "T2", hours=WEEKDAYS_9_18)
    token = api.device("kiosk", office="T2", printer_url="dummy://")
    assert menu(api, token)["open"] is True  # Tuesday 10:00 in Kyiv
    clock.set(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))  # 19:30 in Kyiv
    uk, en = menu(api, token), menu(api, token, "en")
    assert uk["open"] is False and uk["closed_message"].startswith("Установа зараз зачинена")
    assert en["closed_message"].startswith("The office is closed")
    assert all(not s["available"] and s["unavailable_reason"] == "office_closed" for s in uk["services"])
    r = api.call("POST", "/kiosk/tickets?lang=en", token, json={"service": "consult", "lang": "en"})
    assert r.status_code == 409 and r.mimetype == "application/problem+json"
    assert r.get_json()["detail"].startswith("The office is closed")
    assert tickets(db) == []


def test_service_outside_its_hours(api, db, clock) -> None:
    build_office(db, "T2", services=[
        dict(code="consult", prefix="К", name_uk="Консультація", name_en="Consultation"),
        dict(code="notary", prefix="Н", name_uk="Нотаріус", name_en="Notary",
             active_hours={"2": [["14:00", "17:00"]]}),
    ], desks=[dict(code="1", name_uk="Вікно 1", name_en="Window 1", services=["consult", "notary"])])
    token = api.device("kiosk", office="T2")
    data = menu(api, token)
    notary = service(data, "notary")
    assert data["open"] is True and service(data, "consult")["available"] is True
    assert notary["available"] is False and notary["unavailable_reason"] == "service_closed"
    assert notary["unavailable_message"] == "Ця послуга зараз недоступна: поза годинами її надання."
    r = api.call("POST", "/kiosk/tickets", token, json={"service": "notary"})
    assert r.status_code == 409 and "поза годинами" in r.get_json()["detail"]
    clock.set(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))  # 14:00 in Kyiv
    assert service(menu(api, token), "notary")["available"] is True
    assert api.call("POST", "/kiosk/tickets", token, json={"service": "notary"}).status_code == 201


def test_daily_limit(api, db) -> None:
    build_office(db, "T2", services=[dict(code="consult", prefix="К", name_uk="Консультація",
                                          name_en="Consultation", daily_limit=2)],
                 desks=[dict(code="1", name_uk="Вікно 1", name_en="Window 1", services=["consult"])])
    token = api.device("kiosk", office="T2")
    for _ in range(2):
        assert api.call("POST", "/kiosk/tickets", token, json={"service": "consult"}).status_code == 201
    consult = service(menu(api, token, "en"), "consult")
    assert consult["available"] is False and consult["unavailable_reason"] == "daily_limit"
    assert consult["unavailable_message"] == "No more tickets for this service today."
    r = api.call("POST", "/kiosk/tickets", token, json={"service": "consult"})
    assert r.status_code == 409 and r.get_json()["detail"] == "На сьогодні талони на цю послугу закінчилися."
    assert [t.number for t in tickets(db)] == [1, 2]


def test_menu_fetch_is_the_kiosks_heartbeat_written_at_most_once_a_minute(api, kiosk, db, clock) -> None:
    def last_seen() -> datetime | None:
        with db.read() as s:
            return s.scalar(select(Device.last_seen_at).where(Device.kind == "kiosk"))

    assert last_seen() is None
    menu(api, kiosk)
    first = clock.now()
    assert last_seen() == first
    clock.advance(seconds=30)
    menu(api, kiosk)
    assert last_seen() == first  # throttled: no write
    clock.advance(seconds=31)
    menu(api, kiosk)
    assert last_seen() == clock.now()

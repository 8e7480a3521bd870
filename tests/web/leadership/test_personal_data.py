"""One person's data on request: find, export (UTF-8 JSON), erase where the law allows (docs/decisions/018)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from reception.accounts.models import User
from reception.audit.models import AuditLog
from reception.leadership.models import Appointment, ReceptionRecord, ReceptionSession
from reception.leadership.personal_data import appointment_verdict, record_verdict
from reception.queue.models import Ticket
from tests.web.leadership.builders import add_leader, add_leadership, add_rule, set_settings
from tests.web.leadership.test_leadership_records import RECORD

PHONE = "+380441234567"  # RECORD's visitor


# --- the rule (pure) -------------------------------------------------------------------------------

def test_a_card_is_kept_on_control_and_for_its_term() -> None:
    assert record_verdict(None, date(2010, 1, 1), 5, date(2026, 11, 24)).reason == "erasure.on_control"
    kept = record_verdict(date(2026, 3, 1), date(2026, 2, 1), 5, date(2031, 12, 31))
    assert not kept.erasable and kept.possible_from == date(2032, 1, 1)
    assert record_verdict(date(2026, 3, 1), date(2026, 2, 1), 5, date(2032, 1, 1)).erasable
    # a removal dated before the reception cannot shorten the term
    assert record_verdict(date(2025, 12, 1), date(2026, 2, 1), 5, date(2031, 6, 1)).possible_from == date(2032, 1, 1)


def test_a_booking_goes_with_its_card_and_not_before_it_happened() -> None:
    card = record_verdict(date(2026, 3, 1), date(2026, 2, 1), 5, date(2026, 11, 24))
    assert appointment_verdict("cancelled", date(2026, 1, 1), date(2026, 11, 24), card).possible_from == date(2032, 1, 1)
    assert appointment_verdict("booked", date(2026, 11, 24), date(2026, 11, 24), None).reason == "erasure.booking_active"
    assert appointment_verdict("booked", date(2026, 11, 23), date(2026, 11, 24), None).erasable  # a no-show
    assert appointment_verdict("cancelled", date(2026, 12, 24), date(2026, 11, 24), None).erasable


# --- through the API -------------------------------------------------------------------------------

@pytest.fixture
def person(api, db, clock):
    """Шевченко Тарас: a card on control, one closed in 2020 (past its 5 years), one closed today;
    a booking for today's reception and a cancelled one. A namesake Шевченко Петро with another phone."""
    add_leadership(db)
    set_settings(db, booking_cutoff_working_days=0)
    leader = add_leader(db, clock)
    add_rule(db, clock, leader, weekday=2, start="11:00", end="13:00", slot_min=30, valid_from=date(2026, 11, 1))
    t = {name: api.user(name, roles) for name, roles in (
        ("mgr", ["manager"]), ("op", ["operator"]), ("aud", ["auditor"]), ("cc", ["call_centre"]))}
    written = RECORD | {"visitor": RECORD["visitor"] | {"phone": "044 123 45 67"}}  # as typed, not E.164
    ids = {"open": api.call("POST", "/records", t["op"], json=written).get_json()["id"]}
    old = api.call("POST", "/records", t["op"], json=RECORD | {"reception_date": "2020-04-01"}).get_json()
    api.call("PATCH", f"/records/{old['id']}", t["op"], json={"removed_from_control": "2020-05-01"})
    recent = api.call("POST", "/records", t["op"], json=RECORD).get_json()
    api.call("PATCH", f"/records/{recent['id']}", t["op"], json={"removed_from_control": "2026-11-24"})
    api.call("POST", "/records", t["op"], json=RECORD | {"visitor": {"surname": "Шевченко", "name": "Петро",
                                                                     "phone": "+380671112233"}})
    ids |= {"old": old["id"], "recent": recent["id"]}
    with db.read() as s:
        session_id = s.scalars(select(ReceptionSession.id).order_by(ReceptionSession.day)).first()
    for key in ("booked", "cancelled"):
        r = api.call("POST", f"/reception-sessions/{session_id}/appointments", t["cc"],
                     json={"visitor": {"surname": "ШЕВЧЕНКО", "name": "Тарас", "phone": PHONE}, "topic": "Спадщина"})
        ids[key] = r.get_json()["id"]
    api.call("POST", f"/appointments/{ids['cancelled']}/cancel", t["cc"], json={"reason": "передумав"})
    return t | ids


def _actions(db, action: str) -> list[tuple[int | None, str | None]]:
    with db.read() as s:
        return [tuple(r) for r in s.execute(select(AuditLog.user_id, AuditLog.object_id)
                                            .where(AuditLog.action == action).order_by(AuditLog.id))]


def test_find_by_phone_however_written_says_what_may_go(api, person) -> None:
    found = api.call("GET", "/personal-data", person["mgr"], query_string={"phone": "+38 (044) 123-45-67"}).get_json()
    records = {r["id"]: r for r in found["records"]}
    assert set(records) == {person["open"], person["old"], person["recent"]}
    assert records[person["old"]]["erasable"] is True
    assert records[person["open"]]["reason"] == "erasure.on_control" and records[person["open"]]["erasable_from"] is None
    recent = records[person["recent"]]
    assert recent["erasable_from"] == "2032-01-01" and "1 січня 2032" in recent["explanation"]["uk"]
    assert "31 грудня 2031" in recent["explanation"]["uk"] and "January 2032" in recent["explanation"]["en"]
    appts = {a["id"]: a for a in found["appointments"]}
    assert appts[person["booked"]]["reason"] == "erasure.booking_active" and appts[person["cancelled"]]["erasable"]
    # by surname and name: the namesake Петро is not Тарас
    by_name = api.call("GET", "/personal-data", person["mgr"], query_string={"surname": "шевченко", "name": "тарас"})
    assert {r["id"] for r in by_name.get_json()["records"]} == set(records)


def test_export_is_a_utf8_json_file_and_logged(api, db, person) -> None:
    r = api.call("GET", "/personal-data/export", person["mgr"], query_string={"phone": "0441234567"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert r.headers["Content-Disposition"].startswith("attachment") and r.headers["Cache-Control"] == "no-store"
    assert "Шевченко".encode() in r.data  # Cyrillic as it is, not \u escapes
    data = json.loads(r.data.decode("utf-8"))
    assert {x["id"] for x in data["records"]} == {person["open"], person["old"], person["recent"]}
    assert {x["id"] for x in data["appointments"]} == {person["booked"], person["cancelled"]}
    assert data["records"][0]["address"] == RECORD["visitor"]["address"]
    with db.read() as s:
        mgr = s.scalar(select(User.id).where(User.username == "mgr"))
    assert sorted(_actions(db, "record.export")) == sorted(
        (mgr, str(i)) for i in (person["open"], person["old"], person["recent"]))
    assert len(_actions(db, "appointment.export")) == 2


def test_erase_anonymises_what_may_go_and_explains_the_rest(api, db, person) -> None:
    r = api.call("POST", "/personal-data/erase", person["mgr"], json={"phone": PHONE})
    assert r.status_code == 200, r.get_json()
    out = r.get_json()
    assert out["erased"] == {"records": [person["old"]], "appointments": [person["cancelled"]]}
    assert {(k["type"], k["id"]) for k in out["kept"]} == {
        ("record", person["open"]), ("record", person["recent"]), ("appointment", person["booked"])}
    with db.read() as s:
        old = s.get(ReceptionRecord, person["old"])
        assert old is not None and old.surname == old.phone == old.address == "" and old.anonymised_at is not None
        assert old.questions == RECORD["questions"]  # the substance of the appeal stays
        kept = s.get(ReceptionRecord, person["recent"])
        assert kept is not None and kept.surname == "Шевченко"
        appt = s.get(Appointment, person["cancelled"])
        assert appt is not None and appt.phone is None and appt.surname == ""
        booked = s.get(Appointment, person["booked"])
        assert booked is not None and booked.phone == PHONE
    assert _actions(db, "record.erase")[0][1] == str(person["old"])
    assert _actions(db, "appointment.erase")[0][1] == str(person["cancelled"])
    # Asked again: nothing more may go now, so it is refused with the reasons and the date.
    again = api.call("POST", "/personal-data/erase?lang=uk", person["mgr"], json={"phone": PHONE})
    assert again.status_code == 409
    detail = again.get_json()["detail"]
    assert "1 січня 2032" in detail and "на контролі" in detail and "скасуйте" in detail
    assert len(_actions(db, "record.erase")) == 1


def test_who_may_ask_and_bad_input(api, person) -> None:
    for who in ("op", "aud", "cc"):
        assert api.call("GET", "/personal-data", person[who], query_string={"phone": PHONE}).status_code == 403
        assert api.call("POST", "/personal-data/erase", person[who], json={"phone": PHONE}).status_code == 403
    assert api.call("GET", "/personal-data", None, query_string={"phone": PHONE}).status_code == 401
    assert api.call("GET", "/personal-data", person["mgr"]).status_code == 422
    assert api.call("GET", "/personal-data", person["mgr"], query_string={"phone": "12"}).status_code == 422
    assert api.call("POST", "/personal-data/erase", person["mgr"], json={"phone": PHONE, "x": 1}).status_code == 422
    assert api.call("POST", "/personal-data/erase", person["mgr"], data="{").status_code in (400, 415, 422)
    missing = api.call("GET", "/personal-data/export", person["mgr"], query_string={"surname": "Немає"})
    assert missing.status_code == 404
    assert api.call("POST", "/personal-data/erase", person["mgr"], json={"surname": "Немає"}).status_code == 404


def test_the_desk_note_is_exported_and_goes_with_its_card(api, db, person) -> None:
    ticket = api.call("POST", "/kiosk/tickets", api.device("kiosk"), json={"service": "consult"}).get_json()
    with db.write() as s:  # the visit behind the old card, finished with a note naming the visitor
        s.get(Ticket, ticket["id"]).note = "Шевченко просив копію рішення"
        s.get(ReceptionRecord, person["old"]).ticket_id = ticket["id"]
    data = json.loads(api.call("GET", "/personal-data/export", person["mgr"], query_string={"phone": PHONE}).data)
    assert data["notes"] == [{"ticket_id": ticket["id"], "ticket_code": ticket["code"], "day": "2026-11-24",
                              "note": "Шевченко просив копію рішення"}]
    assert api.call("POST", "/personal-data/erase", person["mgr"], json={"phone": PHONE}).status_code == 200
    with db.read() as s:
        assert s.get(Ticket, ticket["id"]).note is None
    assert _actions(db, "ticket.note_erase")[0][1] == str(ticket["id"])

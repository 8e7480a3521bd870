"""Leadership bookings with the visitor's consent: the confirmation, cancel and move, the reminder the
day before, and the visitor's own replies (late within the lateness rule, cancel)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reception.leadership.models import Appointment
from reception.notifications.triggers import remind_tomorrow
from tests.web.leadership.test_leadership_booking import VISITOR, _leader_and_rule, _sessions
from tests.web.notifications.conftest import messages, subscriptions
from tests.web.notifications.test_hooks import sms
from tests.web.test_bad_input import fingerprint


@pytest.fixture
def setup(api, db, clock, channel_app):
    from tests.web.leadership.builders import add_leadership

    add_leadership(db)
    tokens = {"mgr": api.user("mgr", ["manager"]), "cc": api.user("cc", ["call_centre"])}
    _leader_and_rule(api, tokens["mgr"])
    return tokens


def book(api, setup, session: dict, **notify):
    body = {"visitor": VISITOR, "topic": "Земельне питання"} | ({"notify": notify} if notify else {})
    return api.call("POST", f"/reception-sessions/{session['id']}/appointments", setup["cc"], json=body)


def test_booking_with_consent_confirms_by_sms_and_email(api, db, setup) -> None:
    s1 = _sessions(api, setup["cc"])[1]
    r = book(api, setup, s1, consent=True, sms=True, email="ivan@example.com")
    assert r.status_code == 201, r.get_json()
    appt = r.get_json()
    subs = subscriptions(db)
    assert [(s.channel, s.address, s.appointment_id) for s in subs] == [
        ("sms", "+380501234567", appt["id"]), ("email", "ivan@example.com", appt["id"])]
    sent = messages(db, kind="booking_confirmed")
    assert len(sent) == 2
    code = appt["booking_code"]
    assert code in sent[0].body and "03.12.2026 о 10:00" in sent[0].body
    assert "Кабінет 412" in sent[0].body and "паспорт" in sent[0].body
    assert sent[1].subject and sent[1].channel == "email"


def test_no_consent_no_subscription_and_bad_address_books_nothing(api, db, setup) -> None:
    s1 = _sessions(api, setup["cc"])[1]
    assert book(api, setup, s1).status_code == 201
    before = fingerprint(db)
    r = book(api, setup, s1, consent=False, sms=True)
    assert r.status_code == 422 and "consent" in r.get_json()["detail"]  # consent is the schema's: true or no notify
    r = book(api, setup, s1, consent=True, email="not-an-address")
    assert r.status_code == 422 and "email" in r.get_json()["detail"]
    assert fingerprint(db) == before and subscriptions(db) == [] and messages(db) == []


def test_cancel_and_rebook_by_the_call_centre_tell_the_visitor(api, db, setup) -> None:
    s1, s2 = _sessions(api, setup["cc"])[1:3]
    appt = book(api, setup, s1, consent=True, sms=True).get_json()
    r = api.call("POST", f"/appointments/{appt['id']}/rebook", setup["cc"], json={"session": s2["id"]})
    assert r.status_code == 200
    [moved] = [m for m in messages(db) if m.idempotency_key.startswith("rebooked:")]
    assert "10.12.2026" in moved.body
    api.call("POST", f"/appointments/{appt['id']}/cancel", setup["cc"], json={})
    [cancelled] = messages(db, kind="booking_cancelled")
    assert "скасовано" in cancelled.body and "10.12.2026" in cancelled.body


def test_reminder_the_day_before_once(api, db, setup, clock, app) -> None:
    s1 = _sessions(api, setup["cc"])[1]
    book(api, setup, s1, consent=True, sms=True)
    book(api, setup, s1)  # no consent: no reminder
    services = app.extensions["reception"].services
    clock.set(datetime(2026, 12, 1, 16, 0, tzinfo=UTC))  # two days before: nothing yet
    assert services.value(remind_tomorrow) == 0
    clock.set(datetime(2026, 12, 2, 16, 0, tzinfo=UTC))  # 18:00 in Kyiv, the day before
    assert services.value(remind_tomorrow) == 1
    services.value(remind_tomorrow)
    [reminder] = messages(db, kind="booking_reminder")
    assert "завтра, 03.12.2026 о 10:00" in reminder.body


def test_booking_replies_late_within_the_rule_and_cancel(api, client, db, setup, clock) -> None:
    s1 = _sessions(api, setup["cc"])[1]
    appt = book(api, setup, s1, consent=True, sms=True).get_json()
    clock.set(datetime(2026, 12, 3, 8, 10, tzinfo=UTC))  # 10:10 in Kyiv, the slot was 10:00
    assert sms(client, "+380501234567", "ПІЗНО", ident="b1").get_json()["outcome"] == "replied"
    assert "до 10:30" in messages(db, kind="reply_answer")[-1].body
    assert sms(client, "+380501234567", "пізно", ident="b2").get_json()["outcome"] == "refused"
    assert sms(client, "+380501234567", "скасувати", ident="b3").get_json()["outcome"] == "replied"
    with db.read() as s:
        got = s.get(Appointment, appt["id"])
        assert got is not None and got.status == "cancelled" and got.cancel_reason == "visitor:sms"
    assert messages(db, kind="booking_cancelled") == []  # the visitor's own cancel is answered once


def test_booking_late_after_the_window_is_refused(api, client, db, setup, clock) -> None:
    s1 = _sessions(api, setup["cc"])[1]
    book(api, setup, s1, consent=True, sms=True)
    clock.set(datetime(2026, 12, 3, 8, 45, tzinfo=UTC))  # 10:45: the check-in closed at 10:30
    assert sms(client, "+380501234567", "late", ident="c1").get_json()["outcome"] == "refused"
    assert "контакт-центру" in messages(db, kind="reply_answer")[-1].body


def test_a_resume_tells_the_moved_and_the_dropped_bookings(api, db, clock, channel_app) -> None:
    from datetime import date

    from tests.web.leadership.builders import add_leader, add_leadership, add_rule, set_settings

    add_leadership(db)
    set_settings(db, booking_cutoff_working_days=0)
    leader = add_leader(db, clock, user="boss")
    add_rule(db, clock, leader, weekday=2, start="10:30", end="13:00", slot_min=30, valid_from=date(2026, 11, 1))
    cc = api.user("cc", ["call_centre"])
    manager = api.user("chief", ["manager"])
    today = api.call("GET", "/reception-sessions?office=T1", cc).get_json()[0]
    booked = []
    for i, index in enumerate((0, 1, 3, 4)):
        visitor = {"surname": f"Коваль{i}", "name": "Олена", "phone": f"+38050123456{i}"}
        r = api.call("POST", f"/reception-sessions/{today['id']}/appointments", cc,
                     json={"visitor": visitor, "topic": "Спадщина", "slot": today["slots"][index]["at"],
                           "notify": {"consent": True, "sms": True}})
        booked.append(r.get_json())
    assert api.call("POST", "/offices/T1/suspend", manager, json={"reason": "air_raid"}).status_code == 200
    clock.advance(minutes=60)
    assert api.call("POST", "/offices/T1/resume", manager, json={}).status_code == 200
    moved = messages(db, kind="booking_moved")
    by_booking = {m.appointment_id: m.body for m in moved}
    assert len(moved) == 4
    assert "перенесено: 24.11.2026 о 11:30" in by_booking[booked[0]["id"]]
    assert "зателефонують" in by_booking[booked[3]["id"]]

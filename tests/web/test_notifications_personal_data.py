"""The addresses of messages and subscriptions are personal data: the storage run blanks them when
their cause is over, and one person's find, export and erase cover them (decisions 018, 037)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from reception.audit.models import AuditLog
from reception.leadership.models import Appointment
from reception.notifications.models import Message, Subscription
from reception.notifications.outbox import enqueue
from reception.notifications.personal_data import NotificationsAnonymised, anonymise_notifications
from reception.offices.models import Office
from reception.queue.models import Ticket
from tests.fakes import services
from tests.web.leadership.test_personal_data import PHONE, person  # noqa: F401  (the fixture)
from tests.web.leadership.test_personal_data_document import document_words


def _office_id(s: Any) -> int:
    office_id = s.scalar(select(Office.id).where(Office.code == "T1"))
    assert office_id is not None
    return int(office_id)


def _msg(db: Any, clock: Any, key: str, channel: str, address: str, **kw: Any) -> int:
    with db.write() as s:
        m = enqueue(s, at=clock.now(), key=key, channel=channel, address=address, kind="booking_confirmed",
                    body="Запис підтверджено", office_id=_office_id(s), **kw)
        assert m is not None
        return m.id


def _sub(db: Any, clock: Any, channel: str, address: str, **kw: Any) -> int:
    with db.write() as s:
        sub = Subscription(office_id=_office_id(s), channel=channel, address=address, created_at=clock.now(), **kw)
        s.add(sub)
        s.flush()
        return sub.id


def _status(db: Any, model: Any, ident: int) -> Any:
    with db.read() as s:
        return s.get(model, ident)


def test_erasure_on_request_blanks_the_messages_of_what_goes_and_keeps_those_of_a_kept_booking(
        api: Any, db: Any, clock: Any, person: dict[str, Any]) -> None:  # noqa: F811
    kept = _msg(db, clock, "kept", "sms", PHONE, appointment_id=person["booked"])
    of_cancelled = _msg(db, clock, "cancelled", "telegram", "555001", appointment_id=person["cancelled"])
    walk_in = _msg(db, clock, "walk-in", "sms", PHONE)  # a ticket's SMS, found by the phone alone
    other = _msg(db, clock, "other", "sms", "+380671112233")
    sub_kept = _sub(db, clock, "sms", PHONE, appointment_id=person["booked"])
    sub_gone = _sub(db, clock, "email", "taras@example.com", appointment_id=person["cancelled"])

    found = api.call("GET", "/personal-data", person["mgr"], query_string={"phone": PHONE}).get_json()
    assert {m["id"]: (m["address"], m["erasable"]) for m in found["messages"]} == {
        kept: ("+380•••••67", False), of_cancelled: ("•••001", True), walk_in: ("+380•••••67", True)}
    assert {x["id"]: x["erasable"] for x in found["subscriptions"]} == {sub_kept: False, sub_gone: True}

    export = api.call("GET", "/personal-data/export", person["mgr"], query_string={"phone": PHONE})
    data = export.get_json()
    assert {m["address"] for m in data["messages"]} == {PHONE, "555001"}  # the person's own data, in full
    assert {x["address"] for x in data["subscriptions"]} == {PHONE, "taras@example.com"}
    words = document_words(data)  # the citizen's readable copy names them too, in words
    for shown in ("Повідомлення, надіслані вам", "Підписки на повідомлення", "Електронна пошта", "taras@example.com",
                  "555001"):
        assert shown in words, (shown, words[-1500:])
    assert "telegram" not in words and "email" not in words

    done = api.call("POST", "/personal-data/erase", person["mgr"], json={"phone": PHONE})
    assert done.status_code == 200, done.get_json()
    erased = done.get_json()["erased"]
    assert sorted(erased["messages"]) == sorted([of_cancelled, walk_in]) and erased["subscriptions"] == [sub_gone]
    assert _status(db, Message, kept).address == PHONE and _status(db, Message, other).address == "+380671112233"
    gone = _status(db, Message, walk_in)
    assert gone.address == "" and gone.status == "failed" and gone.last_error == "erased on request"
    assert _status(db, Message, of_cancelled).address == ""
    assert _status(db, Subscription, sub_gone).address is None and _status(db, Subscription, sub_kept).address == PHONE
    with db.read() as s:
        logged = list(s.scalars(select(AuditLog.action).where(AuditLog.action.like("%.erase"))))
        assert logged.count("message.erase") == 2 and logged.count("subscription.erase") == 1
        assert not any(PHONE in str(d) for d in s.scalars(select(AuditLog.detail)))


def test_erasure_of_messages_alone_when_no_card_or_booking_names_the_person(api: Any, db: Any, clock: Any,
                                                                             office: str) -> None:
    lone = _msg(db, clock, "lone", "sms", "+380931112233")
    manager = api.user("mgr", ["manager"])
    r = api.call("POST", "/personal-data/erase", manager, json={"phone": "093 111 22 33"})
    assert r.status_code == 200 and r.get_json()["erased"]["messages"] == [lone]
    assert _status(db, Message, lone).address == ""
    assert api.call("POST", "/personal-data/erase", manager, json={"phone": "093 111 22 33"}).status_code == 404


def test_the_storage_run_blanks_addresses_whose_cause_is_over(api: Any, db: Any, clock: Any, office: str) -> None:
    kiosk = api.device("kiosk")
    api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"})
    with db.read() as s:
        ticket_id = s.scalar(select(Ticket.id))
    old_sent = _msg(db, clock, "old-sent", "sms", "+380501234567", ticket_id=ticket_id)
    old_queued = _msg(db, clock, "old-queued", "email", "ivan@example.com")
    ticket_sub = _sub(db, clock, "telegram", "555001", ticket_id=ticket_id)
    staff_sub = _sub(db, clock, "telegram", "777", topic="alerts")
    with db.write() as s:
        m = s.get(Message, old_sent)
        assert m is not None
        m.status = "sent"
    clock.advance(days=29)
    recent = _msg(db, clock, "recent", "sms", "+380501234567")
    with db.write() as s:
        m = s.get(Message, recent)
        assert m is not None
        m.status = "failed"
    run = services(db, clock).value
    # The waiting ticket's subscription stays while the visit may come; messages wait for their term.
    assert run(anonymise_notifications, 30) == NotificationsAnonymised(0, 0)
    with db.write() as s:
        t = s.get(Ticket, ticket_id)
        assert t is not None
        t.status, t.finished_at = "done", clock.now()
    clock.advance(days=2)  # the visit is over for more than a day, the first message is 31 days old
    outcome = run(anonymise_notifications, 30)
    assert (outcome.messages, outcome.subscriptions) == (1, 1)
    assert _status(db, Message, old_sent).address == ""
    assert _status(db, Message, old_queued).address == "ivan@example.com"  # still to be delivered (or failed)
    assert _status(db, Message, recent).address == "+380501234567"
    sub = _status(db, Subscription, ticket_sub)
    assert sub.address is None and sub.revoked_at is not None
    assert _status(db, Subscription, staff_sub).address == "777"  # a staff member's own, not a visitor's
    assert run(anonymise_notifications, 30).messages == 0  # a second run changes nothing
    with db.read() as s:
        (detail,) = s.scalars(select(AuditLog.detail).where(AuditLog.action == "notifications.anonymise"))
        assert detail["messages"] == 1 and detail["subscriptions"] == 1


def test_an_anonymised_booking_takes_its_messages_address_at_once(api: Any, db: Any, clock: Any,
                                                                  person: dict[str, Any]) -> None:  # noqa: F811
    m = _msg(db, clock, "appt", "sms", PHONE, appointment_id=person["cancelled"])
    with db.write() as s:
        msg = s.get(Message, m)
        appt = s.get(Appointment, person["cancelled"])
        assert msg is not None and appt is not None
        msg.status = "sent"
        appt.anonymised_at = clock.now() - timedelta(minutes=1)
    assert services(db, clock).value(anonymise_notifications, 30).messages == 1
    assert _status(db, Message, m).address == ""

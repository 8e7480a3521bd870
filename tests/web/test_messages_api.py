"""GET /api/v1/messages: managers and auditors see their offices' messages, addresses masked."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from reception.notifications.delivery import deliver_due
from reception.notifications.outbox import enqueue
from reception.notifications.reads import mask_address
from reception.offices.models import Office
from reception.queue.models import Ticket
from tests.fakes import build_office


def _message(db: Any, clock: Any, office: str, key: str, channel: str, address: str, ticket_id: int | None = None) -> None:
    with db.write() as s:
        office_id = s.scalar(select(Office.id).where(Office.code == office))
        enqueue(s, at=clock.now(), key=key, channel=channel, address=address, kind="called",
                body="Вас запрошують до вікна 1", office_id=office_id, ticket_id=ticket_id)


def test_mask_address() -> None:
    assert mask_address("sms", "+380501234567") == "+380•••••67"
    assert mask_address("email", "ivan@example.com") == "i•••@example.com"
    assert mask_address("telegram", "555001") == "•••001"
    assert mask_address("viber", "") == ""


def test_manager_sees_own_office_masked_filters_and_other_office_is_refused(api: Any, db: Any, clock: Any) -> None:
    build_office(db, "T2")
    kiosk = api.device("kiosk")
    issued = api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult"}).get_json()
    with db.read() as s:
        ticket_id = s.scalar(select(Ticket.id).where(Ticket.code == issued["code"]))
    _message(db, clock, "T1", "a", "sms", "+380501234567", ticket_id)
    _message(db, clock, "T1", "b", "email", "ivan@example.com")
    _message(db, clock, "T2", "c", "sms", "+380679999999")
    deliver_due(db, clock, {})  # no gateway configured: both fail with the reason

    manager = api.user("boss", ["manager"])
    listed = api.call("GET", "/messages", manager)
    assert listed.status_code == 200
    items = listed.get_json()
    assert {i["address"] for i in items} == {"+380•••••67", "i•••@example.com"}  # T1's only
    first = next(i for i in items if i["channel"] == "sms")
    assert first["ticket"] == {"id": ticket_id, "code": issued["code"]}
    assert first["status"] == "failed" and first["last_error"] == "channel not configured" and first["attempts"] == 1
    assert "501234567" not in listed.get_data(as_text=True)

    assert len(api.call("GET", f"/messages?office=T1&ticket={ticket_id}", manager).get_json()) == 1
    assert api.call("GET", "/messages?status=queued", manager).get_json() == []
    assert api.call("GET", "/messages?status=lost", manager).status_code == 422
    assert api.call("GET", "/messages?ticket=x", manager).status_code == 422
    assert api.call("GET", "/messages?office=T2", manager).status_code == 403
    assert api.call("GET", "/messages?office=NOPE", manager).status_code == 404

    auditor = api.user("audit", ["auditor"], ["T2"])
    assert [i["address"] for i in api.call("GET", "/messages", auditor).get_json()] == ["+380•••••99"]
    operator = api.user("op", ["operator"])
    assert api.call("GET", "/messages", operator).status_code == 403
    assert api.call("GET", "/messages").status_code == 401
    admin = api.user("root", ["admin"], [])
    assert len(api.call("GET", "/messages", admin).get_json()) == 3


def test_back_office_page_lists_the_offices_messages_in_ukrainian(client: Any, api: Any, db: Any, clock: Any) -> None:
    from tests.fakes import add_user, signed_in

    _message(db, clock, "T1", "a", "sms", "+380501234567")
    _message(db, clock, "T1", "b", "telegram", "555001")
    deliver_due(db, clock, {})
    _message(db, clock, "T1", "c", "email", "ivan@example.com")
    manager = add_user(db, clock, "boss", ["manager"], ["T1"])
    signed_in(client, db, clock, manager)
    page = client.get("/backoffice/messages")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Повідомлення відвідувачам" in html and 'href="/backoffice/messages"' in html  # the page, in the nav
    assert "+380•••••67" in html and "•••001" in html and "i•••@example.com" in html
    assert "Канал не налаштовано на сервері" in html and "У черзі" in html and "501234567" not in html
    failed = client.get("/backoffice/messages?status=failed").get_data(as_text=True)
    assert "+380•••••67" in failed and "i•••@example.com" not in failed
    operator = add_user(db, clock, "op", ["operator"], ["T1"])
    signed_in(client, db, clock, operator)
    assert client.get("/backoffice/messages").status_code == 403


def test_healthz_reports_the_outbox_and_degrades_on_an_old_backlog(client: Any, db: Any, clock: Any, office: str) -> None:
    _message(db, clock, "T1", "old", "sms", "+380501234567")
    _message(db, clock, "T1", "lost", "email", "ivan@example.com")
    with db.write() as s:  # the e-mail failed already; the SMS waits
        from reception.notifications.models import Message

        lost = s.scalar(select(Message).where(Message.idempotency_key == "lost"))
        assert lost is not None
        lost.status, lost.next_attempt_at = "failed", clock.now()
    clock.advance(minutes=5)
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok"
    assert body["notifications"] == {"status": "ok", "queued": 1, "oldest_queued_s": 300, "failed_last_hour": 1}
    clock.advance(minutes=10)
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.get_json()
    assert body["status"] == "degraded" and body["degraded"] == ["notifications"]
    assert body["notifications"]["status"] == "backlog" and body["notifications"]["oldest_queued_s"] == 900
    assert body["notifications"]["failed_last_hour"] == 1
    clock.advance(hours=1)
    assert client.get("/healthz").get_json()["notifications"]["failed_last_hour"] == 0

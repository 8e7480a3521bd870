"""A kiosk's retried ticket request (its answer was lost) gets the ticket the first one made.

The kiosk sends one ``idempotency_key`` per tap; a retry with the same key — after a network cut,
a server crash, a proxy timeout — must not take a second number. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import secrets
import threading
from typing import Any

import pytest
from sqlalchemy import func, select

from reception.arrival import ticketing
from reception.queue.models import Ticket, TicketEvent
from tests.web.test_bad_input import fingerprint


def key() -> str:
    return secrets.token_hex(16)


def take(api: Any, kiosk: str, **body: Any) -> Any:
    return api.call("POST", "/kiosk/tickets", kiosk, json={"service": "consult", **body})


def tickets(db: Any) -> list[tuple[int, str, int]]:
    with db.read() as s:
        return [tuple(r) for r in s.execute(select(Ticket.id, Ticket.code, Ticket.number).order_by(Ticket.id))]


@pytest.fixture
def kiosk(api: Any) -> str:
    return api.device("kiosk", printer_url="dummy://")


def test_a_retry_with_the_same_key_answers_the_same_ticket_and_prints_once(api, app, db, kiosk) -> None:
    k = key()
    first = take(api, kiosk, idempotency_key=k)
    assert first.status_code == 201, first.get_json()
    again = take(api, kiosk, idempotency_key=k)
    assert again.status_code == 201, again.get_json()
    a, b = first.get_json(), again.get_json()
    assert (a["replayed"], b["replayed"]) == (False, True)
    assert (b["id"], b["code"], b["number"], b["public_token"]) == (a["id"], a["code"], a["number"], a["public_token"])
    assert b["print"] == {"ok": True, "error": None}
    assert len(app.config["printer"].slips) == 1, "the slip already came out: not printed twice"
    assert [e.name for e in app.config["publisher"].events].count("issued") == 1
    # The counter did not move: the next tap takes number 2.
    assert take(api, kiosk, idempotency_key=key()).get_json()["number"] == 2
    assert [n for _, _, n in tickets(db)] == [1, 2]


def test_a_retry_reprints_when_the_first_attempt_did_not_print(api, app, db, kiosk) -> None:
    printer = app.config["printer"]
    printer.ok, printer.error = False, "paper out"
    # Someone serves it, so there is an estimate to tell (none while nobody does, decision 034).
    assert api.call("POST", "/desks/2/open", api.user("op", ["operator"])).status_code == 200
    k = key()
    assert take(api, kiosk, idempotency_key=k).get_json()["print"] == {"ok": False, "error": "paper out"}
    printer.ok, printer.error = True, None
    again = take(api, kiosk, idempotency_key=k).get_json()
    assert again["replayed"] is True and again["print"] == {"ok": True, "error": None}
    assert len(printer.slips) == 2 and len(tickets(db)) == 1
    with db.read() as s:
        kinds = s.scalars(select(TicketEvent.kind).order_by(TicketEvent.id)).all()
    assert kinds == ["issued", "estimated", "print_failed", "printed"]  # the estimate told once


def test_without_a_key_every_request_is_a_new_ticket(api, db, kiosk) -> None:
    assert [take(api, kiosk).get_json()["number"] for _ in range(2)] == [1, 2]


def test_keys_belong_to_one_kiosk(api, db, kiosk) -> None:
    other = api.device("kiosk")
    k = key()
    a = take(api, kiosk, idempotency_key=k).get_json()
    b = take(api, other, idempotency_key=k).get_json()
    assert (a["number"], b["number"], b["replayed"]) == (1, 2, False)


def test_a_key_reused_for_another_choice_is_refused_and_changes_nothing(api, db, kiosk) -> None:
    k = key()
    assert take(api, kiosk, idempotency_key=k).status_code == 201
    before = fingerprint(db, skip=("devices",))
    for body in ({"priority": "disability"}, {"service": "appeal"}):
        r = take(api, kiosk, idempotency_key=k, **body)
        assert r.status_code == 409, r.get_json()
        problem = r.get_json()
        assert problem["code"] == "idempotency_key_reused" and "ключ" in problem["detail"]
    assert fingerprint(db, skip=("devices",)) == before


@pytest.mark.parametrize("bad", ["short", "x" * 65, "ключ-" + "a" * 20, "a b" * 8, 12345678901234567, ""])
def test_a_malformed_key_is_a_clear_422_and_changes_nothing(api, db, kiosk, bad) -> None:
    before = fingerprint(db, skip=("devices",))
    r = take(api, kiosk, idempotency_key=bad)
    assert r.status_code == 422 and r.content_type.startswith("application/problem+json"), r.get_json()
    assert fingerprint(db, skip=("devices",)) == before


def test_two_racing_requests_with_one_key_make_one_ticket(app, api, db, kiosk) -> None:
    """Both threads send the same key at once: on PostgreSQL they really overlap (the loser fails
    on the unique index and replays); on SQLite the writer lock orders them."""
    k, barrier, answers = key(), threading.Barrier(4), []

    def tap() -> None:
        client = app.test_client()
        barrier.wait()
        r = client.post("/api/v1/kiosk/tickets", json={"service": "consult", "idempotency_key": k},
                        headers={"Authorization": f"Bearer {kiosk}"})
        answers.append((r.status_code, r.get_json()))

    threads = [threading.Thread(target=tap) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert [status for status, _ in answers] == [201] * 4, answers
    assert {body["id"] for _, body in answers} == {tickets(db)[0][0]}
    assert sorted(body["replayed"] for _, body in answers) == [False, True, True, True]
    assert len(tickets(db)) == 1
    assert take(api, kiosk, idempotency_key=key()).get_json()["number"] == 2  # no number lost


def test_the_race_loser_rolls_back_and_replays(app, api, db, kiosk, monkeypatch) -> None:
    """Forces the overlap on both databases: the second request's look-up misses (as if the first
    had not committed yet), its insert then hits the unique index, and it answers the winner's ticket."""
    k = key()
    winner = take(api, kiosk, idempotency_key=k).get_json()
    real, calls = ticketing._issued_with_key, []

    def late_lookup(*args: Any) -> Any:
        calls.append(1)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(ticketing, "_issued_with_key", late_lookup)
    loser = take(api, kiosk, idempotency_key=k)
    assert loser.status_code == 201, loser.get_json()
    assert len(calls) == 2 and loser.get_json()["id"] == winner["id"] and loser.get_json()["replayed"] is True
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 1
    monkeypatch.undo()
    assert take(api, kiosk, idempotency_key=key()).get_json()["number"] == 2  # the loser's number rolled back

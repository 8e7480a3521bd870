"""Every queue command on a fake unit of work and a fake clock, without an app or a server.

The unit of work records its commits and the messages the command collected: a refused command
commits nothing and tells nobody; an accepted one collects exactly the events clients need.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, update

from reception.kernel.errors import (
    BookingRequired,
    ConcurrentChange,
    Conflict,
    DailyLimitReached,
    IllegalTransition,
    NotFound,
    OfficeClosed,
    OutcomeRequired,
    ValidationFailed,
)
from reception.kernel.identity import Actor
from reception.leadership.models import Appointment
from reception.offices.models import Office, Service
from reception.queue import commands as queue
from reception.queue.models import Ticket, TicketCounter, TicketEvent
from tests.fakes import (
    add_user,
    build_office,
    make_clock,
    memory_database,
    refused,
    run,
    services,
)


@pytest.fixture
def db():
    database = memory_database()
    build_office(database)
    yield database
    database.dispose()


@pytest.fixture
def clock():
    return make_clock()


@pytest.fixture
def op(db, clock) -> Actor:
    uid = add_user(db, clock, "op", ["operator"], ["T1"])
    return Actor(user_id=uid, username="op", roles=frozenset({"operator"}), office_ids=frozenset({1}))


def issue(db: Any, clock: Any, service: str = "consult", **kw: Any) -> dict[str, Any]:
    result, _ = run(db, clock, queue.issue_ticket, office_code="T1", service_code=service, **kw)
    return result.ticket


def count(db: Any, model: Any) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


# --- issuing -------------------------------------------------------------------------------------


def test_issue_numbers_per_service_and_collects_one_event(db, clock) -> None:
    result, events = run(db, clock, queue.issue_ticket, office_code="T1", service_code="consult")
    assert result.ticket["code"] == "К-001" and result.ticket["status"] == "waiting"
    assert [(e.name, e.code, e.public_token) for e in events] == [
        ("issued", "К-001", result.ticket["public_token"])]
    assert issue(db, clock)["number"] == 2 and issue(db, clock, "appeal")["code"] == "С-001"


def test_refused_issue_leaves_no_number_behind(db, clock) -> None:
    with db.write() as s:
        s.execute(update(Service).values(daily_limit=1))
    issue(db, clock)
    refused(db, clock, DailyLimitReached, queue.issue_ticket, office_code="T1", service_code="consult")
    with db.read() as s:
        assert s.scalar(select(TicketCounter.last_number).where(TicketCounter.service_id == 1)) == 1
    refused(db, clock, ValidationFailed, queue.issue_ticket, office_code="T1", service_code="consult", lang="de")
    refused(db, clock, ValidationFailed, queue.issue_ticket, office_code="T1", service_code="appeal",
            priority="no-such-category")
    refused(db, clock, NotFound, queue.issue_ticket, office_code="T1", service_code="nope")
    assert count(db, Ticket) == 1


def test_closed_office_refuses_walk_ins_but_not_a_booked_check_in(db, clock) -> None:
    with db.write() as s:
        s.execute(update(Office).values(opening_hours={"1": [["09:00", "18:00"]]}))  # Mondays only
    refused(db, clock, OfficeClosed, queue.issue_ticket, office_code="T1", service_code="consult")
    assert issue(db, clock, walk_in=False)["code"] == "К-001"


def test_leadership_service_takes_walk_ins_only_when_configured(db, clock) -> None:
    from reception.offices.setup import create_service
    from tests.fakes import ROOT

    create_service(db, ROOT, "T1", code="leadership", prefix="П", name_uk="Прийом", name_en="Reception",
                   kind="leadership")
    error = refused(db, clock, BookingRequired, queue.issue_ticket, office_code="T1", service_code="leadership")
    assert error.status == 409
    with db.write() as s:
        s.execute(update(Service).where(Service.code == "leadership").values(walk_ins=True))
    assert issue(db, clock, "leadership")["code"] == "П-001"


# --- desks ---------------------------------------------------------------------------------------


def test_desk_open_pause_resume_close_each_tell_the_office(db, clock, op) -> None:
    names = []
    for command, args in ((queue.open_desk, ()), (queue.pause_desk, ("Обід",)), (queue.resume_desk, ()),
                          (queue.close_desk, ())):
        view, events = run(db, clock, command, op, "1", *args)
        names += [(e.name, e.status) for e in events]
    assert names == [("desk_opened", "open"), ("desk_paused", "paused"), ("desk_resumed", "open"),
                     ("desk_closed", "closed")]
    assert view["status"] == "closed"
    refused(db, clock, Conflict, queue.pause_desk, op, "1", "Обід")  # closed desks do not pause
    refused(db, clock, ValidationFailed, queue.pause_desk, op, "1", "  ")


def test_closing_is_refused_while_a_visitor_is_at_the_desk(db, clock, op) -> None:
    issue(db, clock)
    run(db, clock, queue.open_desk, op, "1")
    run(db, clock, queue.call_next, op, "1")
    refused(db, clock, Conflict, queue.close_desk, op, "1")


# --- calling -------------------------------------------------------------------------------------


def test_call_next_claims_in_policy_order_and_says_why(db, clock, op) -> None:
    first = issue(db, clock)
    clock.advance(minutes=1)
    priority = issue(db, clock, priority="disability")
    run(db, clock, queue.open_desk, op, "1")
    called, events = run(db, clock, queue.call_next, op, "1")
    assert called.ticket["id"] == priority["id"] and called.ticket["call_rule"] == "priority"
    assert [(e.name, e.desk.desk, e.desk.zone) for e in events] == [("called", "1", "main")]
    clock.advance(minutes=5)
    called, events = run(db, clock, queue.call_next, op, "1")
    assert called.ticket["id"] == first["id"]
    assert [e.name for e in events] == ["finished", "called"]  # the visit Next ended, then the call
    assert events[0].public_token == priority["public_token"]
    clock.advance(minutes=5)
    nobody, events = run(db, clock, queue.call_next, op, "1")
    assert nobody.ticket is None and [e.name for e in events] == ["finished"]  # ended, nobody to call


def test_next_reads_the_whole_queue_when_other_desks_took_every_head(db, clock, op, monkeypatch) -> None:
    """Call-next ranks only the first CALL_HEADS of each line; were all of them claimed by other
    desks between the read and the claim, it ranks everyone else rather than say nobody waits."""
    from reception.queue.reads import CALL_HEADS

    tickets = []
    for _ in range(CALL_HEADS + 3):
        tickets.append(issue(db, clock, service="appeal"))  # one line: desk 1 is its only desk
        clock.advance(seconds=30)
    taken = {t["id"] for t in tickets[:CALL_HEADS]}
    real_claim = queue._claim

    def claim(session: Any, ticket_id: int, *args: Any, **kw: Any) -> Any:  # the others were faster for these
        return None if ticket_id in taken else real_claim(session, ticket_id, *args, **kw)

    monkeypatch.setattr(queue, "_claim", claim)
    run(db, clock, queue.open_desk, op, "1")
    called, _ = run(db, clock, queue.call_next, op, "1")
    assert called.ticket["id"] == tickets[CALL_HEADS]["id"]  # the oldest nobody else had taken


def test_a_second_next_within_the_window_answers_the_same_visitor(db, clock, op) -> None:
    issue(db, clock)
    issue(db, clock)
    run(db, clock, queue.open_desk, op, "1")
    first, _ = run(db, clock, queue.call_next, op, "1")
    clock.advance(seconds=2)
    again, events = run(db, clock, queue.call_next, op, "1")
    assert again.ticket["id"] == first.ticket["id"] and events == []


def test_an_office_may_require_an_outcome_before_next(db, clock, op) -> None:
    with db.write() as s:
        s.execute(update(Office).values(settings={"outcome_required": True}))
    issue(db, clock)
    issue(db, clock)
    run(db, clock, queue.open_desk, op, "1")
    called, _ = run(db, clock, queue.call_next, op, "1")
    clock.advance(minutes=3)
    error = refused(db, clock, OutcomeRequired, queue.call_next, op, "1")
    assert error.params["code"] == called.ticket["code"] and error.params["status"] == "called"
    run(db, clock, queue.no_show, op, called.ticket["id"])
    assert run(db, clock, queue.call_next, op, "1")[0].ticket["code"] == "К-002"


def test_next_that_only_ends_the_visit_moves_the_office_version(db, clock, op) -> None:
    """Nobody else waits: Next still finishes the visit at the desk, and the office's version moves;
    the event says so with that version and the counts, so the wall displays take the visitor off
    (an event with the old version would be dropped as already seen)."""
    issue(db, clock)
    run(db, clock, queue.open_desk, op, "1")
    current = run(db, clock, queue.call_next, op, "1")[0].ticket
    clock.advance(minutes=3)
    with db.read() as s:
        before = s.scalar(select(Office.version))
    result, events = run(db, clock, queue.call_next, op, "1")
    assert result.ticket is None and [e.name for e in events] == ["finished"]
    [finished] = events
    assert finished.version == before + 1 and finished.waiting is not None
    with db.read() as s:
        assert s.get(Ticket, current["id"]).status == "done"
        assert s.scalar(select(Office.version)) == before + 1


def test_next_refuses_when_the_visit_it_would_end_changed_meanwhile(db, clock, op, monkeypatch) -> None:
    """Another request (a manager, another tab) changed the desk's visitor after Next read it: a
    409, and neither that visit nor the next one is touched."""
    issue(db, clock)
    waiting = issue(db, clock)
    run(db, clock, queue.open_desk, op, "1")
    current = run(db, clock, queue.call_next, op, "1")[0].ticket
    clock.advance(minutes=3)
    real_candidates = queue.callable_candidates

    def candidates_after_a_change(session: Any, *args: Any, **kw: Any) -> Any:  # between the read and the end of the visit
        session.connection().execute(update(Ticket).where(Ticket.id == current["id"])
                                     .values(version_id=Ticket.version_id + 1))
        return real_candidates(session, *args, **kw)

    monkeypatch.setattr(queue, "callable_candidates", candidates_after_a_change)
    refused(db, clock, ConcurrentChange, queue.call_next, op, "1")
    with db.read() as s:
        assert s.get(Ticket, current["id"]).status == "called"
        assert s.get(Ticket, waiting["id"]).status == "waiting"


def test_paused_or_foreign_desk_cannot_call(db, clock, op) -> None:
    issue(db, clock)
    refused(db, clock, Conflict, queue.call_next, op, "1")  # not open
    run(db, clock, queue.open_desk, op, "1")
    run(db, clock, queue.pause_desk, op, "1", "Перерва")
    refused(db, clock, Conflict, queue.call_next, op, "1")
    refused(db, clock, NotFound, queue.call_next, op, "99")


def test_call_specific_needs_the_setting_and_a_reason(db, clock, op) -> None:
    issue(db, clock)
    wanted = issue(db, clock)
    run(db, clock, queue.open_desk, op, "1")
    refused(db, clock, Conflict, queue.call_specific, op, "1", wanted["id"], "Повернувся по довідку")
    with db.write() as s:
        s.execute(update(Office).values(settings={"allow_call_specific": True}))
    refused(db, clock, ValidationFailed, queue.call_specific, op, "1", wanted["id"], " ")
    called, events = run(db, clock, queue.call_specific, op, "1", wanted["id"], "Повернувся по довідку")
    assert called.ticket["call_rule"] == "specific" and [e.name for e in events] == ["called"]


# --- transitions ---------------------------------------------------------------------------------


def _called(db: Any, clock: Any, op: Actor) -> dict[str, Any]:
    issue(db, clock)
    run(db, clock, queue.open_desk, op, "1")
    return run(db, clock, queue.call_next, op, "1")[0].ticket


def test_recall_start_finish(db, clock, op) -> None:
    ticket = _called(db, clock, op)
    recalled, events = run(db, clock, queue.recall, op, ticket["id"])
    assert recalled.ticket["recall_count"] == 1 and [e.name for e in events] == ["recalled"]
    started, _ = run(db, clock, queue.start, op, ticket["id"])
    assert started.ticket["status"] == "serving"
    refused(db, clock, ValidationFailed, queue.finish, op, ticket["id"], "no-such-outcome")
    done, events = run(db, clock, queue.finish, op, ticket["id"], "consulted", "Роз'яснено")
    assert done.ticket["status"] == "done" and done.ticket["outcome"] == "consulted"
    assert [e.name for e in events] == ["finished"]
    refused(db, clock, IllegalTransition, queue.recall, op, ticket["id"])


def test_no_show_waits_for_the_configured_recalls_and_reactivation_has_a_window(db, clock, op) -> None:
    with db.write() as s:
        s.execute(update(Office).values(settings={"recalls_before_no_show": 1,
                                                              "reactivation_window_min": 30}))
    ticket = _called(db, clock, op)
    error = refused(db, clock, Conflict, queue.no_show, op, ticket["id"])
    assert error.key == "error.recalls_needed"
    run(db, clock, queue.recall, op, ticket["id"])
    assert run(db, clock, queue.no_show, op, ticket["id"])[0].ticket["status"] == "no_show"
    clock.advance(minutes=10)
    back, events = run(db, clock, queue.reactivate, op, ticket["id"])
    assert back.ticket["status"] == "waiting" and [e.name for e in events] == ["reactivated"]
    run(db, clock, queue.call_next, op, "1")
    run(db, clock, queue.recall, op, ticket["id"])
    run(db, clock, queue.no_show, op, ticket["id"])
    clock.advance(minutes=31)
    refused(db, clock, Conflict, queue.reactivate, op, ticket["id"])


def test_cancel_and_transfer_keep_the_code_and_the_phone_page(db, clock, op) -> None:
    ticket = _called(db, clock, op)
    refused(db, clock, ValidationFailed, queue.transfer, op, ticket["id"])
    refused(db, clock, NotFound, queue.transfer, op, ticket["id"], desk_code="99")
    moved, events = run(db, clock, queue.transfer, op, ticket["id"], service_code="appeal", note="до юриста")
    new = moved.ticket
    assert new["code"] == ticket["code"] and new["service"] == "appeal" and new["status"] == "waiting"
    assert new["public_token"] == ticket["public_token"] and new["id"] != ticket["id"]
    assert [(e.name, e.public_token) for e in events] == [("transferred", ticket["public_token"])]
    cancelled, events = run(db, clock, queue.cancel, op, new["id"], "пішов")
    assert cancelled.ticket["status"] == "cancelled" and [e.name for e in events] == ["cancelled"]
    with db.read() as s:
        kinds = list(s.scalars(select(TicketEvent.kind).order_by(TicketEvent.id)))
    assert kinds == ["issued", "called", "transferred", "transferred", "cancelled"]


# --- check-in: one transaction -------------------------------------------------------------------


def test_check_in_refused_by_issuing_leaves_the_appointment_booked(db, clock) -> None:
    from datetime import date

    from reception.arrival import checkin
    from reception.leadership import booking
    from reception.leadership.models import ReceptionSession
    from tests.web.leadership.builders import MANAGER, add_leader, add_leadership, add_rule, set_settings

    add_leadership(db)
    set_settings(db, booking_cutoff_working_days=0)
    leader = add_leader(db, clock)
    add_rule(db, clock, leader, weekday=2, start="11:00", end="13:00", slot_min=30, valid_from=date(2026, 11, 1))
    with db.read() as s:
        rs = s.scalars(select(ReceptionSession).order_by(ReceptionSession.starts_at)).first()
        assert rs is not None
        session_id, slot = rs.id, rs.starts_at
    made = services(db, clock).value(booking.book, MANAGER, session_id, surname="Коваль", name="Ірина", topic="Спадщина", slot=slot)
    clock.set(slot)
    with db.write() as s:  # the leadership service has no tickets left today
        s.execute(update(Service).where(Service.code == "leadership").values(daily_limit=0))
    kiosk = Actor(device_id=1, device_kind="kiosk", office_ids=frozenset({1}))
    refused(db, clock, DailyLimitReached, checkin.check_in, actor=kiosk, booking_code=made["booking_code"])
    with db.read() as s:
        appt = s.get(Appointment, made["id"])
        assert appt is not None and appt.status == "booked" and appt.ticket_id is None
    with db.write() as s:
        s.execute(update(Service).where(Service.code == "leadership").values(daily_limit=None))
    result, events = run(db, clock, checkin.check_in, actor=kiosk, booking_code=made["booking_code"])
    assert result.ticket["priority"] == "appointment" and [e.name for e in events] == ["issued"]
    with db.read() as s:
        appt = s.get(Appointment, made["id"])
        assert appt is not None and appt.status == "checked_in" and appt.ticket_id == result.ticket_id


def test_call_next_asks_the_callers_filter_only_when_appointments_wait(db, clock, op) -> None:
    """The reception-room rule (decision 031) reaches the queue as a value: ``keep`` narrows whom the
    caller may call; a desk with only walk-ins waiting never asks it."""
    asked: list[list[int]] = []

    def nobody_booked(session: Any, desk: Any, user_id: int | None, waiting: list[Any]) -> list[Any]:
        asked.append([t.id for t in waiting])
        return [t for t in waiting if t.priority != "appointment"]

    walk_in = issue(db, clock)
    run(db, clock, queue.open_desk, op, "1")
    assert run(db, clock, queue.call_next, op, "1", keep=nobody_booked)[0].ticket["id"] == walk_in["id"]
    assert asked == []  # no appointment waited: not asked
    clock.advance(minutes=5)
    booked = issue(db, clock, priority="appointment", walk_in=False, appointment_at=clock.now())
    assert run(db, clock, queue.call_next, op, "1", keep=nobody_booked)[0].ticket is None
    assert asked and asked[0] == [booked["id"]]
    assert run(db, clock, queue.call_next, op, "1")[0].ticket["id"] == booked["id"]  # without a filter: called


def test_the_typed_events_go_out_in_the_wire_shape_displays_and_desks_know(db, clock, op) -> None:
    from reception.bootstrap import wire

    issued = issue(db, clock)
    _, [opened] = run(db, clock, queue.open_desk, op, "1")
    sent = wire(opened)
    assert (sent.name, sent.zone, sent.desk_code) == ("desk_opened", "main", None)
    assert sent.payload == {"version": opened.version, "desk": "1", "status": "open", "pause_reason": None}
    _, [called] = run(db, clock, queue.call_next, op, "1")
    sent = wire(called)
    assert (sent.name, sent.office_code, sent.zone, sent.desk_code, sent.public_token) == (
        "called", "T1", "main", "1", issued["public_token"])
    assert list(sent.payload.items()) == [
        ("version", called.version), ("code", "К-001"), ("status", "called"), ("service", "consult"),
        ("desk", "1"), ("desk_name_uk", "Вікно 1"), ("desk_name_en", "Window 1"), ("zone", "main"),
        ("at", "2026-11-24T10:00:00+02:00"), ("waiting", {"consult": 0, "appeal": 0})]
    _, [issued_again] = run(db, clock, queue.issue_ticket, office_code="T1", service_code="appeal")
    assert wire(issued_again).payload == {"version": issued_again.version, "code": "С-001", "status": "waiting",
                                          "service": "appeal", "waiting": {"consult": 0, "appeal": 1}}

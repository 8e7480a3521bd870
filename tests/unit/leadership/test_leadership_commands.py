"""The leadership commands (booking, records, schedule, settings) on a fake unit of work and a fake clock.

Like the queue's commands (``tests/unit/test_queue_commands.py``): no app, no server, an in-memory
database.  A command never commits by itself — the unit of work counts the commits — and a
refused one leaves nothing behind: no place claimed, no record numbered, no audit entry.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from reception.audit.models import AuditLog
from reception.bootstrap import bootstrap
from reception.kernel.errors import (
    ConcurrentChange,
    Conflict,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from reception.kernel.identity import Actor
from reception.leadership import booking, records, schedule
from reception.leadership.models import Appointment, ReceptionRecord, ReceptionSession
from reception.leadership.sessions import materialise_office
from reception.leadership.today import update_settings
from reception.offices.models import Office
from tests.fakes import FakeUnitOfWork, build_office, make_clock, memory_database, refused, run
from tests.web.leadership.builders import LEADER, MANAGER, add_leadership, set_settings

CALL_CENTRE = Actor(user_id=None, roles=frozenset({"call_centre"}), office_ids=frozenset({1}))
VISITOR: dict[str, Any] = {"surname": "Коваль", "name": "Ірина", "topic": "Спадщина"}
RECORD = {"kind": "complaint", "surname": "Шевченко", "name": "Тарас", "questions": ["Невиконання рішення суду"],
          "received_by_name": "Андрій Бондаренко"}


@pytest.fixture
def db():
    database = memory_database()
    build_office(database)
    add_leadership(database)
    set_settings(database, booking_cutoff_working_days=0)  # today's sessions may still be booked
    yield database
    database.dispose()


@pytest.fixture
def clock():
    return make_clock()  # Tuesday 24 November 2026, 10:00 in Kyiv


@pytest.fixture
def leader(db, clock) -> int:
    made, events = run(db, clock, schedule.create_leader, MANAGER, office="T1", **LEADER)
    assert events == []
    return int(made["id"])


@pytest.fixture
def sessions(db, clock, leader) -> list[int]:
    """Tuesday sessions 11:00–13:00, four 30-minute slots each; today's first."""
    rule, _ = run(db, clock, schedule.add_rule, MANAGER, leader, desk="412", weekday=2, start="11:00", end="13:00",
                  slot_min=30, valid_from=date(2026, 11, 1))
    assert rule["sessions_created"] > 1
    with db.read() as s:
        return list(s.scalars(select(ReceptionSession.id).order_by(ReceptionSession.starts_at)))


def count(db: Any, model: Any, *where: Any) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def booked(db: Any, session_id: int) -> int:
    with db.read() as s:
        row = s.get(ReceptionSession, session_id)
        assert row is not None
        return row.booked


def audited(db: Any, action: str) -> int:
    return count(db, AuditLog, AuditLog.action == action)


# --- the service layer frames them -----------------------------------------------------------------


def test_services_commit_a_leadership_command_once(db, clock, sessions) -> None:
    uows: list[FakeUnitOfWork] = []

    def factory() -> FakeUnitOfWork:
        uows.append(FakeUnitOfWork(db))
        return uows[-1]

    services = bootstrap(db, clock, uow_factory=factory).services
    made = services.value(booking.book, CALL_CENTRE, sessions[0], **VISITOR)
    assert [u.commits for u in uows] == [1]
    assert made["status"] == "booked" and booked(db, sessions[0]) == 1


# --- booking -------------------------------------------------------------------------------------


def test_book_claims_a_place_and_audits_in_the_callers_transaction(db, clock, sessions) -> None:
    uow = FakeUnitOfWork(db)
    with uow:
        made = booking.book(uow, clock, CALL_CENTRE, sessions[0], **VISITOR)
        assert uow.commits == 0  # the command never commits: the caller does
    assert booked(db, sessions[0]) == 0 and count(db, Appointment) == 0  # left without commit: rolled back
    made, events = run(db, clock, booking.book, CALL_CENTRE, sessions[0], **VISITOR)
    assert events == []  # nobody is told live about a booking
    assert (made["slot_time"], made["status"], made["visitor"]["surname"]) == ("11:00", "booked", "Коваль")
    assert booked(db, sessions[0]) == 1 and audited(db, "appointment.book") == 1


def test_a_refused_booking_claims_nothing(db, clock, sessions) -> None:
    error = refused(db, clock, ValidationFailed, booking.book, CALL_CENTRE, sessions[0], category="nope", **VISITOR)
    assert error.key == "error.unknown_priority"
    slot = datetime.fromisoformat("2026-11-24T11:30:00+02:00")
    run(db, clock, booking.book, CALL_CENTRE, sessions[0], slot=slot, **VISITOR)
    taken = refused(db, clock, Conflict, booking.book, CALL_CENTRE, sessions[0], slot=slot, **VISITOR)
    assert taken.key == "error.slot_taken"
    refused(db, clock, NotFound, booking.book, CALL_CENTRE, 999, **VISITOR)
    auditor = Actor(user_id=None, roles=frozenset({"auditor"}), office_ids=frozenset({1}))
    refused(db, clock, Forbidden, booking.book, auditor, sessions[0], **VISITOR)
    assert booked(db, sessions[0]) == 1 and count(db, Appointment) == 1 and audited(db, "appointment.book") == 1


def test_a_full_session_refuses_the_next_booking(db, clock, sessions) -> None:
    for _ in range(4):
        run(db, clock, booking.book, CALL_CENTRE, sessions[0], **VISITOR)
    full = refused(db, clock, Conflict, booking.book, CALL_CENTRE, sessions[0], **VISITOR)
    assert full.key == "error.session_full" and booked(db, sessions[0]) == 4


def test_cancel_frees_the_place_once(db, clock, sessions) -> None:
    made, _ = run(db, clock, booking.book, CALL_CENTRE, sessions[0], **VISITOR)
    cancelled, events = run(db, clock, booking.cancel, CALL_CENTRE, made["id"], "захворіла")
    # the visitor's channel hears it (decision 038); nothing is published live
    assert (cancelled["status"], [type(e).__name__ for e in events], booked(db, sessions[0])) == (
        "cancelled", ["AppointmentChanged"], 0)
    again = refused(db, clock, Conflict, booking.cancel, CALL_CENTRE, made["id"])
    assert again.key == "error.appointment_not_active"
    assert booked(db, sessions[0]) == 0 and audited(db, "appointment.cancel") == 1


def test_rebook_moves_the_place_and_keeps_the_code(db, clock, sessions) -> None:
    made, _ = run(db, clock, booking.book, CALL_CENTRE, sessions[0], **VISITOR)
    moved, _ = run(db, clock, booking.rebook, CALL_CENTRE, made["id"], sessions[1])
    assert moved["session"] == sessions[1] and moved["booking_code"] == made["booking_code"]
    assert (booked(db, sessions[0]), booked(db, sessions[1])) == (0, 1)
    refused(db, clock, NotFound, booking.rebook, CALL_CENTRE, made["id"], 999)
    assert (booked(db, sessions[0]), booked(db, sessions[1])) == (0, 1) and audited(db, "appointment.rebook") == 1


# --- records ---------------------------------------------------------------------------------------


def test_create_record_numbers_it_and_audits(db, clock, leader) -> None:
    rec, events = run(db, clock, records.create_record, MANAGER, "T1", RECORD | {"leader_id": leader})
    assert events == [] and rec["reg_date"] == "2026-11-24" and rec["surname"] == "Шевченко"
    assert audited(db, "record.create") == 1
    refused(db, clock, ValidationFailed, records.create_record, MANAGER, "T1", RECORD | {"questions": []})
    refused(db, clock, NotFound, records.create_record, MANAGER, "T1", RECORD | {"leader_id": 999})
    assert count(db, ReceptionRecord) == 1 and audited(db, "record.create") == 1


def test_reading_and_listing_records_are_logged(db, clock) -> None:
    rec, _ = run(db, clock, records.create_record, MANAGER, "T1", RECORD)
    seen, _ = run(db, clock, records.get_record, MANAGER, rec["id"])
    assert seen["reg_index"] == rec["reg_index"] and audited(db, "record.view") == 1
    found, _ = run(db, clock, records.search_records, MANAGER, office="T1", q="Шевч")
    assert [r["id"] for r in found] == [rec["id"]] and audited(db, "record.list") == 1
    refused(db, clock, NotFound, records.get_record, MANAGER, 999)
    refused(db, clock, ValidationFailed, records.search_records, MANAGER, kind="nonsense")
    assert audited(db, "record.view") == 1 and audited(db, "record.list") == 1


def test_update_record_refuses_a_stale_version_as_a_whole(db, clock) -> None:
    rec, _ = run(db, clock, records.create_record, MANAGER, "T1", RECORD)
    changed, _ = run(db, clock, records.update_record, MANAGER, rec["id"], {"executor": "Департамент ДВС"},
                     rec["version"])
    assert changed["executor"] == "Департамент ДВС" and changed["version"] == rec["version"] + 1
    stale = refused(db, clock, ConcurrentChange, records.update_record, MANAGER, rec["id"], {"executor": "Інший"},
                    rec["version"])
    assert stale.key == "error.record_changed"
    with db.read() as s:
        row = s.get(ReceptionRecord, rec["id"])
        assert row is not None and row.executor == "Департамент ДВС"
    assert audited(db, "record.update") == 1


def test_the_card_is_logged_after_it_rendered(db, clock) -> None:
    rec, _ = run(db, clock, records.create_record, MANAGER, "T1", RECORD)
    pdf = records.card_pdf(bootstrap(db, clock, uow_factory=lambda: FakeUnitOfWork(db)).services, MANAGER,
                           rec["id"])
    assert pdf.startswith(b"%PDF") and audited(db, "record.print") == 1


# --- schedule and settings -------------------------------------------------------------------------


def test_add_rule_materialises_and_again_is_idempotent(db, clock, leader, sessions) -> None:
    created, events = run(db, clock, materialise_office, 1)
    assert (created, events) == (0, [])
    refused(db, clock, NotFound, schedule.add_rule, MANAGER, leader, desk="999", weekday=2, start="11:00",
            end="13:00", slot_min=30, valid_from=date(2026, 11, 1))
    refused(db, clock, ValidationFailed, schedule.add_rule, MANAGER, leader, desk="412", weekday=9, start="11:00",
            end="13:00", slot_min=30, valid_from=date(2026, 11, 1))
    assert count(db, ReceptionSession) == len(sessions) and audited(db, "rule.create") == 1


def test_cancelling_a_date_cancels_its_bookings(db, clock, sessions) -> None:
    made, _ = run(db, clock, booking.book, CALL_CENTRE, sessions[1], phone="0501112233", **VISITOR)
    with db.read() as s:
        rs = s.get(ReceptionSession, sessions[1])
        assert rs is not None
        rule_id, day = rs.rule_id, rs.day
    result, events = run(db, clock, schedule.add_exception, MANAGER, rule_id, rule_date=day, action="cancel",
                         reason="відрядження")
    assert events == [] and [a["id"] for a in result["affected_appointments"]] == [made["id"]]
    twice = refused(db, clock, Conflict, schedule.add_exception, MANAGER, rule_id, rule_date=day, action="cancel")
    assert twice.key == "error.exception_exists"
    with db.read() as s:
        appt = s.get(Appointment, made["id"])
        assert appt is not None and appt.status == "cancelled"


def test_end_rule_and_remote_sessions(db, clock, sessions) -> None:
    with db.read() as s:
        rs = s.get(ReceptionSession, sessions[0])
        assert rs is not None
        rule_id = rs.rule_id
    ended, _ = run(db, clock, schedule.end_rule, MANAGER, rule_id)
    assert ended["is_active"] is False and count(db, ReceptionSession) == len(sessions)  # published ones stay
    refused(db, clock, ValidationFailed, schedule.set_remote, MANAGER, sessions[0], remote=True, video_url=None)
    view, _ = run(db, clock, schedule.set_remote, MANAGER, sessions[0], remote=True,
                  video_url="https://meet.example.ua/412")
    assert view["remote"] is True and view["video_url"] == "https://meet.example.ua/412"


def test_settings_are_checked_as_a_whole(db, clock) -> None:
    pattern = {"record_index_pattern": "{seq}/{yy}"}
    refused(db, clock, ValidationFailed, update_settings, MANAGER, "T1", {"checkin_early_min": "1"} | pattern)
    refused(db, clock, ValidationFailed, update_settings, MANAGER, "T1", {"record_index_pattern": "{yy}"})
    run(db, clock, update_settings, MANAGER, "T1", {"checkin_early_min": "45"} | pattern)
    with db.read() as s:
        office = s.scalar(select(Office).where(Office.code == "T1"))
        assert office is not None and office.settings["checkin_early_min"] == 45
        assert office.settings["record_index_pattern"] == "{seq}/{yy}"
    assert audited(db, "office.leadership_settings") == 1


# --- personal data and the storage term ------------------------------------------------------------


def test_erasure_on_request_is_one_unit_of_work(db, clock) -> None:
    from reception.leadership import personal_data

    rec, _ = run(db, clock, records.create_record, MANAGER, "T1", RECORD | {"phone": "0441234567"})
    subject = personal_data.Subject.parse("+38 044 123-45-67", None)
    found, _ = run(db, clock, personal_data.find_person, MANAGER, subject)
    assert [r["id"] for r in found["records"]] == [rec["id"]] and audited(db, "record.view") == 1
    kept = refused(db, clock, Conflict, personal_data.erase_person, MANAGER, subject)  # still on control
    assert kept.key == "error.erasure_refused"
    nobody = personal_data.Subject.parse("0509999999", None)
    refused(db, clock, NotFound, personal_data.export_person, MANAGER, nobody)
    assert audited(db, "record.export") == 0 and audited(db, "record.erase") == 0


def test_the_storage_term_run_is_a_command_and_its_dry_run_a_read(db, clock) -> None:
    from reception.leadership import retention

    rec, _ = run(db, clock, records.create_record, MANAGER, "T1", RECORD)
    run(db, clock, records.update_record, MANAGER, rec["id"], {"removed_from_control": date(2026, 11, 24)})
    clock.set(datetime.fromisoformat("2032-01-01T00:00:00+02:00"))
    operator = Actor(user_id=None, roles=frozenset({"operator"}), office_ids=frozenset({1}))
    refused(db, clock, Forbidden, retention.run_retention, operator)
    assert retention.preview_retention(db, clock) == retention.RetentionOutcome(1, 0)
    assert audited(db, "record.anonymise") == 0  # counting changed nothing
    outcome, _events = run(db, clock, retention.run_retention)
    assert outcome == retention.RetentionOutcome(1, 0)
    # The term's bound, as the slices that keep data about the same visits read it (feedback comments).
    with db.read() as s:
        assert [(o.code, before) for o, before in retention.records_terms(s, clock.now(), None, None)] \
            == [("T1", date(2027, 1, 1))]
    assert audited(db, "record.anonymise") == 1 and run(db, clock, retention.run_retention)[0].records == 0

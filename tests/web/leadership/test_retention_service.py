"""Anonymisation after the storage term: the service, its audit trail, the record page, the card and the CLI.

The clock starts on Tuesday 24 November 2026; records removed from control in 2026 are due on
1 January 2032 (office-local, Kyiv is UTC+2 then) with the default five-year term.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from sqlalchemy import select

from reception.audit.models import AuditLog
from reception.bootstrap import bootstrap
from reception.kernel.errors import Conflict, Forbidden, ValidationFailed
from reception.kernel.identity import Actor
from reception.leadership import booking, records, retention
from reception.leadership.models import Appointment, ReceptionRecord
from reception.ops import cli
from tests.fakes import CSRF_TOKEN, services
from tests.web.leadership.builders import MANAGER, add_leader, add_leadership, add_rule, set_settings
from tests.web.leadership.test_leadership_pages import sign_in

LAST_DAY_OF_TERM = datetime(2031, 12, 31, 21, 59, tzinfo=UTC)  # 23:59 on 31 Dec 2031 in Kyiv
FIRST_DAY_AFTER = datetime(2031, 12, 31, 22, 0, tzinfo=UTC)  # 00:00 on 1 Jan 2032 in Kyiv
VISITOR = {"surname": "Шевченко", "name": "Тарас", "patronymic": "Григорович", "address": "м. Київ, вул. Хрещатик, 1",
           "phone": "+380441234567", "email": "taras@example.ua"}
SECRETS = ("Шевченко", "Тарас", "Григорович", "Хрещатик", "+380441234567", "taras@example.ua",
           "Петренко", "+380501234567")
STATS = ("reg_index", "reg_date", "reception_date", "kind", "category", "social_status", "authorship", "is_repeat",
         "questions", "resolution", "executor", "due_date", "result", "answer_method", "removed_from_control",
         "received_by_name")


def _record(db, clock, leader: int, removed: date | None = None, **extra: Any) -> dict[str, Any]:
    fields = VISITOR | {"kind": "complaint", "leader_id": leader, "social_status": "пенсіонер",
                        "category": "war_disability", "questions": ["Невиконання рішення суду"],
                        "executor": "Департамент ДВС", "result": "Роз'яснено", "answer_method": "letter"} | extra
    rec = services(db, clock).value(records.create_record, MANAGER, "T1", fields)
    if removed:
        rec = services(db, clock).value(records.update_record, MANAGER, rec["id"], {"removed_from_control": removed})
    return rec


def _book(db, clock, session_id: int, topic: str = "Аліменти") -> int:
    appt = services(db, clock).value(booking.book, MANAGER, session_id, surname="Петренко", name="Іван", patronymic="Олексійович",
                        phone="+380501234567", topic=topic, category="war_disability")
    return int(appt["id"])


@pytest.fixture
def world(db, clock, office):
    """Three records (closed in 2026, on control, closed in 2027), an anonymous one, three appointments."""
    add_leadership(db)
    set_settings(db, booking_cutoff_working_days=0)
    leader = add_leader(db, clock)
    add_rule(db, clock, leader, weekday=2, start="10:00", end="12:00", slot_min=15, valid_from=date(2026, 11, 1))
    from reception.leadership.models import ReceptionSession

    with db.read() as s:
        dec1, dec8 = (s.scalar(select(ReceptionSession.id).where(ReceptionSession.day == d))
                      for d in (date(2026, 12, 1), date(2026, 12, 8)))
    a_closed, a_alone, a_open = _book(db, clock, dec1), _book(db, clock, dec1), _book(db, clock, dec8)
    return {
        "closed": _record(db, clock, leader, date(2026, 12, 15), appointment_id=a_closed)["id"],
        "open": _record(db, clock, leader, None, appointment_id=a_open)["id"],
        "later": _record(db, clock, leader, date(2027, 1, 10))["id"],
        "anonymous": _record(db, clock, leader, date(2026, 12, 1), authorship="anonymous", surname="", name="",
                             patronymic="", address="", phone="", email="")["id"],
        "a_closed": a_closed, "a_alone": a_alone, "a_open": a_open,
    }


def _row(db, model, row_id: int):
    with db.read() as s:
        row = s.get(model, row_id)
        s.expunge(row)
        return row


def _audit(db, action: str) -> list[AuditLog]:
    with db.read() as s:
        rows = list(s.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))
        for r in rows:
            s.expunge(r)
        return rows


def test_nothing_is_due_on_the_last_day_of_the_term(db, clock, world) -> None:
    clock.set(LAST_DAY_OF_TERM)
    assert services(db, clock).value(retention.run_retention) == retention.RetentionOutcome(0, 0)
    assert _row(db, ReceptionRecord, world["closed"]).surname == "Шевченко"


def test_personal_data_go_statistics_stay_audit_written_once(db, clock, world) -> None:
    before = {k: services(db, clock).value(records.get_record, MANAGER, world[k]) for k in ("closed", "open", "later")}
    clock.set(FIRST_DAY_AFTER)
    # A dry run counts and changes nothing.
    assert retention.preview_retention(db, clock) == retention.RetentionOutcome(2, 2)
    assert _row(db, ReceptionRecord, world["closed"]).anonymised_at is None and not _audit(db, "record.anonymise")

    assert services(db, clock).value(retention.anonymise_due_records) == 2  # "closed" and "anonymous"
    closed = _row(db, ReceptionRecord, world["closed"])
    assert all(getattr(closed, f) == "" for f in retention.RECORD_PERSONAL)
    assert closed.anonymised_at == FIRST_DAY_AFTER
    after = services(db, clock).value(records.get_record, MANAGER, world["closed"])
    assert {k: after[k] for k in STATS} == {k: before["closed"][k] for k in STATS}
    assert after["anonymised_on"] == "2032-01-01"
    # On control, or closed too recently: untouched.
    for key in ("open", "later"):
        assert services(db, clock).value(records.get_record, MANAGER, world[key])["surname"] == "Шевченко"
        assert _row(db, ReceptionRecord, world[key]).anonymised_at is None

    # Appointments: the one of the anonymised record and the one without a record; not the open record's.
    for key in ("a_closed", "a_alone"):
        appt = _row(db, Appointment, world[key])
        assert (appt.surname, appt.name, appt.patronymic, appt.phone) == ("", "", None, None)
        assert appt.anonymised_at == FIRST_DAY_AFTER and appt.category == "war_disability" and appt.topic == "Аліменти"
    assert _row(db, Appointment, world["a_open"]).surname == "Петренко"

    logged = _audit(db, "record.anonymise")
    by_id = {int(r.object_id or 0): r for r in logged}
    assert len(logged) == 2 and sorted(by_id) == sorted([world["closed"], world["anonymous"]])
    assert by_id[world["closed"]].detail["fields"] == list(retention.RECORD_PERSONAL)
    assert by_id[world["anonymous"]].detail["fields"] == []
    assert by_id[world["closed"]].detail["term_years"] == 5 and by_id[world["closed"]].user_id is None
    assert len(_audit(db, "appointment.anonymise")) == 2
    dumped = json.dumps([r.detail for r in logged + _audit(db, "appointment.anonymise")], ensure_ascii=False)
    assert not any(secret in dumped for secret in SECRETS)

    # Idempotent: a second run finds nothing and logs nothing.
    updated_at, version = closed.updated_at, closed.version_id
    assert services(db, clock).value(retention.run_retention) == retention.RetentionOutcome(0, 0)
    again = _row(db, ReceptionRecord, world["closed"])
    assert (again.updated_at, again.version_id) == (updated_at, version)
    assert len(_audit(db, "record.anonymise")) == 2 and len(_audit(db, "appointment.anonymise")) == 2


def test_anonymised_record_is_read_only_and_its_card_renders(db, clock, world) -> None:
    clock.set(FIRST_DAY_AFTER)
    services(db, clock).value(retention.anonymise_due_records)
    with pytest.raises(Conflict) as err:
        services(db, clock).value(records.update_record, MANAGER, world["closed"], {"result": "інше"})
    assert err.value.key == "error.record_anonymised" and err.value.status == 409
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(records.card_pdf(services(db, clock), MANAGER, world["closed"]))).pages)
    rec = services(db, clock).value(records.get_record, MANAGER, world["closed"])
    assert rec["reg_index"] in text and "Невиконання рішення суду" in text
    assert not any(secret in text for secret in SECRETS)


def test_record_pages_show_the_marker(client, db, clock, world) -> None:
    clock.set(FIRST_DAY_AFTER)
    services(db, clock).value(retention.anonymise_due_records)
    sign_in(client, db, clock, "mgr", ["manager"])  # an operator sees only what they registered
    page = client.get(f"/backoffice/records/{world['closed']}").get_data(as_text=True)
    assert "Знеособлено 01.01.2032" in page and 'id="anonymised-note"' in page
    assert 'id="record-save"' not in page and "Шевченко" not in page
    assert "Знеособлено" not in client.get(f"/backoffice/records/{world['open']}").get_data(as_text=True)
    english = client.get(f"/backoffice/records/{world['closed']}?lang=en").get_data(as_text=True)
    assert "Anonymised on 01.01.2032" in english
    listing = client.get("/backoffice/records").get_data(as_text=True)
    assert "<i>знеособлено</i>" in listing
    r = client.post(f"/backoffice/records/{world['closed']}", data={"csrf_token": CSRF_TOKEN, "kind": "complaint",
                                                                     "questions": "x", "answer_method": ""})
    assert r.status_code in (409, 422) and _row(db, ReceptionRecord, world["closed"]).result == "Роз'яснено"
    assert client.get(f"/backoffice/records/{world['closed']}/card.pdf").status_code == 200


def test_term_is_office_configuration(db, clock, world) -> None:
    set_settings(db, records_retention_years=10)
    clock.set(FIRST_DAY_AFTER)
    assert services(db, clock).value(retention.run_retention) == retention.RetentionOutcome(0, 0)
    set_settings(db, records_retention_years=1)
    clock.set(datetime(2027, 12, 31, 22, 0, tzinfo=UTC))  # 1 Jan 2028 in Kyiv: 2026 closures are due, 2027's not
    assert services(db, clock).value(retention.run_retention, office_code="T1") == retention.RetentionOutcome(2, 2)
    set_settings(db, records_retention_years="five")
    with pytest.raises(ValidationFailed):
        services(db, clock).value(retention.run_retention)


def test_who_may_run_it(db, clock, world) -> None:
    clock.set(FIRST_DAY_AFTER)
    with pytest.raises(Forbidden):
        services(db, clock).value(retention.run_retention, Actor(user_id=None, roles=frozenset({"operator"}), office_ids=frozenset({1})))
    with pytest.raises(Forbidden):  # a manager of another office
        services(db, clock).value(retention.run_retention, Actor(roles=frozenset({"manager"}), office_ids=frozenset({999})),
                                office_code="T1")
    outsider = Actor(roles=frozenset({"manager"}), office_ids=frozenset({999}))
    assert services(db, clock).value(retention.run_retention, outsider) == retention.RetentionOutcome(0, 0)  # sees no office
    assert services(db, clock).value(retention.anonymise_due_records, MANAGER, "T1") == 2


def test_cli_counts_then_anonymises(db, clock, world, monkeypatch) -> None:
    monkeypatch.setattr(cli, "_core", lambda: bootstrap(db, clock))  # the test's database and fake clock
    clock.set(FIRST_DAY_AFTER)
    runner = CliRunner()
    dry = runner.invoke(cli.main, ["records", "anonymise", "--office", "T1", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "records due: 2" in dry.output and "appointments due: 2" in dry.output
    assert _row(db, ReceptionRecord, world["closed"]).anonymised_at is None
    done = runner.invoke(cli.main, ["records", "anonymise"])
    assert done.exit_code == 0, done.output
    assert "знеособлено карток / records anonymised: 2" in done.output
    assert "message addresses blanked: 0" in done.output  # every office: the messages' part runs too (037)
    assert "records anonymised: 0" in runner.invoke(cli.main, ["records", "anonymise"]).output
    unknown = runner.invoke(cli.main, ["records", "anonymise", "--office", "NOPE"])
    assert unknown.exit_code != 0 and "Traceback" not in unknown.output

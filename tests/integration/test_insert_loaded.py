"""One new row by a Core INSERT, handed back as a loaded object (the kiosk ticket's insert), on
SQLite and PostgreSQL: every column readable without a statement, later ORM changes as usual."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event, select

from reception.offices.models import Office, Service
from reception.platform.db import Database, insert_loaded
from reception.queue.models import Ticket
from tests.fakes import build_office

AT = datetime(2026, 11, 24, 8, tzinfo=UTC)


def _ticket(session: Any, office: Office, service: Service, number: int) -> Ticket:
    return insert_loaded(session, Ticket, {"office": office, "service": service}, office_id=office.id,
                         service_id=service.id, day=date(2026, 11, 24), number=number, code=f"К-{number:03d}",
                         status="waiting", issued_at=AT, queued_at=AT, public_token=f"token-{number}")


def test_the_row_is_loaded_complete_and_changes_later_as_any_other(db: Database) -> None:
    build_office(db, "T1")
    with db.write() as s:
        office = s.scalars(select(Office).where(Office.code == "T1")).one()
        service = s.scalars(select(Service).where(Service.office_id == office.id)).first()
        assert service is not None
        statements: list[str] = []
        event.listen(s.connection(), "before_cursor_execute", lambda *a: statements.append(a[2]))
        ticket = _ticket(s, office, service, 7)
        seen = (ticket.id, ticket.code, ticket.recall_count, ticket.version_id, ticket.lang, ticket.print_status,
                ticket.service.code, ticket.office.code, ticket.desk, ticket.queued_at)
        s.flush()
        assert len(statements) == 1 and statements[0].lstrip().upper().startswith("INSERT")
        assert seen[1:6] == ("К-007", 0, 1, "uk", None)  # the columns' defaults, as the ORM would set them
        assert seen[6:] == (service.code, "T1", None, AT)
        assert s.get(Ticket, ticket.id) is ticket  # in the identity map: no second object, no SELECT
        ticket.status = "cancelled"  # the version counter guards it like any loaded ticket
    with db.read() as s:
        stored = s.get(Ticket, seen[0])
        assert stored is not None and (stored.status, stored.version_id, stored.queued_at) == ("cancelled", 2, AT)


def test_a_column_without_a_plain_default_must_be_given(db: Database) -> None:
    with db.write() as s, pytest.raises(ValueError, match="opening_hours"):
        insert_loaded(s, Office, code="X1", name_uk="Офіс", name_en="Office", timezone="Europe/Kyiv")

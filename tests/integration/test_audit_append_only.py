"""The audit log has no update or delete path: the ORM refuses, and so does the database itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from reception.audit.guards import AuditLogImmutable
from reception.audit.models import AuditLog
from reception.platform.db import connect
from reception.schema.migrate import upgrade
from tests.integration.test_migrations import _fresh_url


def _one_row(db, clock) -> int:
    with db.write() as s:
        row = AuditLog(at=clock.now(), action="test.write", object_type="test", object_id="1", detail={"a": 1})
        s.add(row)
        s.flush()
        return row.id


def test_orm_refuses_to_change_or_delete_an_audit_row(db, clock) -> None:
    row_id = _one_row(db, clock)
    with pytest.raises(AuditLogImmutable), db.write() as s:
        row = s.get(AuditLog, row_id)
        assert row is not None
        row.action = "forged"
    with pytest.raises(AuditLogImmutable), db.write() as s:
        s.delete(s.get(AuditLog, row_id))
    with pytest.raises(AuditLogImmutable), db.write() as s:
        s.execute(update(AuditLog).values(action="forged"))
    with pytest.raises(AuditLogImmutable), db.write() as s:
        s.execute(delete(AuditLog))
    with db.read() as s:
        assert s.scalar(select(AuditLog.action).where(AuditLog.id == row_id)) == "test.write"


def _raw_sql_is_refused(db) -> None:
    for statement in ("UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), db.write_engine.begin() as conn:
            conn.execute(text(statement))
    with db.write_engine.connect() as conn:
        assert conn.execute(text("SELECT action FROM audit_log")).scalars().all() == ["test.write"]


def test_database_triggers_refuse_plain_sql(db, clock) -> None:
    """Tables made by create_all carry the triggers (the test databases are made that way)."""
    _one_row(db, clock)
    _raw_sql_is_refused(db)


def test_migration_0008_installs_the_triggers(tmp_path: Path, clock) -> None:
    db = connect(_fresh_url(tmp_path))
    try:
        upgrade(db)
        _one_row(db, clock)
        _raw_sql_is_refused(db)
    finally:
        db.dispose()

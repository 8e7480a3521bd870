"""The audit log is append-only: neither the ORM nor SQL may change or remove a row.

Two guards, so that a bug in Python and a hand-typed ``UPDATE`` in psql are both refused:

* ORM: a flush with a modified or deleted ``AuditLog``, or an ORM ``update()``/``delete()`` on
  it, raises :class:`AuditLogImmutable`;
* database: ``BEFORE UPDATE`` / ``BEFORE DELETE`` triggers (SQLite and PostgreSQL), created with
  the table by ``create_all`` and by migration 0006 for existing databases.

``TRUNCATE`` (PostgreSQL) is left to the database owner: it is how test suites reset tables.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import DDL, event
from sqlalchemy.orm import ORMExecuteState, Session

from reception.audit.models import AuditLog

MESSAGE = "audit_log is append-only"

SQLITE_TRIGGERS = (
    f"CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
)
SQLITE_DROP = ("DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete")

POSTGRES_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$",
    "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
)
POSTGRES_DROP = ("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
                 "DROP FUNCTION IF EXISTS audit_log_append_only()")


class AuditLogImmutable(RuntimeError):
    """A programming error: code tried to change history."""


for _statement in SQLITE_TRIGGERS:
    event.listen(AuditLog.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRES_TRIGGERS:
    event.listen(AuditLog.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql"))


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _context: Any, _instances: Any) -> None:
    touched = [o for o in (*session.dirty, *session.deleted) if isinstance(o, AuditLog)]
    if any(o in session.deleted or session.is_modified(o) for o in touched):
        raise AuditLogImmutable(MESSAGE)


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and any(
            m.class_ is AuditLog for m in state.all_mappers):
        raise AuditLogImmutable(MESSAGE)

"""audit_log is append-only: triggers refuse UPDATE and DELETE (SQLite and PostgreSQL)

Revision ID: 0006
Revises: 0005 (another branch adds 0005 on 0004; the two are chained at merge)
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

from alembic import op

from reception.audit import POSTGRES_DROP, POSTGRES_TRIGGERS, SQLITE_DROP, SQLITE_TRIGGERS

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def _run(statements: tuple[str, ...]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_TRIGGERS)
    elif dialect == "postgresql":
        _run(POSTGRES_TRIGGERS)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DROP)
    elif dialect == "postgresql":
        _run(POSTGRES_DROP)

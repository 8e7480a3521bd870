"""offices.config_version, advanced by triggers on every change of an office's configuration (decision 036)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 20:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from reception.offices.config_version import (
    WATCHED,
    postgres_drops,
    postgres_statements,
    sqlite_drops,
    sqlite_statements,
)

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('config_version', sa.Integer(), nullable=False, server_default='0'))
    dialect = op.get_bind().dialect.name
    for watched in WATCHED:
        for statement in (sqlite_statements(watched) if dialect == "sqlite" else
                          postgres_statements(watched) if dialect == "postgresql" else ()):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for watched in WATCHED:
        for statement in (sqlite_drops(watched) if dialect == "sqlite" else
                          postgres_drops(watched) if dialect == "postgresql" else ()):
            op.execute(statement)
    if dialect == "sqlite":
        # In place (SQLite 3.35+): a batch copy would drop and rebuild `offices`, which the rows that
        # refer to it forbid while foreign keys are enforced.
        op.execute("ALTER TABLE offices DROP COLUMN config_version")
    else:
        op.drop_column('offices', 'config_version')

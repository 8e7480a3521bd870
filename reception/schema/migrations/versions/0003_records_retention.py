"""records retention: ``anonymised_at`` on reception records and appointments

Nullable columns only, so existing rows need no backfill (NULL = personal data still held).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reception.platform.orm

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

TABLES = ('reception_records', 'appointments')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('anonymised_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('anonymised_at')

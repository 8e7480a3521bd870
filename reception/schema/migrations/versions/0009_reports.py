"""reports: the roll-up table and an index on tickets by office and day

``report_rollups`` caches report tallies of final office-local days and months (see
docs/decisions/015-reports.md); ``ix_tickets_office_day`` lets a report read an office's period;
``ix_tickets_open_office_day`` (partial: open tickets only) finds the days not yet final.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reception.platform.orm

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

OPEN = "status IN ('waiting', 'called', 'serving')"


def upgrade() -> None:
    op.create_table('report_rollups',
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('built_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_report_rollups_office_id_offices')),
    sa.PrimaryKeyConstraint('office_id', 'period', 'start', name=op.f('pk_report_rollups'))
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index('ix_tickets_office_day', ['office_id', 'day'], unique=False)
        batch_op.create_index('ix_tickets_open_office_day', ['office_id', 'day'], unique=False,
                              sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_open_office_day')
        batch_op.drop_index('ix_tickets_office_day')
    op.drop_table('report_rollups')

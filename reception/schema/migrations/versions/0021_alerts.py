"""alerts and the air-raid feed: the alerts table, the feed's state, an office's alert region, who
suspended (manager or feed), a kiosk printer's paper as last read

Revision ID: 0021
Revises: 0017
Create Date: 2026-12-07 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reception.platform.orm

revision = '0021'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('since', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cleared_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('last_notified_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_alerts_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts'))
    )
    op.create_index('ix_alerts_office_since', 'alerts', ['office_id', 'since'], unique=False)
    op.create_index('uq_alerts_open', 'alerts', ['office_id', 'kind', 'subject'], unique=True,
                    sqlite_where=sa.text('cleared_at IS NULL'), postgresql_where=sa.text('cleared_at IS NULL'))
    op.create_table('alert_feed_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_modified', sa.String(length=64), nullable=True),
    sa.Column('retry_after', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('backoff_s', sa.Integer(), nullable=False),
    sa.Column('active', sa.JSON(), nullable=False),
    sa.Column('ok_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('failing_since', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_feed_state'))
    )
    # Plain ADD COLUMN (no table rebuild on SQLite): the configuration triggers of offices and suspensions stay.
    op.add_column('offices', sa.Column('alert_region', sa.String(length=16), nullable=True))
    op.add_column('suspensions', sa.Column('source', sa.String(length=8), server_default='manager', nullable=False))
    op.add_column('devices', sa.Column('printer_paper', sa.String(length=16), nullable=True))
    op.add_column('devices', sa.Column('printer_checked_at', reception.platform.orm.UTCDateTime(timezone=True),
                                       nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_column('printer_checked_at')
        batch_op.drop_column('printer_paper')
    op.drop_column('suspensions', 'source')
    op.drop_column('offices', 'alert_region')
    op.drop_table('alert_feed_state')
    op.drop_index('uq_alerts_open', table_name='alerts', sqlite_where=sa.text('cleared_at IS NULL'),
                  postgresql_where=sa.text('cleared_at IS NULL'))
    op.drop_index('ix_alerts_office_since', table_name='alerts')
    op.drop_table('alerts')

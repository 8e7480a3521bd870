"""suspensions: an office's air-raid and blackout pauses (state while open, record after)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reception.platform.orm

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'suspensions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=16), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('since', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
        sa.Column('resume_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
        sa.Column('ended_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
        sa.Column('started_by_user_id', sa.Integer(), nullable=True),
        sa.Column('ended_by_user_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_suspensions_office_id_offices')),
        sa.ForeignKeyConstraint(['started_by_user_id'], ['users.id'],
                                name=op.f('fk_suspensions_started_by_user_id_users')),
        sa.ForeignKeyConstraint(['ended_by_user_id'], ['users.id'], name=op.f('fk_suspensions_ended_by_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_suspensions')),
    )
    op.create_index('ix_suspensions_office_since', 'suspensions', ['office_id', 'since'], unique=False)
    op.create_index('uq_suspensions_office_open', 'suspensions', ['office_id'], unique=True,
                    sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))


def downgrade() -> None:
    op.drop_index('uq_suspensions_office_open', table_name='suspensions')
    op.drop_index('ix_suspensions_office_since', table_name='suspensions')
    op.drop_table('suspensions')

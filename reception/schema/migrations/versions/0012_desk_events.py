"""desk_events: a desk's opened / paused / resumed / closed history (paused time in the reports)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reception.platform.orm

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'desk_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('desk_id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(['desk_id'], ['desks.id'], name=op.f('fk_desk_events_desk_id_desks')),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_desk_events_office_id_offices')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_desk_events_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_events')),
    )
    op.create_index('ix_desk_events_office_at', 'desk_events', ['office_id', 'at'], unique=False)
    op.create_index(op.f('ix_desk_events_desk_id'), 'desk_events', ['desk_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_desk_events_desk_id'), table_name='desk_events')
    op.drop_index('ix_desk_events_office_at', table_name='desk_events')
    op.drop_table('desk_events')

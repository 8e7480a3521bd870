"""hook_updates (webhook replays) and visitor_replies (late / cancel once): the visitor's channel

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-07 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reception.platform.orm

revision = '0019'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('hook_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('update_id', sa.String(length=128), nullable=False),
    sa.Column('at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hook_updates')),
    sa.UniqueConstraint('channel', 'update_id', name='uq_hook_updates_channel_update')
    )
    op.create_table('visitor_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('via', sa.String(length=16), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_visitor_replies_appointment_id_appointments')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_visitor_replies_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visitor_replies'))
    )
    with op.batch_alter_table('visitor_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visitor_replies_ticket_id'), ['ticket_id'], unique=False)
        batch_op.create_index('uq_visitor_replies_ticket_kind', ['ticket_id', 'kind'], unique=True,
                              sqlite_where=sa.text('ticket_id IS NOT NULL'),
                              postgresql_where=sa.text('ticket_id IS NOT NULL'))
        batch_op.create_index('uq_visitor_replies_appointment_kind', ['appointment_id', 'kind'], unique=True,
                              sqlite_where=sa.text('appointment_id IS NOT NULL'),
                              postgresql_where=sa.text('appointment_id IS NOT NULL'))


def downgrade() -> None:
    with op.batch_alter_table('visitor_replies', schema=None) as batch_op:
        batch_op.drop_index('uq_visitor_replies_appointment_kind')
        batch_op.drop_index('uq_visitor_replies_ticket_kind')
        batch_op.drop_index(batch_op.f('ix_visitor_replies_ticket_id'))
    op.drop_table('visitor_replies')
    op.drop_table('hook_updates')

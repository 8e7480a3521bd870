"""feedback: how the visit went (one rating per finished ticket)

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-07 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reception.platform.orm

revision = '0020'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('desk_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('score', sa.SmallInteger(), nullable=False),
    sa.Column('comment', sa.String(length=1000), nullable=True),
    sa.Column('via', sa.String(length=8), nullable=False),
    sa.Column('created_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('anonymised_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_feedback_score_range')),
    sa.ForeignKeyConstraint(['desk_id'], ['desks.id'], name=op.f('fk_feedback_desk_id_desks')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_feedback_office_id_offices')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_feedback_service_id_services')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_feedback_ticket_id_tickets')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_feedback_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_feedback_ticket_id'))
    )
    op.create_index('ix_feedback_office_day', 'feedback', ['office_id', 'day'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_feedback_office_day', table_name='feedback')
    op.drop_table('feedback')

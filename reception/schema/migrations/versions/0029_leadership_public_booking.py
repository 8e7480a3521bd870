"""leadership reception booked from the public page: the cancel token and the caps' keys

Revision ID: 0029
Revises: 0025
Create Date: 2026-12-08 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reception.platform.orm

revision = '0029'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('leadership_bookings',
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('phone_key', sa.String(length=64), nullable=True),
    sa.Column('email_key', sa.String(length=64), nullable=True),
    sa.Column('cancel_token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_leadership_bookings_appointment_id_appointments')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_leadership_bookings_office_id_offices')),
    sa.PrimaryKeyConstraint('appointment_id', name=op.f('pk_leadership_bookings'))
    )
    op.create_index(op.f('ix_leadership_bookings_office_id'), 'leadership_bookings', ['office_id'], unique=False)
    op.create_index(op.f('ix_leadership_bookings_phone_key'), 'leadership_bookings', ['phone_key'], unique=False)
    op.create_index(op.f('ix_leadership_bookings_email_key'), 'leadership_bookings', ['email_key'], unique=False)


def downgrade() -> None:
    op.drop_table('leadership_bookings')

"""messages (the outbox) and subscriptions: the visitor's own channel

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 22:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reception.platform.orm

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('address', sa.String(length=320), nullable=True),
    sa.Column('bind_token', sa.String(length=64), nullable=True),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('topic', sa.String(length=32), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('created_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('bound_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_subscriptions_appointment_id_appointments')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_subscriptions_office_id_offices')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_subscriptions_ticket_id_tickets')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_subscriptions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscriptions')),
    sa.UniqueConstraint('bind_token', name=op.f('uq_subscriptions_bind_token'))
    )
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscriptions_appointment_id'), ['appointment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscriptions_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscriptions_ticket_id'), ['ticket_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscriptions_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_subscriptions_ticket_channel', ['ticket_id', 'channel'], unique=True, sqlite_where=sa.text('ticket_id IS NOT NULL AND revoked_at IS NULL'), postgresql_where=sa.text('ticket_id IS NOT NULL AND revoked_at IS NULL'))

    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=128), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('subscription_id', sa.Integer(), nullable=True),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('address', sa.String(length=320), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('buttons', sa.JSON(), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('provider_id', sa.String(length=128), nullable=True),
    sa.Column('created_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_messages_appointment_id_appointments')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_messages_office_id_offices')),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscriptions.id'], name=op.f('fk_messages_subscription_id_subscriptions')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_messages_ticket_id_tickets')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_messages_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_messages_idempotency_key'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_appointment_id'), ['appointment_id'], unique=False)
        batch_op.create_index('ix_messages_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_messages_office_created', ['office_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_subscription_id'), ['subscription_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_ticket_id'), ['ticket_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_messages_subscription_id'))
        batch_op.drop_index('ix_messages_office_created')
        batch_op.drop_index('ix_messages_due')
        batch_op.drop_index(batch_op.f('ix_messages_appointment_id'))

    op.drop_table('messages')
    with op.batch_alter_table('subscriptions', schema=None) as batch_op:
        batch_op.drop_index('uq_subscriptions_ticket_channel', sqlite_where=sa.text('ticket_id IS NOT NULL AND revoked_at IS NULL'), postgresql_where=sa.text('ticket_id IS NOT NULL AND revoked_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_subscriptions_user_id'))
        batch_op.drop_index(batch_op.f('ix_subscriptions_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_subscriptions_office_id'))
        batch_op.drop_index(batch_op.f('ix_subscriptions_appointment_id'))

    op.drop_table('subscriptions')

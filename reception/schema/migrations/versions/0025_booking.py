"""self-service booking: capacity, rules, bookings, slot claims, code requests; a booked ticket's slot

Revision ID: 0025
Revises: 0017
Create Date: 2026-12-07 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reception.platform.orm

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('booking_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_booking_requests_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_requests')),
    sa.UniqueConstraint('request_id', name=op.f('uq_booking_requests_request_id'))
    )
    with op.batch_alter_table('booking_requests', schema=None) as batch_op:
        batch_op.create_index('ix_booking_requests_open', ['expires_at'], unique=False, sqlite_where=sa.text('used_at IS NULL'), postgresql_where=sa.text('used_at IS NULL'))

    op.create_table('booking_capacities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('desks', sa.JSON(), nullable=False),
    sa.Column('weekdays', sa.JSON(), nullable=False),
    sa.Column('start', sa.String(length=5), nullable=False),
    sa.Column('end', sa.String(length=5), nullable=False),
    sa.Column('slot_min', sa.Integer(), nullable=False),
    sa.Column('per_slot', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_booking_capacities_office_id_offices')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_booking_capacities_service_id_services')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_capacities'))
    )
    with op.batch_alter_table('booking_capacities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_capacities_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_capacities_service_id'), ['service_id'], unique=False)

    op.create_table('booking_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_booking_rules_office_id_offices')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_booking_rules_service_id_services')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_rules')),
    sa.UniqueConstraint('office_id', 'service_id', name=op.f('uq_booking_rules_office_id_service_id'))
    )
    with op.batch_alter_table('booking_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_rules_office_id'), ['office_id'], unique=False)

    op.create_table('booking_slots',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('taken', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_booking_slots_service_id_services')),
    sa.PrimaryKeyConstraint('service_id', 'at', name=op.f('pk_booking_slots'))
    )
    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('slot_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('booking_code', sa.String(length=8), nullable=False),
    sa.Column('cancel_token_hash', sa.String(length=64), nullable=False),
    sa.Column('surname', sa.String(length=100), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('consent_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_user_id', sa.Integer(), nullable=True),
    sa.Column('cap_overridden', sa.Boolean(), nullable=False),
    sa.Column('cancelled_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('checked_in_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('anonymised_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_bookings_created_by_user_id_users')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_bookings_office_id_offices')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_bookings_service_id_services')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_bookings_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings')),
    sa.UniqueConstraint('booking_code', name=op.f('uq_bookings_booking_code'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_email', ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_office_id'), ['office_id'], unique=False)
        batch_op.create_index('ix_bookings_phone', ['phone'], unique=False)
        batch_op.create_index('ix_bookings_service_at', ['service_id', 'slot_at'], unique=False)

    op.create_table('remote_places',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('public_token', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('joined_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('checked_in_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('anonymised_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_remote_places_office_id_offices')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_remote_places_service_id_services')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_remote_places_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remote_places')),
    sa.UniqueConstraint('code', name=op.f('uq_remote_places_code')),
    sa.UniqueConstraint('public_token', name=op.f('uq_remote_places_public_token'))
    )
    with op.batch_alter_table('remote_places', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remote_places_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_remote_places_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_remote_places_phone'), ['phone'], unique=False)
        batch_op.create_index('ix_remote_places_service_joined', ['service_id', 'joined_at'], unique=False)

    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booked_for', reception.platform.orm.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('call_tolerance_min', sa.Integer(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_column('call_tolerance_min')
        batch_op.drop_column('booked_for')

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_bookings_service_at')
        batch_op.drop_index('ix_bookings_phone')
        batch_op.drop_index(batch_op.f('ix_bookings_office_id'))
        batch_op.drop_index('ix_bookings_email')

    op.drop_table('remote_places')
    op.drop_table('bookings')
    op.drop_table('booking_slots')
    with op.batch_alter_table('booking_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_rules_office_id'))

    op.drop_table('booking_rules')
    with op.batch_alter_table('booking_capacities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_capacities_service_id'))
        batch_op.drop_index(batch_op.f('ix_booking_capacities_office_id'))

    op.drop_table('booking_capacities')
    with op.batch_alter_table('booking_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_booking_requests_open', sqlite_where=sa.text('used_at IS NULL'), postgresql_where=sa.text('used_at IS NULL'))

    op.drop_table('booking_requests')

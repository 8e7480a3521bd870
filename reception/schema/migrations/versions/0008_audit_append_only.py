"""audit_log is append-only (triggers refuse UPDATE and DELETE); device_pairings (one-time codes)

Revision ID: 0008
Revises: 0007 (another branch adds 0005 on 0004; the two are chained at merge)
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from reception.audit.guards import POSTGRES_DROP, POSTGRES_TRIGGERS, SQLITE_DROP, SQLITE_TRIGGERS
from reception.platform.orm import UTCDateTime

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def _run(statements: tuple[str, ...]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_TRIGGERS)
    elif dialect == "postgresql":
        _run(POSTGRES_TRIGGERS)
    op.create_table(
        'device_pairings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('zone', sa.String(length=32), nullable=True),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('device_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_device_pairings_created_by_users')),
        sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_device_pairings_device_id_devices')),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_device_pairings_office_id_offices')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_device_pairings')),
    )
    op.create_index(op.f('ix_device_pairings_code_hash'), 'device_pairings', ['code_hash'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_device_pairings_code_hash'), table_name='device_pairings')
    op.drop_table('device_pairings')
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DROP)
    elif dialect == "postgresql":
        _run(POSTGRES_DROP)

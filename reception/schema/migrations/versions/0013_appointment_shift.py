"""appointment shift: a booking moved by a suspension keeps its first time; one left without room is flagged

See docs/decisions/023-bookings-after-suspension.md.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reception.platform.orm

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shifted_from', reception.platform.orm.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('needs_rebooking', sa.Boolean(), nullable=False,
                                      server_default=sa.text('false')))


def downgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_column('needs_rebooking')
        batch_op.drop_column('shifted_from')

"""appointment lookup: a folded surname column; phones in E.164; indexes for both searches

Existing rows are backfilled in Python (SQLite's lower() folds ASCII only): the folded surname
always, the phone only where it parses as a valid number (anything else is kept as typed).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from reception.kernel.errors import ValidationFailed
from reception.kernel.phones import normalise_phone
from reception.leadership.lookup_keys import fold_name

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

appointments = sa.table('appointments', sa.column('id', sa.Integer), sa.column('surname', sa.String),
                        sa.column('surname_folded', sa.String), sa.column('phone', sa.String))


def _phone(raw: str | None) -> str | None:
    try:
        return normalise_phone(raw)
    except ValidationFailed:
        return raw


def upgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('surname_folded', sa.String(length=200), nullable=False, server_default=''))
    conn = op.get_bind()
    for row in conn.execute(sa.select(appointments.c.id, appointments.c.surname, appointments.c.phone)).all():
        conn.execute(appointments.update().where(appointments.c.id == row.id)
                     .values(surname_folded=fold_name(row.surname), phone=_phone(row.phone)))
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.alter_column('surname_folded', server_default=None)
        batch_op.create_index(batch_op.f('ix_appointments_surname_folded'), ['surname_folded'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_phone'), ['phone'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointments_phone'))
        batch_op.drop_index(batch_op.f('ix_appointments_surname_folded'))
        batch_op.drop_column('surname_folded')

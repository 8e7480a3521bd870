"""the journal of appeals of every form: phone key, topic, consultation, on-the-spot, repeat, executor; call drafts

Revision ID: 0023
Revises: 0017
Create Date: 2026-12-07 22:45:33.970723
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reception.platform.orm
from reception.kernel.errors import ValidationFailed
from reception.kernel.phones import normalise_phone

revision = '0023'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('appeal_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('updated_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_appeal_drafts_office_id_offices')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_appeal_drafts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal_drafts')),
    sa.UniqueConstraint('user_id', name=op.f('uq_appeal_drafts_user_id'))
    )
    with op.batch_alter_table('reception_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone_key', sa.String(length=32), server_default='', nullable=False))
        batch_op.add_column(sa.Column('topic', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('is_consultation', sa.Boolean(), server_default=sa.text('false'), nullable=False))
        batch_op.add_column(sa.Column('answered_on_spot', sa.Boolean(), server_default=sa.text('false'), nullable=False))
        batch_op.add_column(sa.Column('repeat_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('executor_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_reception_records_executor_id'), ['executor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reception_records_phone_key'), ['phone_key'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reception_records_executor_id_users'), 'users', ['executor_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_reception_records_repeat_of_id_reception_records'), 'reception_records', ['repeat_of_id'], ['id'])
    _backfill_phone_keys()


def _backfill_phone_keys() -> None:
    """Existing records' phones (kept as typed) get their E.164 key, so earlier appeals are found."""
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, phone FROM reception_records WHERE phone <> ''")).all()
    for record_id, phone in rows:
        try:
            key = normalise_phone(phone) or ''
        except ValidationFailed:
            key = ''
        if key:
            conn.execute(sa.text("UPDATE reception_records SET phone_key = :k WHERE id = :i"), {"k": key, "i": record_id})



def downgrade() -> None:
    with op.batch_alter_table('reception_records', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reception_records_repeat_of_id_reception_records'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_reception_records_executor_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reception_records_phone_key'))
        batch_op.drop_index(batch_op.f('ix_reception_records_executor_id'))
        batch_op.drop_column('executor_id')
        batch_op.drop_column('repeat_of_id')
        batch_op.drop_column('answered_on_spot')
        batch_op.drop_column('is_consultation')
        batch_op.drop_column('topic')
        batch_op.drop_column('phone_key')

    op.drop_table('appeal_drafts')

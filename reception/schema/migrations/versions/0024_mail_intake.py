"""inbound_mails, mail_attachments, mailbox_cursors: the e-mail intake (decision 043)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reception.platform.orm

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mailbox_cursors',
    sa.Column('mailbox', sa.String(length=400), nullable=False),
    sa.Column('uidvalidity', sa.BigInteger(), nullable=False),
    sa.Column('last_uid', sa.BigInteger(), nullable=False),
    sa.Column('last_attempt_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_ok_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('mailbox', name=op.f('pk_mailbox_cursors'))
    )
    op.create_table('inbound_mails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.String(length=255), nullable=False),
    sa.Column('from_address', sa.String(length=320), nullable=False),
    sa.Column('from_name', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('received_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('fetched_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('discard_reason', sa.Text(), nullable=False),
    sa.Column('answered_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('anonymised_at', reception.platform.orm.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_inbound_mails_decided_by_users')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_inbound_mails_office_id_offices')),
    sa.ForeignKeyConstraint(['record_id'], ['reception_records.id'], name=op.f('fk_inbound_mails_record_id_reception_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_mails')),
    sa.UniqueConstraint('office_id', 'message_id', name=op.f('uq_inbound_mails_office_id_message_id'))
    )
    with op.batch_alter_table('inbound_mails', schema=None) as batch_op:
        batch_op.create_index('ix_inbound_mails_office_status', ['office_id', 'status', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_mails_record_id'), ['record_id'], unique=False)

    op.create_table('mail_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mail_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=127), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=True),
    sa.Column('too_large', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['mail_id'], ['inbound_mails.id'], name=op.f('fk_mail_attachments_mail_id_inbound_mails')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_attachments'))
    )
    with op.batch_alter_table('mail_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_attachments_mail_id'), ['mail_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mail_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_attachments_mail_id'))

    op.drop_table('mail_attachments')
    with op.batch_alter_table('inbound_mails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_mails_record_id'))
        batch_op.drop_index('ix_inbound_mails_office_status')

    op.drop_table('inbound_mails')
    op.drop_table('mailbox_cursors')

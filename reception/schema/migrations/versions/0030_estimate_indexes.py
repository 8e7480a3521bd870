"""the wait estimate's newest calls and visits read from the end of an index

Revision ID: 0030
Revises: 0026
Create Date: 2026-12-08 06:00:00
"""

from __future__ import annotations

from alembic import op

revision = '0030'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_tickets_service_status_finished', 'tickets', ['service_id', 'status', 'finished_at', 'id'])
    op.create_index('ix_tickets_office_day_called', 'tickets', ['office_id', 'day', 'called_at', 'id'])
    op.create_index('ix_tickets_office_day_finished', 'tickets', ['office_id', 'day', 'finished_at', 'id'])
    op.drop_index('ix_tickets_service_status', table_name='tickets')
    op.drop_index('ix_tickets_office_day', table_name='tickets')


def downgrade() -> None:
    op.create_index('ix_tickets_office_day', 'tickets', ['office_id', 'day'])
    op.create_index('ix_tickets_service_status', 'tickets', ['service_id', 'status'])
    op.drop_index('ix_tickets_office_day_finished', table_name='tickets')
    op.drop_index('ix_tickets_office_day_called', table_name='tickets')
    op.drop_index('ix_tickets_service_status_finished', table_name='tickets')

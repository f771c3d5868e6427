"""events: how and when a priced event's fee is paid

Revision ID: 0009_events_payment_note
Revises: 0008_account_changes
Create Date: 2026-12-06 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_events_payment_note'
down_revision = '0008_account_changes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payment_note', sa.String(length=500), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('payment_note')

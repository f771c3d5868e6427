"""consultations: versions of what the free slots depend on, kept by triggers (slot cache)

Revision ID: 0021_slot_versions
Revises: 0020_routing_support_cases
Create Date: 2026-12-07 05:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

from booking.consultations.slot_versions import drop, install


# revision identifiers, used by Alembic.
revision = '0021_slot_versions'
down_revision = '0020_routing_support_cases'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('advisors', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('slots_version', sa.BigInteger(), server_default='0', nullable=False)
        )
    op.create_table('slot_versions',
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('scope', name=op.f('pk_slot_versions'))
    )
    # The triggers that change the versions in every writer's transaction (the same
    # statements `create_all` runs).
    install(op.get_bind())


def downgrade():
    drop(op.get_bind())
    op.drop_table('slot_versions')
    with op.batch_alter_table('advisors', schema=None) as batch_op:
        batch_op.drop_column('slots_version')

"""account changes: what staff changed on an account (role, unit, deactivation, merge)

Revision ID: 0008_account_changes
Revises: 0007
Create Date: 2026-12-06 18:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_account_changes'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('before', sa.String(length=254), nullable=False),
    sa.Column('after', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_account_changes_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_changes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_changes'))
    )
    with op.batch_alter_table('account_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_changes_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('account_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_changes_user_id'))

    op.drop_table('account_changes')

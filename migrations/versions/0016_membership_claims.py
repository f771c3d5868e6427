"""companies: roster phone and postal code; membership_claims (会員番号 claims); users: claim failures

Revision ID: 0016_membership_claims
Revises: 0015_company_admins
Create Date: 2026-12-06 21:54:46

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016_membership_claims"
down_revision = "0015_company_admins"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('membership_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('fact_kind', sa.String(length=8), nullable=False),
    sa.Column('fact', sa.String(length=32), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_membership_claims_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_membership_claims_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_membership_claims_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_claims'))
    )
    with op.batch_alter_table('membership_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_claims_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_claims_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_claims_outcome'), ['outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_claims_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=32), server_default='', nullable=False))
        batch_op.add_column(sa.Column('postal_code', sa.String(length=10), server_default='', nullable=False))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_failures', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('claim_failures_since', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('claim_failures_since')
        batch_op.drop_column('claim_failures')

    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_column('postal_code')
        batch_op.drop_column('phone')

    with op.batch_alter_table('membership_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_claims_user_id'))
        batch_op.drop_index(batch_op.f('ix_membership_claims_outcome'))
        batch_op.drop_index(batch_op.f('ix_membership_claims_created_at'))
        batch_op.drop_index(batch_op.f('ix_membership_claims_company_id'))

    op.drop_table('membership_claims')

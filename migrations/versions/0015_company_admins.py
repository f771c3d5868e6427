"""companies: administrators (会社の担当者), invitations to join; registrations: registered by

Revision ID: 0015_company_admins
Revises: 0014_frames_limit_version
Create Date: 2026-12-06 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_company_admins'
down_revision = '0014_frames_limit_version'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'company_admins',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('appointed_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['appointed_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id'),
    )
    with op.batch_alter_table('company_admins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_admins_company_id'), ['company_id'], unique=False)
    op.create_table(
        'company_invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('family_name', sa.String(length=60), nullable=False),
        sa.Column('given_name', sa.String(length=60), nullable=False),
        sa.Column('family_kana', sa.String(length=60), nullable=False),
        sa.Column('given_kana', sa.String(length=60), nullable=False),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    with op.batch_alter_table('company_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_invitations_company_id'), ['company_id'], unique=False)
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registered_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_registrations_registered_by_id_users', 'users', ['registered_by_id'], ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_constraint('fk_registrations_registered_by_id_users', type_='foreignkey')
        batch_op.drop_column('registered_by_id')
    with op.batch_alter_table('company_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_invitations_company_id'))
    op.drop_table('company_invitations')
    with op.batch_alter_table('company_admins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_admins_company_id'))
    op.drop_table('company_admins')

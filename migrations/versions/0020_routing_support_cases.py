"""consultations: a theme's routing questionnaire; support cases (伴走支援)

Revision ID: 0020_routing_support_cases
Revises: 0019_surveys_accommodation
Create Date: 2026-12-06 22:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_routing_support_cases'
down_revision = "0019_surveys_accommodation"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultation_themes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('routing', sa.JSON(), nullable=False, server_default='[]'))
    op.create_table('support_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('open', 'referred', 'closed')", name=op.f('ck_support_cases_status_known')),
    sa.CheckConstraint("outcome IN ('', 'resolved', 'partly', 'unresolved')", name=op.f('ck_support_cases_outcome_known')),
    sa.ForeignKeyConstraint(['branch_id'], ['units.id'], name=op.f('fk_support_cases_branch_id_units')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_support_cases_company_id_companies')),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_support_cases_member_id_users')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_support_cases_opened_by_id_users')),
    sa.ForeignKeyConstraint(['theme_id'], ['consultation_themes.id'], name=op.f('fk_support_cases_theme_id_consultation_themes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_cases'))
    )
    with op.batch_alter_table('support_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_cases_branch_id'), ['branch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_cases_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_cases_opened_at'), ['opened_at'], unique=False)
    op.create_table('support_case_consultations',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['support_cases.id'], name=op.f('fk_support_case_consultations_case_id_support_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_support_case_consultations_consultation_id_consultations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('consultation_id', name=op.f('pk_support_case_consultations'))
    )
    with op.batch_alter_table('support_case_consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_case_consultations_case_id'), ['case_id'], unique=False)


def downgrade():
    with op.batch_alter_table('support_case_consultations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_case_consultations_case_id'))
    op.drop_table('support_case_consultations')
    with op.batch_alter_table('support_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_cases_opened_at'))
        batch_op.drop_index(batch_op.f('ix_support_cases_company_id'))
        batch_op.drop_index(batch_op.f('ix_support_cases_branch_id'))
    op.drop_table('support_cases')
    with op.batch_alter_table('consultation_themes', schema=None) as batch_op:
        batch_op.drop_column('routing')

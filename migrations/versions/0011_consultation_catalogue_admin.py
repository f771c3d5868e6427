"""consultation catalogue run from pages: English names, active flags, branch withdrawals

Revision ID: 0011_consultation_catalogue
Revises: 0010_theme_intake_hint
Create Date: 2026-12-06 18:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_consultation_catalogue'
down_revision = '0010_theme_intake_hint'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultation_themes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_en', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('about_en', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table('consultation_channels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_en', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.create_table('branch_withdrawn_themes',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['theme_id'], ['consultation_themes.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('unit_id', 'theme_id')
    )
    op.create_table('branch_withdrawn_channels',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['consultation_channels.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('unit_id', 'channel_id')
    )


def downgrade():
    op.drop_table('branch_withdrawn_channels')
    op.drop_table('branch_withdrawn_themes')
    with op.batch_alter_table('consultation_channels', schema=None) as batch_op:
        batch_op.drop_column('active')
        batch_op.drop_column('name_en')
    with op.batch_alter_table('consultation_themes', schema=None) as batch_op:
        batch_op.drop_column('active')
        batch_op.drop_column('about_en')
        batch_op.drop_column('name_en')

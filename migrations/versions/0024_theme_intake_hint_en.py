"""consultation themes: the English example for the intake's summary field

Revision ID: 0024_theme_intake_hint_en
Revises: 0023_event_cache_version
Create Date: 2026-12-07 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024_theme_intake_hint_en'
down_revision = '0023_event_cache_version'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultation_themes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intake_hint_en', sa.String(length=300), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('consultation_themes', schema=None) as batch_op:
        batch_op.drop_column('intake_hint_en')

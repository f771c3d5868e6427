"""consultation themes: the theme's own hint for the intake's summary field

Revision ID: 0010_theme_intake_hint
Revises: 0009_events_payment_note
Create Date: 2026-12-06 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_theme_intake_hint'
down_revision = '0009_events_payment_note'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultation_themes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intake_hint', sa.String(length=300), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('consultation_themes', schema=None) as batch_op:
        batch_op.drop_column('intake_hint')

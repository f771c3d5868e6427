"""events: per-company limit across the event, edit version; frames: closed by staff

Revision ID: 0014_frames_limit_version
Revises: 0013_english_names
Create Date: 2026-12-06 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_frames_limit_version'
down_revision = '0013_english_names'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('per_company_limit', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    with op.batch_alter_table('frames', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('frames', schema=None) as batch_op:
        batch_op.drop_column('closed_at')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('per_company_limit')

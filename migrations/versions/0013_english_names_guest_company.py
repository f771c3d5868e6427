"""English names of reference data; a guest's company name and privacy consent

Revision ID: 0013_english_names
Revises: 0012_staff_audit_log
Create Date: 2026-12-06 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_english_names'
down_revision = '0012_staff_audit_log'
branch_labels = None
depends_on = None

# (Themes and channels got theirs with the consultation catalogue, 0011.)
NAMED = [('units', 120), ('exhibition_zones', 100)]


def upgrade():
    for table, length in NAMED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('name_en', sa.String(length=length), server_default='', nullable=False))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('company_name', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('privacy_agreed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('privacy_agreed_at')
        batch_op.drop_column('company_name')
    for table, _length in reversed(NAMED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('name_en')

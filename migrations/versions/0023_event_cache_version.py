"""events: the version of what registering reads, kept by triggers (event cache)

Revision ID: 0023_event_cache_version
Revises: 0022_directory_versions
Create Date: 2026-12-07 12:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

from booking.events.cache_version import drop, install


# revision identifiers, used by Alembic.
revision = '0023_event_cache_version'
down_revision = '0022_directory_versions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('cache_version', sa.BigInteger(), server_default='0', nullable=False)
        )
    # The triggers that change the version in every writer's transaction (the same statements
    # `create_all` runs); then every event gets a random version of its own through them.
    install(op.get_bind())
    op.execute("UPDATE events SET cache_version = cache_version")


def downgrade():
    drop(op.get_bind())
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('cache_version')

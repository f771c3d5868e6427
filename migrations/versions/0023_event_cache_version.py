"""events, frames: the versions of what registering reads, kept by triggers (event cache)

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


# The frames columns at this revision whose update changes a frame's version (every one but
# `taken` and the version): named here, not read from the model, which may have more later.
FRAME_COLUMNS = (
    "id", "event_id", "position", "name", "mode", "audience", "capacity", "price_label",
    "opens_at", "closes_at", "per_company_limit", "lottery", "waitlist", "lottery_seed",
    "lottery_drawn_at", "lottery_drawn_by_id", "lottery_weighting", "closed_at",
)


def upgrade():
    for table in ('events', 'frames'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('cache_version', sa.BigInteger(), server_default='0', nullable=False)
            )
    # The triggers that change the versions in every writer's transaction (the statements
    # `create_all` runs); then every event and frame gets a random version through them.
    install(op.get_bind(), FRAME_COLUMNS)
    op.execute("UPDATE events SET cache_version = cache_version")
    op.execute("UPDATE frames SET name = name")


def downgrade():
    drop(op.get_bind())
    for table in ('frames', 'events'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('cache_version')

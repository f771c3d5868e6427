"""exhibitions: the public directory's version per fair (exhibition_directory_versions)

Revision ID: 0022_directory_versions
Revises: 0021_slot_versions
Create Date: 2026-12-07 05:30:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_directory_versions'
down_revision = "0021_slot_versions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exhibition_directory_versions',
    sa.Column('exhibition_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['exhibition_id'], ['exhibitions.id'], name=op.f('fk_exhibition_directory_versions_exhibition_id_exhibitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('exhibition_id', name=op.f('pk_exhibition_directory_versions'))
    )
    # Every fair has a version from now on (a random one: no cached page of another database
    # can carry it); one number for all is enough, the cache keys hold the fair's id too.
    op.execute(sa.text(
        "INSERT INTO exhibition_directory_versions (exhibition_id, version) "
        "SELECT id, :version FROM exhibitions"
    ).bindparams(version=secrets.randbits(62)))


def downgrade():
    op.drop_table('exhibition_directory_versions')

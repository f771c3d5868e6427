"""certificates of attendance (offers, issued certificates) and event materials

Revision ID: 0017_certificates_materials
Revises: 0016_membership_claims
Create Date: 2026-12-06 21:56:23.809434

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_certificates_materials'
down_revision = "0016_membership_claims"
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('certificate_offers',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('offered_by_id', sa.Integer(), nullable=True),
    sa.Column('offered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_certificate_offers_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offered_by_id'], ['users.id'], name=op.f('fk_certificate_offers_offered_by_id_users')),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_certificate_offers'))
    )
    op.create_table('event_materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_materials_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_event_materials_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_materials')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_event_materials_stored_name'))
    )
    with op.batch_alter_table('event_materials', schema=None) as batch_op:
        batch_op.create_index('ix_event_materials_event_id', ['event_id'], unique=False)

    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('holder_name', sa.String(length=130), nullable=False),
    sa.Column('holder_kana', sa.String(length=130), nullable=False),
    sa.Column('holder_name_en', sa.String(length=130), nullable=False),
    sa.Column('company_name', sa.String(length=200), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_certificates_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_certificates_code')),
    sa.UniqueConstraint('number', name=op.f('uq_certificates_number')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_certificates_registration_id'))
    )



def downgrade():

    op.drop_table('certificates')
    with op.batch_alter_table('event_materials', schema=None) as batch_op:
        batch_op.drop_index('ix_event_materials_event_id')

    op.drop_table('event_materials')
    op.drop_table('certificate_offers')


"""events: the staff audit log (event_staff_actions) and the lottery's stated weighting

Revision ID: 0012_staff_audit_log
Revises: 0011_consultation_catalogue
Create Date: 2026-12-06 18:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_staff_audit_log'
down_revision = '0011_consultation_catalogue'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'event_staff_actions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=True),
        sa.Column('subject_id', sa.Integer(), nullable=True),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('before', sa.JSON(), nullable=False),
        sa.Column('after', sa.JSON(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['subject_id'], ['users.id'], ),
        sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('event_staff_actions', schema=None) as batch_op:
        batch_op.create_index('ix_event_staff_actions_event_at', ['event_id', 'at'], unique=False)
        batch_op.create_index('ix_event_staff_actions_subject_at', ['subject_id', 'at'], unique=False)

    with op.batch_alter_table('frames', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lottery_weighting', sa.String(length=16), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('frames', schema=None) as batch_op:
        batch_op.drop_column('lottery_weighting')

    with op.batch_alter_table('event_staff_actions', schema=None) as batch_op:
        batch_op.drop_index('ix_event_staff_actions_subject_at')
        batch_op.drop_index('ix_event_staff_actions_event_at')

    op.drop_table('event_staff_actions')

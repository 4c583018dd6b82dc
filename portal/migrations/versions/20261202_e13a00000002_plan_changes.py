"""The plan's public changelog: one row per new session and per change of a session's time, place or status

Revision ID: e13a00000002
Revises: e13a00000001
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e13a00000002'
down_revision = 'e13a00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'plan_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('before', sa.JSON(), nullable=False),
        sa.Column('after', sa.JSON(), nullable=False),
        sa.CheckConstraint("kind IN ('new', 'time', 'place', 'cancelled', 'restored')", name=op.f('ck_plan_changes_kind')),
        sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_plan_changes_session_id_training_sessions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_changes')),
    )
    with op.batch_alter_table('plan_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_changes_changed_at'), ['changed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_changes_session_id'), ['session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('plan_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_changes_session_id'))
        batch_op.drop_index(batch_op.f('ix_plan_changes_changed_at'))
    op.drop_table('plan_changes')

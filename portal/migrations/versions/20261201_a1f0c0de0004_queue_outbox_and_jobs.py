"""The outbox becomes a queue (status, attempts, claims, a fixed Message-ID, calendar parts) and jobs keep their last run

Revision ID: a1f0c0de0004
Revises: a1f0c0de0003
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1f0c0de0004'
down_revision = 'a1f0c0de0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_states',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_states'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('calendar_method', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('attachment_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('attachment_type', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('attachment', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('message_id', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('dedupe_key', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('status', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
    # Messages of the old synchronous outbox were either sent or failed for good.
    op.execute("UPDATE outbox_messages SET message_id = '<outbox-' || id || '@tthc-portal.local>', "
               "status = CASE WHEN sent_at IS NULL THEN 'failed' ELSE 'sent' END, "
               "attempts = 1, next_attempt_at = created_at")
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        for column, kind in (('message_id', sa.String(length=200)), ('status', sa.String(length=10)),
                             ('attempts', sa.Integer()), ('next_attempt_at', sa.DateTime(timezone=True))):
            batch_op.alter_column(column, existing_type=kind, nullable=False)
        batch_op.create_index('ix_outbox_messages_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_outbox_messages_dedupe_key'), ['dedupe_key'])
        batch_op.create_unique_constraint(batch_op.f('uq_outbox_messages_message_id'), ['message_id'])
        batch_op.create_check_constraint('status', "status IN ('queued', 'sending', 'sent', 'failed')")


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_messages_status'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_outbox_messages_message_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_outbox_messages_dedupe_key'), type_='unique')
        batch_op.drop_index('ix_outbox_messages_due')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('claimed_by')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('status')
        batch_op.drop_column('dedupe_key')
        batch_op.drop_column('message_id')
        batch_op.drop_column('attachment')
        batch_op.drop_column('attachment_type')
        batch_op.drop_column('attachment_name')
        batch_op.drop_column('calendar_method')
        batch_op.drop_column('calendar')

    op.drop_table('job_states')

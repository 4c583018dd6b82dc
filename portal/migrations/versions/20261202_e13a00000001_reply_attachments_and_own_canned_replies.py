"""Replies and notes carry attachments (with an image's size in pixels); agents own canned replies, private or shared

The canned replies written before this were the admins' and every agent used them: they become shared, with no owner.
Batch mode rebuilds `ticket_attachments` and `canned_replies` on SQLite; no table refers to either, so nothing
cascades away with the rebuild.

Revision ID: e13a00000001
Revises: e13a00000003
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e13a00000001'
down_revision = 'e13a00000003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ticket_attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('width', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('height', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_ticket_attachments_message_id_ticket_messages'),
                                    'ticket_messages', ['message_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_ticket_attachments_message_id'), ['message_id'], unique=False)

    with op.batch_alter_table('canned_replies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('is_shared', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.create_foreign_key(batch_op.f('fk_canned_replies_owner_id_users'), 'users', ['owner_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_canned_replies_owner_id'), ['owner_id'], unique=False)
    # The default only turned the existing rows into shared ones; new rows say what they are.
    with op.batch_alter_table('canned_replies', schema=None) as batch_op:
        batch_op.alter_column('is_shared', existing_type=sa.Boolean(), server_default=None)


def downgrade():
    with op.batch_alter_table('canned_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_canned_replies_owner_id'))
        batch_op.drop_constraint(batch_op.f('fk_canned_replies_owner_id_users'), type_='foreignkey')
        batch_op.drop_column('is_shared')
        batch_op.drop_column('owner_id')

    with op.batch_alter_table('ticket_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_attachments_message_id'))
        batch_op.drop_constraint(batch_op.f('fk_ticket_attachments_message_id_ticket_messages'), type_='foreignkey')
        batch_op.drop_column('height')
        batch_op.drop_column('width')
        batch_op.drop_column('message_id')

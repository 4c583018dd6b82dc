"""Requests under the personal-data law, erased e-mails as keyed hashes, retention runs; users.erased_at

Revision ID: f16a00000002
Revises: f16a00000001
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f16a00000002'
down_revision = 'f16a00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('privacy_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('email_hash', sa.String(length=64), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('token_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ack_due', sa.Date(), nullable=True),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('answer', sa.String(length=1000), nullable=False),
    sa.CheckConstraint("kind IN ('erasure', 'restriction', 'objection', 'correction')",
                       name=op.f('ck_privacy_requests_kind')),
    sa.CheckConstraint("status IN ('unverified', 'received', 'acknowledged', 'done', 'refused')",
                       name=op.f('ck_privacy_requests_status')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_privacy_requests_user_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'], name=op.f('fk_privacy_requests_handled_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_requests')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_privacy_requests_token_hash'))
    )
    with op.batch_alter_table('privacy_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_requests_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_privacy_requests_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_privacy_requests_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_privacy_requests_email_hash'), ['email_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_privacy_requests_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_privacy_requests_due'), ['due'], unique=False)
    op.create_table('erased_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email_hash', sa.String(length=64), nullable=False),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erased_identities')),
    sa.UniqueConstraint('email_hash', name=op.f('uq_erased_identities_email_hash'))
    )
    op.create_table('retention_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=40), nullable=False),
    sa.Column('ran_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('dry_run', sa.Boolean(), nullable=False),
    sa.Column('removed', sa.Integer(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_runs'))
    )
    with op.batch_alter_table('retention_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retention_runs_rule'), ['rule'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('account_requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_account_requests_cccd'), type_='check')
        batch_op.alter_column('cccd', existing_type=sa.String(length=12), nullable=True)
        batch_op.create_check_constraint(
            'cccd', "cccd IS NULL OR (length(cccd) = 12 AND trim(cccd, '0123456789') = '')")


def downgrade():
    op.execute("DELETE FROM account_requests WHERE cccd IS NULL")
    with op.batch_alter_table('account_requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_account_requests_cccd'), type_='check')
        batch_op.alter_column('cccd', existing_type=sa.String(length=12), nullable=False)
        batch_op.create_check_constraint('cccd', "length(cccd) = 12 AND trim(cccd, '0123456789') = ''")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
    with op.batch_alter_table('retention_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retention_runs_rule'))
    op.drop_table('retention_runs')
    op.drop_table('erased_identities')
    with op.batch_alter_table('privacy_requests', schema=None) as batch_op:
        for name in ('due', 'received_at', 'email_hash', 'email', 'user_id', 'status'):
            batch_op.drop_index(batch_op.f(f'ix_privacy_requests_{name}'))
    op.drop_table('privacy_requests')

"""Official units and their departments, accounts, password tokens, the outbox and the audit log

Revision ID: a1f0c0de0001
Revises: 
Create Date: 2026-11-24

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1f0c0de0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_recipient'), ['recipient'], unique=False)

    op.create_table('provinces',
    sa.Column('code', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('codename', sa.String(length=120), nullable=False),
    sa.Column('phone_code', sa.Integer(), nullable=False),
    sa.Column('search_name', sa.String(length=120), nullable=False),
    sa.Column('sort_key', sa.String(length=400), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('tinh', 'thanh_pho')", name=op.f('ck_provinces_kind')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_provinces'))
    )
    with op.batch_alter_table('provinces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provinces_search_name'), ['search_name'], unique=False)

    op.create_table('communes',
    sa.Column('code', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('codename', sa.String(length=120), nullable=False),
    sa.Column('search_name', sa.String(length=120), nullable=False),
    sa.Column('sort_key', sa.String(length=400), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('xa', 'phuong', 'dac_khu')", name=op.f('ck_communes_kind')),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_communes_province_code_provinces')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_communes'))
    )
    with op.batch_alter_table('communes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_communes_province_code'), ['province_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_communes_search_name'), ['search_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_communes_sort_key'), ['sort_key'], unique=False)

    op.create_table('departments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('vhttdl', 'vhtt', 'dl')", name=op.f('ck_departments_kind')),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_departments_province_code_provinces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments')),
    sa.UniqueConstraint('province_code', 'kind', name=op.f('uq_departments_province_code'))
    )
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_departments_province_code'), ['province_code'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=True),
    sa.Column('commune_code', sa.Integer(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role <> 'commune_admin' OR (commune_code IS NOT NULL AND province_code IS NOT NULL)", name=op.f('ck_users_commune_admin_has_commune')),
    sa.CheckConstraint("role <> 'coordinator' OR province_code IS NOT NULL", name=op.f('ck_users_coordinator_has_province')),
    sa.CheckConstraint("role IN ('admin', 'coordinator', 'commune_admin', 'trainer', 'agent', 'viewer')", name=op.f('ck_users_role')),
    sa.ForeignKeyConstraint(['commune_code'], ['communes.code'], name=op.f('fk_users_commune_code_communes')),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_users_province_code_provinces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_commune_code'), ['commune_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_province_code'), ['province_code'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('target', sa.String(length=120), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.Column('address', sa.String(length=45), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)

    op.create_table('password_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("purpose IN ('invitation', 'password_reset')", name=op.f('ck_password_tokens_purpose')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_password_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_tokens_token_hash'))
    )
    with op.batch_alter_table('password_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_tokens_user_id'), ['user_id'], unique=False)


def downgrade():
    for table in ['password_tokens', 'audit_events', 'users', 'departments', 'communes', 'provinces', 'outbox_messages']:
        op.drop_table(table)

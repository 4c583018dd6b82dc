"""The support desk, account-access requests, the support directory, QLVB connections and API tokens

Revision ID: a1f0c0de0003
Revises: a1f0c0de0002
Create Date: 2026-11-24

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1f0c0de0003'
down_revision = 'a1f0c0de0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('canned_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canned_replies'))
    )
    op.create_table('known_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_known_issues'))
    )
    op.create_table('support_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_contacts'))
    )
    op.create_table('ticket_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_categories')),
    sa.UniqueConstraint('name', name=op.f('uq_ticket_categories_name'))
    )
    op.create_table('province_channels',
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('hotline', sa.String(length=30), nullable=False),
    sa.Column('meeting_url', sa.String(length=500), nullable=False),
    sa.Column('zalo_url', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_province_channels_province_code_provinces')),
    sa.PrimaryKeyConstraint('province_code', name=op.f('pk_province_channels'))
    )
    op.create_table('qlvb_connections',
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('software', sa.String(length=200), nullable=False),
    sa.Column('vendor', sa.String(length=200), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_phone', sa.String(length=16), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('blocked_reason', sa.String(length=500), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status <> 'blocked' OR blocked_reason <> ''", name=op.f('ck_qlvb_connections_blocked_has_reason')),
    sa.CheckConstraint("status IN ('not_started', 'in_progress', 'testing', 'connected', 'blocked')", name=op.f('ck_qlvb_connections_status')),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_qlvb_connections_province_code_provinces')),
    sa.PrimaryKeyConstraint('province_code', name=op.f('pk_qlvb_connections'))
    )
    op.create_table('account_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('cccd', sa.String(length=12), nullable=False),
    sa.Column('procedures', sa.Text(), nullable=False),
    sa.Column('notice_version', sa.String(length=20), nullable=False),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("length(cccd) = 12 AND trim(cccd, '0123456789') = ''", name=op.f('ck_account_requests_cccd')),
    sa.CheckConstraint("status IN ('requested', 'granted', 'refused')", name=op.f('ck_account_requests_status')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_account_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_account_requests_province_code_provinces')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_account_requests_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_requests'))
    )
    with op.batch_alter_table('account_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_requests_province_code'), ['province_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_requests_status'), ['status'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_api_tokens_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    op.create_table('province_agents',
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("role IN ('primary', 'backup')", name=op.f('ck_province_agents_role')),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_province_agents_agent_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_province_agents_province_code_provinces')),
    sa.PrimaryKeyConstraint('province_code', 'role', name=op.f('pk_province_agents'))
    )
    with op.batch_alter_table('province_agents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_province_agents_agent_id'), ['agent_id'], unique=False)

    op.create_table('qlvb_status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('old_status', sa.String(length=12), nullable=False),
    sa.Column('new_status', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_qlvb_status_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_qlvb_status_changes_province_code_provinces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qlvb_status_changes'))
    )
    with op.batch_alter_table('qlvb_status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qlvb_status_changes_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_qlvb_status_changes_province_code'), ['province_code'], unique=False)

    op.create_table('support_agents',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('is_away', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_support_agents_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_support_agents'))
    )
    op.create_table('tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('procedure_ref', sa.String(length=100), nullable=False),
    sa.Column('priority', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('commune_code', sa.Integer(), nullable=True),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('first_response_due', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolution_due', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_response_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('known_issue_id', sa.Integer(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('rating_comment', sa.String(length=1000), nullable=False),
    sa.Column('rating_token_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("priority IN ('low', 'normal', 'high', 'urgent')", name=op.f('ck_tickets_priority')),
    sa.CheckConstraint("status IN ('new', 'assigned', 'in_progress', 'waiting', 'resolved', 'closed')", name=op.f('ck_tickets_status')),
    sa.CheckConstraint('rating IS NULL OR rating BETWEEN 1 AND 5', name=op.f('ck_tickets_rating')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_tickets_assignee_id_users')),
    sa.ForeignKeyConstraint(['category_id'], ['ticket_categories.id'], name=op.f('fk_tickets_category_id_ticket_categories')),
    sa.ForeignKeyConstraint(['commune_code'], ['communes.code'], name=op.f('fk_tickets_commune_code_communes')),
    sa.ForeignKeyConstraint(['known_issue_id'], ['known_issues.id'], name=op.f('fk_tickets_known_issue_id_known_issues'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_tickets_province_code_provinces')),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_tickets_reporter_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tickets')),
    sa.UniqueConstraint('rating_token_hash', name=op.f('uq_tickets_rating_token_hash'))
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tickets_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tickets_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tickets_commune_code'), ['commune_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_tickets_known_issue_id'), ['known_issue_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tickets_province_code'), ['province_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_tickets_reporter_id'), ['reporter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tickets_status'), ['status'], unique=False)

    op.create_table('faq_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=300), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('source_ticket_id', sa.Integer(), nullable=True),
    sa.Column('is_published', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['ticket_categories.id'], name=op.f('fk_faq_entries_category_id_ticket_categories')),
    sa.ForeignKeyConstraint(['source_ticket_id'], ['tickets.id'], name=op.f('fk_faq_entries_source_ticket_id_tickets'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_faq_entries'))
    )
    with op.batch_alter_table('faq_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_faq_entries_category_id'), ['category_id'], unique=False)

    op.create_table('ticket_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_attachments_ticket_id_tickets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_ticket_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_ticket_attachments_stored_name'))
    )
    with op.batch_alter_table('ticket_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_attachments_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('ticket_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('is_internal', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_ticket_messages_author_id_users')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_messages_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_messages'))
    )
    with op.batch_alter_table('ticket_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_messages_ticket_id'), ['ticket_id'], unique=False)

    # The ticket categories the ministry starts with (admins may rename or add to them).
    categories = sa.table("ticket_categories", sa.column("name", sa.String), sa.column("position", sa.Integer),
                          sa.column("is_active", sa.Boolean))
    op.bulk_insert(categories, [
        {"name": name, "position": position, "is_active": True}
        for position, name in enumerate(("Tài khoản và phân quyền", "Tiếp nhận hồ sơ",
                                         "Kết nối phần mềm quản lý văn bản", "Cấu hình thủ tục", "Tập huấn", "Khác"))
    ])


def downgrade():
    for table in ['ticket_messages', 'ticket_attachments', 'faq_entries', 'tickets', 'support_agents', 'qlvb_status_changes', 'province_agents', 'api_tokens', 'account_requests', 'qlvb_connections', 'province_channels', 'ticket_categories', 'support_contacts', 'known_issues', 'canned_replies']:
        op.drop_table(table)

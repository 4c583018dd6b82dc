"""Integrations per province: the QLVB tracker becomes one kind among the utilities of letter 1040/TCT

The QLVB rows and their history move over, statuses renamed (in progress -> configuring, connected -> live);
nothing is lost, and the downgrade moves them back.

Revision ID: f14a00000001
Revises: e13a00000004
Create Date: 2026-12-03

"""
from datetime import date, datetime, timezone

from alembic import op
import sqlalchemy as sa

KINDS = [  # key, Vietnamese name, English name, what the province provides, due date (letters 000 and 003)
    ("qlvb", "Kết nối phần mềm quản lý văn bản (QLVB)", "Document-management software (QLVB) connection",
     "Tên phần mềm QLVB, đơn vị cung cấp và đầu mối kỹ thuật để kết nối với hệ thống giải quyết TTHC.",
     date(2026, 4, 28)),
    ("population_db", "Kết nối Cơ sở dữ liệu quốc gia về dân cư", "National population database",
     "Đầu mối kỹ thuật và danh sách đơn vị cần khai thác dữ liệu dân cư khi giải quyết TTHC.", date(2026, 2, 8)),
    ("no_boundary", "TTHC phi địa giới hành chính", "Procedures without geographic boundaries",
     "Danh mục TTHC và điểm tiếp nhận thực hiện không phụ thuộc địa giới hành chính.", date(2026, 2, 8)),
    ("central_payment", "Thanh toán trực tuyến tập trung", "Central online payment",
     "Tài khoản chuyên thu phí, lệ phí của các đơn vị và đầu mối với ngân hàng, Kho bạc.", date(2026, 2, 8)),
    ("e_receipt", "Biên lai điện tử", "Electronic receipts",
     "Thông tin đơn vị phát hành biên lai và mẫu biên lai điện tử đã đăng ký.", date(2026, 2, 8)),
    ("public_postal", "Dịch vụ bưu chính công ích", "Public postal service",
     "Đầu mối bưu điện tỉnh và danh sách TTHC nhận, trả kết quả qua bưu chính công ích.", date(2026, 2, 8)),
    ("sms_brandname", "Tin nhắn SMS Brandname", "SMS Brandname",
     "Tên định danh (Brandname) đã đăng ký, nhà mạng cung cấp và đầu mối kỹ thuật.", date(2026, 2, 8)),
    ("e_invoice", "Hóa đơn điện tử", "E-invoices",
     "Thông tin đơn vị phát hành hóa đơn điện tử và nhà cung cấp dịch vụ hóa đơn.", date(2026, 2, 8)),
]
TO_NEW = "CASE {0} WHEN 'in_progress' THEN 'configuring' WHEN 'connected' THEN 'live' ELSE {0} END"
TO_OLD = ("CASE {0} WHEN 'info_sent' THEN 'in_progress' WHEN 'configuring' THEN 'in_progress' "
          "WHEN 'live' THEN 'connected' ELSE {0} END")
QLVB_ID = "(SELECT id FROM integration_kinds WHERE key = 'qlvb')"


# revision identifiers, used by Alembic.
revision = 'f14a00000001'
down_revision = 'e13a00000004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('integration_kinds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('to_provide', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integration_kinds')),
    sa.UniqueConstraint('key', name=op.f('uq_integration_kinds_key'))
    )
    op.create_table('integrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('kind_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('blocked_reason', sa.String(length=500), nullable=False),
    sa.Column('provided', sa.Text(), nullable=False),
    sa.Column('software', sa.String(length=200), nullable=False),
    sa.Column('vendor', sa.String(length=200), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_phone', sa.String(length=16), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status <> 'blocked' OR blocked_reason <> ''", name=op.f('ck_integrations_blocked_has_reason')),
    sa.CheckConstraint("status IN ('not_started', 'info_sent', 'configuring', 'testing', 'live', 'blocked')", name=op.f('ck_integrations_status')),
    sa.ForeignKeyConstraint(['kind_id'], ['integration_kinds.id'], name=op.f('fk_integrations_kind_id_integration_kinds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_integrations_province_code_provinces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrations')),
    sa.UniqueConstraint('province_code', 'kind_id', name=op.f('uq_integrations_province_code'))
    )
    with op.batch_alter_table('integrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_integrations_kind_id'), ['kind_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_integrations_province_code'), ['province_code'], unique=False)

    op.create_table('integration_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('integration_id', sa.Integer(), nullable=False),
    sa.Column('old_status', sa.String(length=12), nullable=False),
    sa.Column('new_status', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_integration_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['integration_id'], ['integrations.id'], name=op.f('fk_integration_changes_integration_id_integrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integration_changes'))
    )
    with op.batch_alter_table('integration_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_integration_changes_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_integration_changes_integration_id'), ['integration_id'], unique=False)

    now = datetime.now(timezone.utc)
    kinds = sa.table("integration_kinds", sa.column("key"), sa.column("name"), sa.column("name_en"),
                     sa.column("to_provide"), sa.column("due_on", sa.Date), sa.column("position"),
                     sa.column("created_at", sa.DateTime(timezone=True)),
                     sa.column("updated_at", sa.DateTime(timezone=True)))
    op.bulk_insert(kinds, [{"key": key, "name": name, "name_en": name_en, "to_provide": to_provide, "due_on": due,
                            "position": number, "created_at": now, "updated_at": now}
                           for number, (key, name, name_en, to_provide, due) in enumerate(KINDS, start=1)])
    op.execute(f"""
        INSERT INTO integrations (province_code, kind_id, status, blocked_reason, provided, software, vendor,
                                  contact_name, contact_phone, contact_email, status_changed_at, created_at, updated_at)
        SELECT province_code, {QLVB_ID}, {TO_NEW.format('status')}, blocked_reason, '', software, vendor,
               contact_name, contact_phone, contact_email, status_changed_at, created_at, updated_at
        FROM qlvb_connections ORDER BY province_code""")  # nosec B608 (built from this file's constants, no input)
    # A change whose province never got a row (none should exist) still keeps its history: give it one.
    op.execute(f"""
        INSERT INTO integrations (province_code, kind_id, status, blocked_reason, provided, software, vendor,
                                  contact_name, contact_phone, contact_email, status_changed_at, created_at, updated_at)
        SELECT c.province_code, {QLVB_ID}, 'not_started', '', '', '', '', '', '', '', MIN(c.at), MIN(c.at), MAX(c.at)
        FROM qlvb_status_changes c
        WHERE c.province_code NOT IN (SELECT province_code FROM qlvb_connections)
        GROUP BY c.province_code""")  # nosec B608 (built from this file's constants, no input)
    op.execute(f"""
        INSERT INTO integration_changes (integration_id, old_status, new_status, reason, changed_by_id, at)
        SELECT i.id, {TO_NEW.format('c.old_status')}, {TO_NEW.format('c.new_status')}, c.reason, c.changed_by_id, c.at
        FROM qlvb_status_changes c
        JOIN integrations i ON i.province_code = c.province_code AND i.kind_id = {QLVB_ID}
        ORDER BY c.id""")  # nosec B608 (built from this file's constants, no input)

    op.drop_table('qlvb_connections')
    with op.batch_alter_table('qlvb_status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qlvb_status_changes_at'))
        batch_op.drop_index(batch_op.f('ix_qlvb_status_changes_province_code'))

    op.drop_table('qlvb_status_changes')


def downgrade():
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
        batch_op.create_index(batch_op.f('ix_qlvb_status_changes_province_code'), ['province_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_qlvb_status_changes_at'), ['at'], unique=False)

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
    op.execute(f"""
        INSERT INTO qlvb_connections (province_code, software, vendor, contact_name, contact_phone, contact_email,
                                      status, blocked_reason, status_changed_at, created_at, updated_at)
        SELECT province_code, software, vendor, contact_name, contact_phone, contact_email,
               {TO_OLD.format('status')}, blocked_reason, status_changed_at, created_at, updated_at
        FROM integrations WHERE kind_id = {QLVB_ID}""")  # nosec B608 (built from this file's constants, no input)
    op.execute(f"""
        INSERT INTO qlvb_status_changes (province_code, old_status, new_status, reason, changed_by_id, at)
        SELECT i.province_code, {TO_OLD.format('c.old_status')}, {TO_OLD.format('c.new_status')}, c.reason,
               c.changed_by_id, c.at
        FROM integration_changes c JOIN integrations i ON i.id = c.integration_id
        WHERE i.kind_id = {QLVB_ID} ORDER BY c.id""")  # nosec B608 (built from this file's constants, no input)
    with op.batch_alter_table('integration_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_integration_changes_integration_id'))
        batch_op.drop_index(batch_op.f('ix_integration_changes_at'))

    op.drop_table('integration_changes')
    with op.batch_alter_table('integrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_integrations_province_code'))
        batch_op.drop_index(batch_op.f('ix_integrations_kind_id'))

    op.drop_table('integrations')
    op.drop_table('integration_kinds')

"""Dossiers waiting for an account, per province and commune and day; API tokens that may record them

Revision ID: f14a00000002
Revises: f14a00000003
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f14a00000002'
down_revision = 'f14a00000003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('backlog_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=False),
    sa.Column('commune_code', sa.Integer(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('dossiers', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('portal', 'api')", name=op.f('ck_backlog_reports_source')),
    sa.CheckConstraint('dossiers >= 0', name=op.f('ck_backlog_reports_dossiers')),
    sa.ForeignKeyConstraint(['commune_code'], ['communes.code'], name=op.f('fk_backlog_reports_commune_code_communes')),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_backlog_reports_province_code_provinces')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_backlog_reports_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_backlog_reports')),
    sa.UniqueConstraint('province_code', 'commune_code', 'as_of', name=op.f('uq_backlog_reports_province_code'))
    )
    with op.batch_alter_table('backlog_reports', schema=None) as batch_op:
        batch_op.create_index('uq_backlog_reports_province_day', ['province_code', 'as_of'], unique=True, sqlite_where=sa.text('commune_code IS NULL'), postgresql_where=sa.text('commune_code IS NULL'))

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('may_record_backlog', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('may_record_backlog')

    with op.batch_alter_table('backlog_reports', schema=None) as batch_op:
        batch_op.drop_index('uq_backlog_reports_province_day')

    op.drop_table('backlog_reports')

"""The ministry's "Khó khăn, đề xuất" per weekly or monthly report

Revision ID: e13a00000004
Revises: e13a00000002
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e13a00000004'
down_revision = 'e13a00000002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('period_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('weekly', 'monthly')", name=op.f('ck_period_notes_kind')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_period_notes_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_period_notes')),
    sa.UniqueConstraint('kind', 'starts_on', name=op.f('uq_period_notes_kind'))
    )


def downgrade():
    op.drop_table('period_notes')

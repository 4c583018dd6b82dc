"""Support agents have a work phone, published in the support directory as typed

Revision ID: e13a00000003
Revises: d0b1e5ab0001
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e13a00000003'
down_revision = 'd0b1e5ab0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('support_agents') as batch_op:
        batch_op.add_column(sa.Column('work_phone', sa.String(length=30), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('support_agents') as batch_op:
        batch_op.drop_column('work_phone')

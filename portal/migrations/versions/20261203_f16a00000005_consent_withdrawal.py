"""A contact's consent may be withdrawn, reminders have a consent of their own, an upload keeps its notice version

Revision ID: f16a00000005
Revises: f16a00000002
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f16a00000005'
down_revision = 'f16a00000002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reminders_notice_version', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('reminders_consent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reminders_withdrawn_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('pending_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice_version', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('pending_imports', schema=None) as batch_op:
        batch_op.drop_column('notice_version')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('reminders_withdrawn_at')
        batch_op.drop_column('reminders_consent_at')
        batch_op.drop_column('reminders_notice_version')
        batch_op.drop_column('consent_withdrawn_at')
